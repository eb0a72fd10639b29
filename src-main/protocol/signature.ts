// Signature primitives of the COSE profiles: ES256 (P-256, raw r||s, high-S accepted) and
// EdDSA (Ed25519). Verification never throws; signing is RFC 6979 deterministic.
import { p256 } from '@noble/curves/nist.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual, toHex } from '../domain/bytes';

export type SignatureAlgorithm = 'ES256' | 'EdDSA';

/** COSE algorithm identifiers (IANA "COSE Algorithms"). */
export const COSE_ALGORITHMS: Record<SignatureAlgorithm, number> = { ES256: -7, EdDSA: -8 };

export function algorithmFromCose(id: number): SignatureAlgorithm | undefined {
  if (id === COSE_ALGORITHMS.ES256) return 'ES256';
  if (id === COSE_ALGORITHMS.EdDSA) return 'EdDSA';
  return undefined;
}

export const ES256_SIGNATURE_BYTES = 64;

/**
 * True when a signature that is not 64 bytes parses as an ASN.1 DER ECDSA-Sig-Value
 * (SEQUENCE of two INTEGERs): the classic mistake of passing a platform signature through.
 */
export function looksLikeDer(signature: Uint8Array): boolean {
  if (signature.length === ES256_SIGNATURE_BYTES || signature.length < 8 || signature.length > 72) return false;
  if (signature[0] !== 0x30 || signature[1] !== signature.length - 2) return false;
  let at = 2;
  for (let i = 0; i < 2; i++) {
    if (signature[at] !== 0x02) return false;
    const length = signature[at + 1] ?? 0;
    if (length < 1 || length > 33) return false;
    at += 2 + length;
  }
  return at === signature.length;
}

/** A valid uncompressed (0x04 || X || Y) P-256 public key, not the identity. */
export function isValidP256PublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) return false;
  try {
    p256.Point.fromBytes(publicKey).assertValidity();
    return true;
  } catch {
    return false;
  }
}

export function isValidEd25519PublicKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 32) return false;
  try {
    ed25519.Point.fromBytes(publicKey);
    return true;
  } catch {
    return false;
  }
}

/** ES256 over `message` (hashed with SHA-256 here); high-S accepted on purpose. */
export function verifyEs256(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== ES256_SIGNATURE_BYTES) return false;
  try {
    return p256.verify(signature, message, publicKey, { lowS: false });
  } catch {
    return false;
  }
}

type P256Point = ReturnType<typeof p256.Point.fromBytes>;
const preparedKeys = new WeakMap<Uint8Array, { copy: Uint8Array; point: P256Point }>();

function preparedPoint(publicKey: Uint8Array): P256Point {
  const known = preparedKeys.get(publicKey);
  if (known && bytesEqual(known.copy, publicKey)) return known.point;
  const point = p256.Point.fromBytes(publicKey);
  point.precompute(8, false);
  preparedKeys.set(publicKey, { copy: publicKey.slice(), point });
  return point;
}

/**
 * ES256 like verifyEs256, for long-lived keys (credit authorities): the key's point is
 * decoded once per key array and given a precomputed window table, which makes each
 * check about 4x faster. Same steps as noble's verify (SEC 1 §4.1.4), high-S accepted.
 */
export function verifyEs256Prepared(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== ES256_SIGNATURE_BYTES) return false;
  try {
    const point = preparedPoint(publicKey);
    if (point.is0()) return false;
    const { r, s } = p256.Signature.fromBytes(signature); // both in [1, n-1]
    const { Fn } = p256.Point;
    const h = Fn.create(BigInt(`0x${toHex(sha256(message))}`));
    const sInverse = Fn.inv(s);
    const R = p256.Point.BASE.multiplyUnsafe(Fn.mul(h, sInverse)).add(point.multiplyUnsafe(Fn.mul(r, sInverse)));
    if (R.is0()) return false;
    return Fn.create(R.toAffine().x) === r;
  } catch {
    return false;
  }
}

export function verifyEdDsa(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    // RFC 8032 strict decoding: noble's ed25519 defaults to ZIP-215, which also accepts
    // non-canonical encodings of R and A.
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/**
 * The port every signature check of the verification rules goes through, so the terminal and
 * settlement run the same rules on the implementation the caller chooses: `nobleVerifier`
 * (pure JS, runs anywhere) or `createNodeVerifier()` (protocol/node-signature.ts, OpenSSL).
 * Each implementation decides exactly as the profiles above: ES256 over raw r||s (64 bytes),
 * high-S accepted; EdDSA with RFC 8032 strict decoding. It never throws.
 */
export interface SignatureVerifier {
  /** `longLived`: a key checked many times (an authority's), worth preparing once. */
  verify(alg: SignatureAlgorithm, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, longLived: boolean): boolean;
}

export const nobleVerifier: SignatureVerifier = {
  verify(alg, publicKey, message, signature, longLived) {
    if (alg === 'EdDSA') return verifyEdDsa(publicKey, message, signature);
    // The profile's keys are uncompressed points; noble alone would also take compressed ones.
    if (publicKey.length !== 65 || publicKey[0] !== 0x04) return false;
    return longLived ? verifyEs256Prepared(publicKey, message, signature) : verifyEs256(publicKey, message, signature);
  },
};

export interface Es256SignOptions {
  /** Produce the high-S twin (n - s), as phone key stores may. */
  highS?: boolean;
  /** Produce ASN.1 DER instead of raw r||s (a protocol violation, for tests). */
  der?: boolean;
}

export function signEs256(secretKey: Uint8Array, message: Uint8Array, options: Es256SignOptions = {}): Uint8Array {
  const compact = p256.sign(message, secretKey, { lowS: true });
  let signature = p256.Signature.fromBytes(compact);
  if (options.highS) signature = new p256.Signature(signature.r, p256.Point.CURVE().n - signature.s);
  return signature.toBytes(options.der ? 'der' : 'compact');
}

export function signEdDsa(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, secretKey);
}

export function publicKeyFor(alg: SignatureAlgorithm, secretKey: Uint8Array): Uint8Array {
  return alg === 'ES256' ? p256.getPublicKey(secretKey, false) : ed25519.getPublicKey(secretKey);
}

export function isValidSecretKey(alg: SignatureAlgorithm, secretKey: Uint8Array): boolean {
  return alg === 'ES256' ? p256.utils.isValidSecretKey(secretKey) : secretKey.length === 32;
}

export function randomSecretKey(alg: SignatureAlgorithm, random: (length: number) => Uint8Array): Uint8Array {
  if (alg === 'EdDSA') return random(32);
  for (;;) {
    const candidate = random(32);
    if (p256.utils.isValidSecretKey(candidate)) return candidate;
  }
}
