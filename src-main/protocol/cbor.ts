// Strict CBOR boundary: definite lengths, shortest integers, no duplicate keys, no floats,
// tags or undefined, valid UTF-8 text, bounded nesting, no trailing bytes. Maps come out as
// Map (integer keys).
import { Tokenizer, Type, decode, encode } from 'cborg';
import type { DecodeOptions } from 'cborg';
import { fail } from '../domain/protocol-error';
import { fromUtf8 } from '../domain/bytes';

/** Deepest nesting of arrays and maps accepted (our messages use 2). */
export const MAX_CBOR_DEPTH = 8;

const options: DecodeOptions = {
  strict: true,
  rejectDuplicateMapKeys: true,
  allowIndefinite: false,
  allowUndefined: false,
  allowInfinity: false,
  allowNaN: false,
  useMaps: true,
  retainStringBytes: true,
};

/**
 * cborg's tokenizer, refusing the token kinds no message of ours contains, text that is not
 * UTF-8 (cborg would substitute U+FFFD) and nesting deeper than MAX_CBOR_DEPTH (cborg
 * recurses once per level: without a bound, 8 KiB of 0x81 would exhaust the stack).
 */
class StrictTokenizer extends Tokenizer {
  /** Items still expected by each open array or map, innermost last. */
  private readonly open: number[] = [];

  override next() {
    const token = super.next();
    if (token.type.name === Type.float.name) throw new Error('floating-point values are not accepted');
    if (token.type.name === Type.tag.name) throw new Error(`tag ${String(token.value)} is not accepted`);
    if (token.type.name === Type.string.name && token.byteValue) fromUtf8(token.byteValue);
    this.track(token.type.name, token.value);
    return token;
  }

  private track(type: string, value: unknown): void {
    const depth = this.open.length;
    if (depth > 0) this.open[depth - 1] = (this.open[depth - 1] ?? 0) - 1;
    const items = type === Type.array.name ? Number(value) : type === Type.map.name ? 2 * Number(value) : 0;
    if (items > 0) {
      this.open.push(items);
      if (this.open.length > MAX_CBOR_DEPTH) throw new Error(`nesting deeper than ${MAX_CBOR_DEPTH}`);
    }
    while (this.open.length > 0 && this.open[this.open.length - 1] === 0) this.open.pop();
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
