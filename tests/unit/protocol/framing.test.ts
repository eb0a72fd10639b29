// Size caps and declared lengths at every framing layer, with hand-made bytes: the 8 KiB cap
// is checked before parsing, and a length field can never make a parser allocate or read
// past the bytes that arrived.
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src-main/transport/apdu';
import { ProtocolError } from '../../../src-main/domain/protocol-error';
import { concatBytes, fromHex, utf8 } from '../../../src-main/domain/bytes';
import { SnepResponseCode, encodeSnepResponse, parseSnepGet, parseSnepResponse } from '../../../src-main/protocol/snep';
import { RECORD_TYPE, encodeNdef, parseNdef } from '../../../src-main/protocol/ndef';
import { unwrapRequest, unwrapResponse, wrapResponse } from '../../../src-main/protocol/envelope';
import {
  encodePaymentRequest,
  encodePaymentResponse,
  parsePaymentRequest,
  parsePaymentResponse,
} from '../../../src-main/protocol/messages';
import { MAX_MESSAGE_BYTES } from '../../../src-main/domain/limits';

function reasonOf(step: () => unknown): string {
  try {
    step();
  } catch (error) {
    if (error instanceof ProtocolError) return error.reason;
    throw error;
  }
  return 'accepted';
}

const type = utf8(RECORD_TYPE);

describe('SNEP', () => {
  it('refuses a message over 8192 bytes before reading its header', () => {
    const big = new Uint8Array(MAX_MESSAGE_BYTES + 1); // not even a valid header
    expect(reasonOf(() => parseSnepResponse(big))).toBe('message_too_large');
    expect(reasonOf(() => parseSnepGet(big))).toBe('message_too_large');
    expect(reasonOf(() => unwrapResponse(big))).toBe('message_too_large');
    expect(reasonOf(() => unwrapRequest(big))).toBe('message_too_large');
  });

  it('accepts a message of exactly 8192 bytes', () => {
    const payload = new Uint8Array(MAX_MESSAGE_BYTES - 6 - 6 - type.length);
    const message = wrapResponse(payload);
    expect(message.length).toBe(MAX_MESSAGE_BYTES);
    expect(unwrapResponse(message).length).toBe(payload.length);
  });

  it('refuses length fields that do not match the bytes that arrived', () => {
    expect(reasonOf(() => parseSnepResponse(fromHex('1081ffffffff')))).toBe('malformed_snep');
    expect(reasonOf(() => parseSnepResponse(fromHex('108100000002aa')))).toBe('malformed_snep');
    expect(reasonOf(() => parseSnepResponse(fromHex('108100000000aa')))).toBe('malformed_snep');
    expect(reasonOf(() => parseSnepResponse(fromHex('1081000000')))).toBe('malformed_snep');
  });

  it('maps each response code as documented', () => {
    for (const code of [0xc0, 0xc1, 0xc2, 0xe0, 0xe1, 0xff])
      expect(reasonOf(() => parseSnepResponse(encodeSnepResponse(code)))).toBe('snep_error');
    for (const code of [SnepResponseCode.CONTINUE, 0x01, 0x82, 0xc3])
      expect(reasonOf(() => parseSnepResponse(encodeSnepResponse(code)))).toBe('malformed_snep');
    expect(reasonOf(() => parseSnepResponse(fromHex('208100000000')))).toBe('malformed_snep'); // major version 2
    expect(reasonOf(() => parseSnepResponse(fromHex('1f8100000000')))).toBe('accepted'); // minor version 15
  });
});

describe('NDEF', () => {
  it('refuses a long record declaring 4 GiB of payload', () => {
    const record = concatBytes(Uint8Array.of(0xc4, type.length, 0xff, 0xff, 0xff, 0xff), type, Uint8Array.of(1, 2, 3));
    expect(reasonOf(() => parseNdef(record))).toBe('malformed_ndef');
  });

  it('refuses a short record whose payload length disagrees with the message', () => {
    const good = encodeNdef(Uint8Array.of(1, 2, 3));
    expect(reasonOf(() => parseNdef(good))).toBe('accepted');
    expect(reasonOf(() => parseNdef(good.subarray(0, -1)))).toBe('malformed_ndef');
    expect(reasonOf(() => parseNdef(concatBytes(good, Uint8Array.of(0))))).toBe('malformed_ndef');
  });

  it('accepts a long-form record carrying a payload under 256 bytes, and the type in any case (§4)', () => {
    const payload = Uint8Array.of(1, 2, 3);
    const long = concatBytes(Uint8Array.of(0xc4, type.length, 0, 0, 0, payload.length), type, payload);
    expect(parseNdef(long)).toEqual(payload);
    const upper = utf8(RECORD_TYPE.toUpperCase());
    expect(parseNdef(concatBytes(Uint8Array.of(0xd4, upper.length, payload.length), upper, payload))).toEqual(payload);
  });

  it('refuses a type length running past the message, a second record, chunks and ids', () => {
    expect(reasonOf(() => parseNdef(Uint8Array.of(0xd4, 0xff, 0x00, 0x61)))).toBe('malformed_ndef');
    const header = (flags: number) => concatBytes(Uint8Array.of(flags, type.length, 1), type, Uint8Array.of(0));
    expect(reasonOf(() => parseNdef(header(0x94)))).toBe('malformed_ndef'); // MB without ME: more records follow
    expect(reasonOf(() => parseNdef(header(0xf4)))).toBe('malformed_ndef'); // CF
    expect(reasonOf(() => parseNdef(header(0xdc)))).toBe('malformed_ndef'); // IL
    expect(reasonOf(() => parseNdef(header(0xd1)))).toBe('malformed_ndef'); // TNF 1
  });
});

describe('messages and APDUs', () => {
  it('refuses a license over 4096 bytes inside a payment response', () => {
    expect(reasonOf(() => parsePaymentResponse(encodePaymentResponse({ license: new Uint8Array(4096) })))).toBe('accepted');
    expect(reasonOf(() => parsePaymentResponse(encodePaymentResponse({ license: new Uint8Array(4097) })))).toBe('malformed_message');
  });

  it('counts "1..64 characters" in code points, not UTF-16 units or bytes (§4)', () => {
    const request = (merchantId: string) =>
      encodePaymentRequest({ transactionId: '00112233445566778899aabbccddeeff', amount: 1, currency: 'CNY', merchantId, terminalId: 'T' });
    const clef = '\u{1D11E}'; // one code point, two UTF-16 units, four UTF-8 bytes
    expect(parsePaymentRequest(request(clef.repeat(64))).merchantId).toBe(clef.repeat(64));
    expect(reasonOf(() => parsePaymentRequest(request(clef.repeat(65))))).toBe('malformed_message');
    expect(parsePaymentRequest(request('m'.repeat(64))).merchantId).toHaveLength(64);
    expect(reasonOf(() => parsePaymentRequest(request('m'.repeat(65))))).toBe('malformed_message');
    expect(reasonOf(() => parsePaymentRequest(request('')))).toBe('malformed_message');
  });

  it('refuses extended-length and inconsistent command APDUs', () => {
    expect(reasonOf(() => parseCommand(fromHex('80100000000001aa')))).toBe('malformed_apdu');
    expect(reasonOf(() => parseCommand(fromHex('8010000005aabb')))).toBe('malformed_apdu');
    expect(reasonOf(() => parseCommand(fromHex('801000')))).toBe('malformed_apdu');
  });
});
