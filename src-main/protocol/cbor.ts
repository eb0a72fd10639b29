// Strict CBOR boundary: definite lengths, shortest integers, no duplicate keys, no floats,
// tags or undefined, no trailing bytes. Maps come out as Map (integer keys).
import { Tokenizer, Type, decode, encode } from 'cborg';
import type { DecodeOptions } from 'cborg';
import { fail } from './errors';

const options: DecodeOptions = {
  strict: true,
  rejectDuplicateMapKeys: true,
  allowIndefinite: false,
  allowUndefined: false,
  allowInfinity: false,
  allowNaN: false,
  useMaps: true,
};

/** cborg's tokenizer, refusing the token kinds no message of ours contains. */
class StrictTokenizer extends Tokenizer {
  override next() {
    const token = super.next();
    if (token.type.name === Type.float.name) throw new Error('floating-point values are not accepted');
    if (token.type.name === Type.tag.name) throw new Error(`tag ${String(token.value)} is not accepted`);
    return token;
  }
}

export type CborValue = unknown;

export function decodeCbor(bytes: Uint8Array): CborValue {
  try {
    return decode(bytes, { ...options, tokenizer: new StrictTokenizer(bytes, options) });
  } catch (error) {
    return fail('malformed_cbor', error instanceof Error ? error.message : String(error));
  }
}

export function encodeCbor(value: unknown): Uint8Array {
  return encode(value);
}
