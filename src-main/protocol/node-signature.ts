// The SignatureVerifier on Node's crypto (OpenSSL): about 60x faster than the pure-JS one for
// ES256, which matters where every approval of a business day is checked again (verify-export,
// settlement). OpenSSL's ECDSA accepts high-S as phones produce it. EdDSA stays on the noble
// code: only authority keys use it, and its strict decoding is the rule.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ES256_SIGNATURE_BYTES, verifyEdDsa, type SignatureVerifier } from './signature';

/** Enough for every app key of a busy day; past it the cache starts over. */
const MAX_CACHED_KEYS = 50_000;

const b64u = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');

function p256Key(publicKey: Uint8Array): KeyObject | null {
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) return null;
  try {
    // Importing checks that the point is on the curve.
    return createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: b64u(publicKey.subarray(1, 33)), y: b64u(publicKey.subarray(33, 65)) },
      format: 'jwk',
    });
  } catch {
    return null;
  }
}

/** A verifier with its own cache of imported keys (each P-256 key is imported once). */
export function createNodeVerifier(): SignatureVerifier {
  const keys = new Map<string, KeyObject | null>();
  const keyFor = (publicKey: Uint8Array): KeyObject | null => {
    const id = b64u(publicKey);
    let key = keys.get(id);
    if (key === undefined) {
      if (keys.size >= MAX_CACHED_KEYS) keys.clear();
      key = p256Key(publicKey);
      keys.set(id, key);
    }
    return key;
  };
  return {
    verify(alg, publicKey, message, signature) {
      if (alg === 'EdDSA') return verifyEdDsa(publicKey, message, signature);
      if (signature.length !== ES256_SIGNATURE_BYTES) return false;
      const key = keyFor(publicKey);
      if (!key) return false;
      try {
        return verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
      } catch {
        return false;
      }
    },
  };
}
