// NDEF message holding exactly one NFC Forum external-type record (TNF 4) whose payload is CBOR.
import { fail } from '../domain/protocol-error';
import { fromUtf8, utf8 } from '../domain/bytes';

/** External type of every payment message record. */
export const RECORD_TYPE = 'nfcpay.org:msg';
const TNF_EXTERNAL = 0x04;
const MB = 0x80;
const ME = 0x40;
const CF = 0x20;
const SR = 0x10;
const IL = 0x08;

export function encodeNdef(payload: Uint8Array, type: string = RECORD_TYPE): Uint8Array {
  const typeBytes = utf8(type);
  const short = payload.length < 256;
  const headerLength = 2 + (short ? 1 : 4);
  const out = new Uint8Array(headerLength + typeBytes.length + payload.length);
  const view = new DataView(out.buffer);
  out[0] = MB | ME | (short ? SR : 0) | TNF_EXTERNAL;
  out[1] = typeBytes.length;
  if (short) out[2] = payload.length;
  else view.setUint32(2, payload.length);
  out.set(typeBytes, headerLength);
  out.set(payload, headerLength + typeBytes.length);
  return out;
}

/** Returns the payload of the single payment record; throws ProtocolError(malformed_ndef). */
export function parseNdef(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 3) fail('malformed_ndef', `NDEF message of ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = view.getUint8(0);
  if ((header & (MB | ME)) !== (MB | ME)) fail('malformed_ndef', 'expected exactly one record (MB and ME set)');
  if (header & CF) fail('malformed_ndef', 'chunked records are not accepted');
  if (header & IL) fail('malformed_ndef', 'record IDs are not accepted');
  if ((header & 0x07) !== TNF_EXTERNAL) fail('malformed_ndef', `TNF ${header & 0x07} is not external type (4)`);
  const typeLength = view.getUint8(1);
  const short = (header & SR) !== 0;
  const headerLength = 2 + (short ? 1 : 4);
  if (bytes.length < headerLength) fail('malformed_ndef', 'record header truncated');
  const payloadLength = short ? view.getUint8(2) : view.getUint32(2);
  const expected = headerLength + typeLength + payloadLength;
  if (expected !== bytes.length) {
    fail('malformed_ndef', `record declares ${expected} bytes, message has ${bytes.length}`);
  }
  const typeBytes = bytes.subarray(headerLength, headerLength + typeLength);
  let type: string;
  try {
    type = fromUtf8(typeBytes);
  } catch {
    return fail('malformed_ndef', 'record type is not UTF-8');
  }
  if (type.toLowerCase() !== RECORD_TYPE) fail('malformed_ndef', `record type "${type}" is not ${RECORD_TYPE}`);
  return bytes.subarray(headerLength + typeLength);
}
