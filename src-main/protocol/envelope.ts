// The full framing stack of one message: SNEP ( NDEF ( one external record ( CBOR ) ) ).
import { encodeNdef, parseNdef } from './ndef';
import { SnepResponseCode, encodeSnepGet, encodeSnepResponse, parseSnepGet, parseSnepResponse } from './snep';
import { MAX_MESSAGE_BYTES } from '../domain/limits';
import { fail } from '../domain/protocol-error';

/** Terminal: CBOR payload -> SNEP GET request bytes. */
export function wrapRequest(payload: Uint8Array): Uint8Array {
  return encodeSnepGet(encodeNdef(payload), MAX_MESSAGE_BYTES);
}

/** Terminal: SNEP response bytes -> CBOR payload (size cap first, then SNEP, then NDEF). */
export function unwrapResponse(message: Uint8Array): Uint8Array {
  if (message.length > MAX_MESSAGE_BYTES) fail('message_too_large', `reply of ${message.length} bytes > ${MAX_MESSAGE_BYTES}`);
  return parseNdef(parseSnepResponse(message));
}

/** Phone: SNEP GET request bytes -> CBOR payload and the terminal's acceptable length. */
export function unwrapRequest(message: Uint8Array): { payload: Uint8Array; acceptableLength: number } {
  const { ndef, acceptableLength } = parseSnepGet(message);
  return { payload: parseNdef(ndef), acceptableLength };
}

/** Phone: CBOR payload -> SNEP Success response bytes. */
export function wrapResponse(payload: Uint8Array): Uint8Array {
  return encodeSnepResponse(SnepResponseCode.SUCCESS, encodeNdef(payload));
}

export function snepErrorResponse(code: number): Uint8Array {
  return encodeSnepResponse(code);
}
