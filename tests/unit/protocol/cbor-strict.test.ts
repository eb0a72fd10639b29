// Strict CBOR with hand-made bytes: every encoding the protocol refuses, checked one by one
// (cborg's strict mode is not trusted blindly), and signatures checked over the bytes received.
import { describe, expect, it } from 'vitest';
import { MAX_CBOR_DEPTH, decodeCbor, encodeCbor } from '../../../src-main/protocol/cbor';
import { bytesEqual, concatBytes, fromHex } from '../../../src-main/domain/bytes';
import { ProtocolError } from '../../../src-main/domain/protocol-error';
import { encodeCoseSign1, encodeProtectedHeader, parseCoseSign1, signCoseSign1 } from '../../../src-main/protocol/cose';
import { wrapResponse } from '../../../src-main/protocol/envelope';
import { encodeLicenseContent, parseLicenseContent } from '../../../src-main/protocol/license-payload';
import { encodePaymentResponse } from '../../../src-main/protocol/messages';
import { authoritySigner } from '../../../src-main/authority/authority';
import { checkPaymentResponse } from '../../../src-main/verification/pipeline';
import { MemoryHistory, demo, order, verificationFor } from './helpers';

function reasonOf(step: () => unknown): string {
  try {
    step();
  } catch (error) {
    if (error instanceof ProtocolError) return error.reason;
    throw error;
  }
  return 'accepted';
}

const refused: Record<string, string> = {
  // Integers in more bytes than needed.
  'uint 23 in 1 extra byte': '1817',
  'uint 24 in 2 extra bytes': '190018',
  'uint 255 in 2 extra bytes': '1900ff',
  'uint 65535 in 4 extra bytes': '1a0000ffff',
  'uint 2^32-1 in 8 extra bytes': '1b00000000ffffffff',
  'negint -1 in 1 extra byte': '3800',
  'negint -25 in 2 extra bytes': '390018',
  // Lengths in more bytes than needed.
  'bstr length 1 in 1 extra byte': '5801ff',
  'bstr length 1 in 2 extra bytes': '590001ff',
  'tstr length 1 in 1 extra byte': '780161',
  'tstr length 1 in 4 extra bytes': '7a0000000161',
  'array length 1 in 1 extra byte': '980101',
  'map length 1 in 1 extra byte': 'b8010101',
  // Map keys (our messages' integer keys) in more bytes than needed.
  'map key 1 in 1 extra byte': 'a2180101 0202',
  'map key 2 in 2 extra bytes': 'a20101 19000202',
  'map key 11 in 8 extra bytes': 'a11b000000000000000b01',
  // Duplicate keys, indefinite lengths, trailing bytes.
  'duplicate map key': 'a2010101 02',
  'duplicate map key, second non-shortest': 'a2010118 0102',
  'indefinite array': '9f01ff',
  'indefinite map': 'bf0101ff',
  'indefinite bstr': '5f4101ff',
  'indefinite tstr': '7f6161ff',
  'trailing byte': '0100',
  'two top-level items': 'a1010101',
  // Value kinds no message uses.
  'half float': 'f93c00',
  'single float': 'fa3f800000',
  'double float': 'fb3ff0000000000000',
  undefined: 'f7',
  'simple value 16': 'f0',
  'simple value 32': 'f820',
  'tag 0 (date)': 'c074323032362d30362d30315431303a30303a30305a',
  'tag 2 (bignum)': 'c249010000000000000000',
  'tag 18 (tagged COSE_Sign1)': 'd28440a0404040',
  'uint 2^53 (one past the bound)': '1b0020000000000000',
  'negint -2^53 (one past the bound)': '3b001fffffffffffff',
  'uint above 2^53': '1b0020000000000001',
  'negint below -2^53': '3b0020000000000001',
  // Text that is not UTF-8 (a lax decoder would turn it into U+FFFD).
  'tstr with invalid UTF-8': '62c328',
  'tstr with a lone surrogate': '63eda080',
  'truncated UTF-8 in a map value': 'a10162e282',
  // Lengths far beyond the data: refused without allocating them.
  'bstr declaring 4 GiB': '5affffffff00',
  'tstr declaring 2^53-1 bytes': '7b001fffffffffffff00',
  'array declaring 4 Gi items': '9affffffff01',
  'map declaring 4 Gi entries': 'baffffffff0101',
  'truncated bstr': '5820' + '00'.repeat(31),
};

describe('strict CBOR decoding refuses, with malformed_cbor', () => {
  it.each(Object.entries(refused))('%s', (_name, hex) => {
    expect(reasonOf(() => decodeCbor(fromHex(hex.replace(/ /g, ''))))).toBe('malformed_cbor');
  });

  it('nesting deeper than the limit, and 8 KiB of nested arrays, without exhausting the stack', () => {
    const nested = (depth: number) => concatBytes(new Uint8Array(depth).fill(0x81), Uint8Array.of(0x01));
    expect(reasonOf(() => decodeCbor(nested(MAX_CBOR_DEPTH + 1)))).toBe('malformed_cbor');
    expect(reasonOf(() => decodeCbor(nested(8191)))).toBe('malformed_cbor');
    const maps = concatBytes(...Array.from({ length: MAX_CBOR_DEPTH + 1 }, () => Uint8Array.of(0xa1, 0x01)), Uint8Array.of(0x01));
    expect(reasonOf(() => decodeCbor(maps))).toBe('malformed_cbor');
  });
});

