// Deterministic ECDSA on P-256 written from RFC 6979 §3.2 (HMAC-SHA-256, no additional
// data), independent of noble's signer: the vectors test uses it to show that docs/protocol.md
// §12 says exactly how the vectors' signatures are made. Only the curve's point
// multiplication comes from noble.
import { p256 } from '@noble/curves/nist.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, fromHex, toHex } from '../../../src-main/domain/bytes';

export const P256_N = p256.Point.CURVE().n;

const toInt = (bytes: Uint8Array): bigint => BigInt(`0x${toHex(bytes) || '0'}`);
const int32 = (value: bigint): Uint8Array => fromHex(value.toString(16).padStart(64, '0'));

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** (r, s) of the RFC 6979 signature of `message` (hashed with SHA-256) as computed, S not normalised. */
export function rfc6979Sign(secretKey: Uint8Array, message: Uint8Array): { r: bigint; s: bigint } {
  const h1 = toInt(sha256(message));
  const x = int32(toInt(secretKey));
  const h1Octets = int32(h1 % P256_N);
  const mac = (key: Uint8Array, ...parts: Uint8Array[]) => hmac(sha256, key, concatBytes(...parts));
  let v = new Uint8Array(32).fill(1);
  let k = new Uint8Array(32);
  k = mac(k, v, Uint8Array.of(0), x, h1Octets);
  v = mac(k, v);
  k = mac(k, v, Uint8Array.of(1), x, h1Octets);
  v = mac(k, v);
  for (;;) {
    v = mac(k, v);
    const candidate = toInt(v);
    if (candidate >= 1n && candidate < P256_N) {
      const r = p256.Point.BASE.multiply(candidate).toAffine().x % P256_N;
      const s = (modPow(candidate, P256_N - 2n, P256_N) * (h1 + r * toInt(x))) % P256_N;
      if (r !== 0n && s !== 0n) return { r, s };
    }
    k = mac(k, v, Uint8Array.of(0));
    v = mac(k, v);
  }
}

export function lowS(s: bigint): bigint {
  return s > P256_N / 2n ? P256_N - s : s;
}

/** COSE's 64-byte r || s. */
export function rawSignature(r: bigint, s: bigint): Uint8Array {
  return concatBytes(int32(r), int32(s));
}

/** ASN.1 DER ECDSA-Sig-Value: SEQUENCE { INTEGER r, INTEGER s }, shortest two's-complement INTEGERs. */
export function derSignature(r: bigint, s: bigint): Uint8Array {
  const integer = (value: bigint) => {
    let bytes = int32(value);
    while (bytes.length > 1 && bytes[0] === 0 && ((bytes[1] ?? 0) & 0x80) === 0) bytes = bytes.subarray(1);
    if (((bytes[0] ?? 0) & 0x80) !== 0) bytes = concatBytes(Uint8Array.of(0), bytes);
    return concatBytes(Uint8Array.of(0x02, bytes.length), bytes);
  };
  const body = concatBytes(integer(r), integer(s));
  return concatBytes(Uint8Array.of(0x30, body.length), body);
}
