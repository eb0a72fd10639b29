// Typed reads from a decoded CBOR map with integer keys; any mismatch is malformed_message.
import { fail } from '../domain/protocol-error';
import { toHex } from '../domain/bytes';

/** Merchant, terminal and account ids: 1-64 characters, no control characters. */
export const TEXT64_PATTERN = /^[^\p{Cc}\p{Cs}]{1,64}$/u;
/** ISO 4217 alpha code. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

export class Fields {
  private readonly map: Map<unknown, unknown>;
  private readonly what: string;

  constructor(value: unknown, what: string, allowedKeys: readonly number[]) {
    if (!(value instanceof Map)) fail('malformed_message', `${what} must be a CBOR map`);
    for (const key of value.keys()) {
      if (typeof key !== 'number' || !allowedKeys.includes(key)) {
        fail('malformed_message', `${what} has unexpected key ${String(key)}`);
      }
    }
    this.map = value as Map<unknown, unknown>;
    this.what = what;
  }

  private get(key: number): unknown {
    if (!this.map.has(key)) fail('malformed_message', `${this.what} lacks key ${key}`);
    return this.map.get(key);
  }

  has(key: number): boolean {
    return this.map.has(key);
  }

  uint(key: number, min = 0): number {
    const value = this.get(key);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      fail('malformed_message', `${this.what} key ${key} must be an unsigned integer >= ${min}`);
    }
    return value;
  }

  /** Checks a constant such as the message type or version. */
  constant(key: number, expected: number): void {
    const value = this.get(key);
    if (value !== expected) fail('malformed_message', `${this.what} key ${key} must be ${expected}, got ${String(value)}`);
  }

  bytes(key: number, minLength: number, maxLength = minLength): Uint8Array {
    const value = this.get(key);
    if (!(value instanceof Uint8Array) || value.length < minLength || value.length > maxLength) {
      const size = minLength === maxLength ? `${minLength}` : `${minLength}..${maxLength}`;
      fail('malformed_message', `${this.what} key ${key} must be a bstr of ${size} bytes`);
    }
    return value.slice();
  }

  hex(key: number, length: number): string {
    return toHex(this.bytes(key, length));
  }

  text(key: number, pattern: RegExp = TEXT64_PATTERN): string {
    const value = this.get(key);
    if (typeof value !== 'string' || !pattern.test(value)) {
      fail('malformed_message', `${this.what} key ${key} must be text matching ${pattern.source}`);
    }
    return value;
  }

  currency(key: number): string {
    return this.text(key, CURRENCY_PATTERN);
  }
}

export const SERIAL_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
