// SNEP (NFC Forum Simple NDEF Exchange Protocol 1.0) request/response framing, carried
// here inside the APDU exchange command instead of LLCP.
import { fail } from '../domain/protocol-error';
import { MAX_MESSAGE_BYTES } from '../domain/limits';

export const SNEP_VERSION = 0x10;
export const SNEP_GET = 0x01;
export const SNEP_PUT = 0x02;
const HEADER = 6;

export const SnepResponseCode = {
  CONTINUE: 0x80,
  SUCCESS: 0x81,
  NOT_FOUND: 0xc0,
  EXCESS_DATA: 0xc1,
  BAD_REQUEST: 0xc2,
  NOT_IMPLEMENTED: 0xe0,
  UNSUPPORTED_VERSION: 0xe1,
  REJECT: 0xff,
} as const;

const errorNames = new Map<number, string>([
  [SnepResponseCode.NOT_FOUND, 'Not Found'],
  [SnepResponseCode.EXCESS_DATA, 'Excess Data'],
  [SnepResponseCode.BAD_REQUEST, 'Bad Request'],
  [SnepResponseCode.NOT_IMPLEMENTED, 'Not Implemented'],
  [SnepResponseCode.UNSUPPORTED_VERSION, 'Unsupported Version'],
  [SnepResponseCode.REJECT, 'Reject'],
]);

function frame(code: number, info: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + info.length);
  const view = new DataView(out.buffer);
  out[0] = SNEP_VERSION;
  out[1] = code;
  view.setUint32(2, info.length);
  out.set(info, HEADER);
  return out;
}

/** GET request: information field = acceptable length (uint32) + NDEF message. */
export function encodeSnepGet(ndef: Uint8Array, acceptableLength = MAX_MESSAGE_BYTES): Uint8Array {
  const info = new Uint8Array(4 + ndef.length);
  new DataView(info.buffer).setUint32(0, acceptableLength);
  info.set(ndef, 4);
  return frame(SNEP_GET, info);
}

export function encodeSnepResponse(code: number, ndef: Uint8Array = new Uint8Array(0)): Uint8Array {
  return frame(code, ndef);
}

interface Frame {
  version: number;
  code: number;
  info: Uint8Array;
}

function parseFrame(bytes: Uint8Array): Frame {
  if (bytes.length > MAX_MESSAGE_BYTES) fail('message_too_large', `SNEP message of ${bytes.length} bytes > ${MAX_MESSAGE_BYTES}`);
  if (bytes.length < HEADER) fail('malformed_snep', `SNEP message of ${bytes.length} bytes is shorter than its header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(0);
  const code = view.getUint8(1);
  const length = view.getUint32(2);
  if (length !== bytes.length - HEADER) {
    fail('malformed_snep', `SNEP length field ${length} but ${bytes.length - HEADER} bytes follow`);
  }
  return { version, code, info: bytes.subarray(HEADER) };
}

/**
 * Total size a SNEP 1.x message declares in its header (6 + length field), from its first
 * bytes; undefined until 6 bytes are there, or when they are not a SNEP 1.x header (the
 * parser reports that). Lets the link refuse an oversized reply on its first APDU instead
 * of reading it up to the cap.
 */
export function snepDeclaredSize(head: Uint8Array): number | undefined {
  if (head.length < HEADER || (head[0] ?? 0) >> 4 !== SNEP_VERSION >> 4) return undefined;
  return HEADER + new DataView(head.buffer, head.byteOffset, HEADER).getUint32(2);
}

function checkVersion(version: number): void {
  if (version >> 4 !== SNEP_VERSION >> 4) fail('malformed_snep', `SNEP major version ${version >> 4} is not 1`);
}

/** Terminal side: returns the NDEF message of a Success response; every error code is a snep_error. */
export function parseSnepResponse(bytes: Uint8Array): Uint8Array {
  const { version, code, info } = parseFrame(bytes);
  checkVersion(version);
  if (code === SnepResponseCode.SUCCESS) return info;
  const name = errorNames.get(code);
  if (name !== undefined) fail('snep_error', `phone answered SNEP ${name} (0x${code.toString(16)})`);
  return fail('malformed_snep', `unexpected SNEP response code 0x${code.toString(16)}`);
}

export interface SnepGetRequest {
  acceptableLength: number;
  ndef: Uint8Array;
}

/** Phone side: parses a GET request. */
export function parseSnepGet(bytes: Uint8Array): SnepGetRequest {
  const { version, code, info } = parseFrame(bytes);
  checkVersion(version);
  if (code !== SNEP_GET) fail('malformed_snep', `SNEP request code 0x${code.toString(16)} is not GET`);
  if (info.length < 4) fail('malformed_snep', 'GET request without acceptable length');
  const acceptableLength = new DataView(info.buffer, info.byteOffset, 4).getUint32(0);
  return { acceptableLength, ndef: info.subarray(4) };
}