describe('strict CBOR decoding accepts', () => {
  it('the shortest forms at each size boundary', () => {
    const cases: [string, unknown][] = [
      ['17', 23],
      ['1818', 24],
      ['18ff', 255],
      ['190100', 256],
      ['19ffff', 65535],
      ['1a00010000', 65536],
      ['1b0000000100000000', 2 ** 32],
      ['1b001fffffffffffff', Number.MAX_SAFE_INTEGER],
      ['3b001ffffffffffffe', -Number.MAX_SAFE_INTEGER],
      ['37', -24],
      ['3818', -25],
      ['5818' + '00'.repeat(24), new Uint8Array(24)],
      ['62c3a9', 'é'],
    ];
    for (const [hex, value] of cases) expect(decodeCbor(fromHex(hex)), hex).toEqual(value);
  });

  it(`nesting up to ${MAX_CBOR_DEPTH} levels`, () => {
    const nested = concatBytes(new Uint8Array(MAX_CBOR_DEPTH).fill(0x81), Uint8Array.of(0x01));
    let value = decodeCbor(nested);
    for (let i = 0; i < MAX_CBOR_DEPTH; i++) value = (value as unknown[])[0];
    expect(value).toBe(1);
    // Siblings do not add up to depth.
    expect(decodeCbor(fromHex('8a' + '8101'.repeat(10)))).toHaveLength(10);
  });
});

describe('the pipeline applies strict CBOR before trusting a signature', () => {
  const env = demo();
  const appPublicKey = env.walletFor('approve').appPublicKey;
  const content = {
    serial: 'strict-1',
    accountId: 'acct-1',
    appPublicKey,
    offlineLimit: 100_000,
    currency: 'CNY',
    notBefore: Math.floor(Date.parse('2026-01-01T00:00:00Z') / 1000),
    notAfter: Math.floor(Date.parse('2027-01-01T00:00:00Z') / 1000),
  };
  const sign = (payload: Uint8Array) => signCoseSign1(payload, -7, env.authority.kid, authoritySigner(env.authority));
  const present = (license: Uint8Array) =>
    checkPaymentResponse(order(), wrapResponse(encodePaymentResponse({ license })), verificationFor(env, new MemoryHistory()));

  it('declines a validly signed license whose payload has a non-shortest integer', () => {
    const canonical = encodeLicenseContent(content);
    // offline limit 100000 = 1a 000186a0; as 1b 00000000000186a0 it is the same number in 4 more bytes.
    const at = Buffer.from(canonical).indexOf(Buffer.from('041a000186a0', 'hex'));
    expect(at).toBeGreaterThan(0);
    const loose = concatBytes(canonical.subarray(0, at + 1), fromHex('1b00000000000186a0'), canonical.subarray(at + 6));
    expect(present(sign(canonical))).toMatchObject({ ok: true });
    expect(present(sign(loose))).toMatchObject({ ok: false, reason: 'malformed_cbor' });
  });

  it('declines a validly signed license whose protected header has a non-shortest alg', () => {
    const payload = encodeLicenseContent(content);
    const protectedBytes = concatBytes(fromHex('a2013806'), encodeProtectedHeader(-7, env.authority.kid).subarray(3));
    expect(bytesEqual(encodeProtectedHeader(-7, env.authority.kid).subarray(0, 3), fromHex('a20126'))).toBe(true);
    const toBeSigned = encodeCbor(['Signature1', protectedBytes, new Uint8Array(0), payload]);
    const license = encodeCoseSign1(protectedBytes, payload, authoritySigner(env.authority)(toBeSigned));
    expect(present(license)).toMatchObject({ ok: false, reason: 'malformed_cbor' });
  });

  it('verifies over the bytes received: keys in another order still verify and are not re-encoded', () => {
    // Keys 7..1, descending (cborg's encoder would sort them): built entry by entry.
    const values = [
      content.serial,
      content.accountId,
      content.appPublicKey,
      content.offlineLimit,
      content.currency,
      content.notBefore,
      content.notAfter,
    ];
    const reordered = concatBytes(
      Uint8Array.of(0xa7),
      ...values.map((value, i) => concatBytes(encodeCbor(i + 1), encodeCbor(value))).reverse(),
    );
    expect(bytesEqual(reordered, encodeLicenseContent(parseLicenseContent(reordered)))).toBe(false);
    const license = sign(reordered);
    const verdict = present(license);
    expect(verdict).toMatchObject({ ok: true });
    if (verdict.ok) expect(bytesEqual(verdict.value.license.bytes, license)).toBe(true);
    expect(bytesEqual(parseCoseSign1(license, 'license').payload, reordered)).toBe(true);
  });
});
