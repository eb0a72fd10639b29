// The prepared-key ES256 path and the node:crypto verifier must decide exactly as noble's own
// verify (lowS: false): the verification rules give the same verdict on either verifier.
import fc from 'fast-check';
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { createNodeVerifier } from '../../../src-main/protocol/node-signature';
import { nobleVerifier, signEdDsa, signEs256, verifyEdDsa, verifyEs256, verifyEs256Prepared } from '../../../src-main/protocol/signature';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { deriveSecretKey } from '../../../src-main/wallet/demo';

const keys = [0, 1, 2].map((i) => deriveSecretKey('signature-test', String(i)));
const publicKeys = keys.map((k) => p256.getPublicKey(k, false));
const N = p256.Point.CURVE().n;

function withScalars(r: bigint, s: bigint): Uint8Array {
  const hex = (v: bigint) => v.toString(16).padStart(64, '0').slice(-64);
  return Uint8Array.from(Buffer.from(hex(r) + hex(s), 'hex'));
}

const nodeVerifier = createNodeVerifier();

describe('verifyEs256Prepared', () => {
  it('agrees with noble verify on valid, high-S, mutated and out-of-range signatures', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 2 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom('valid', 'high-s', 'flip', 'random', 'r=0', 's=n', 'r=n-1'),
        fc.nat(),
        (signer, verifier, message, kind, position) => {
          const secret = keys[signer] as Uint8Array;
          const publicKey = publicKeys[verifier] as Uint8Array;
          let signature = signEs256(secret, message, { highS: kind === 'high-s' });
          const { r, s } = p256.Signature.fromBytes(signature);
          if (kind === 'flip') signature[position % 64] = (signature[position % 64] ?? 0) ^ (1 << (position % 8));
          if (kind === 'random') signature = Uint8Array.from({ length: 64 }, (_, i) => (position * 7 + i * 13) & 0xff);
          if (kind === 'r=0') signature = withScalars(0n, s);
          if (kind === 's=n') signature = withScalars(r, N);
          if (kind === 'r=n-1') signature = withScalars(N - 1n, s);
          const expected = p256.verify(signature, message, publicKey, { lowS: false });
          expect(verifyEs256Prepared(publicKey, message, signature)).toBe(expected);
          expect(verifyEs256(publicKey, message, signature)).toBe(expected);
          if (kind === 'valid' || kind === 'high-s') expect(expected).toBe(signer === verifier);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('does not reuse a prepared point after the key bytes changed', () => {
    const message = Uint8Array.of(1, 2, 3);
    const key = (publicKeys[0] as Uint8Array).slice();
    const signature = signEs256(keys[0] as Uint8Array, message);
    expect(verifyEs256Prepared(key, message, signature)).toBe(true);
    key.set(publicKeys[1] as Uint8Array);
    expect(verifyEs256Prepared(key, message, signature)).toBe(false);
  });
});

describe('verifyEdDsa', () => {
  it('refuses a non-canonical R encoding that ZIP-215 decoding would accept', () => {
    const secret = new Uint8Array(32).fill(7);
    const { scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(secret);
    const message = Uint8Array.of(1, 2, 3);
    expect(verifyEdDsa(pointBytes, message, signEdDsa(secret, message))).toBe(true);
    const L = ed25519.Point.Fn.ORDER;
    const le = (value: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn));
    const fromLe = (bytes: Uint8Array) => bytes.reduceRight((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
    // R = the identity, encoded with y = p + 1 instead of 1; S = k·a makes the equation hold.
    const R = le(2n ** 255n - 19n + 1n);
    const k = fromLe(sha512(Uint8Array.of(...R, ...pointBytes, ...message))) % L;
    const forged = Uint8Array.of(...R, ...le((k * scalar) % L));
    expect(ed25519.verify(forged, message, pointBytes)).toBe(true); // noble's ZIP-215 default
    expect(verifyEdDsa(pointBytes, message, forged)).toBe(false);
  });
});

describe('createNodeVerifier', () => {
  it('decides as the noble verifier (prepared path, itself checked against noble above) on the same signatures', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 2 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom('valid', 'high-s', 'flip', 'random', 'r=0', 's=n', 'r=n-1'),
        fc.nat(),
        (signer, verifier, message, kind, position) => {
          const publicKey = publicKeys[verifier] as Uint8Array;
          let signature = signEs256(keys[signer] as Uint8Array, message, { highS: kind === 'high-s' });
          const { r, s } = p256.Signature.fromBytes(signature);
          if (kind === 'flip') signature[position % 64] = (signature[position % 64] ?? 0) ^ (1 << (position % 8));
          if (kind === 'random') signature = Uint8Array.from({ length: 64 }, (_, i) => (position * 7 + i * 13) & 0xff);
          if (kind === 'r=0') signature = withScalars(0n, s);
          if (kind === 's=n') signature = withScalars(r, N);
          if (kind === 'r=n-1') signature = withScalars(N - 1n, s);
          const expected = nobleVerifier.verify('ES256', publicKey, message, signature, true);
          expect(nodeVerifier.verify('ES256', publicKey, message, signature, false)).toBe(expected);
          if (kind === 'valid' || kind === 'high-s') expect(expected).toBe(signer === verifier);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses what is not a P-256 point or not a 64-byte signature, as the noble verifier does', () => {
    const message = Uint8Array.of(9);
    const signature = signEs256(keys[0] as Uint8Array, message);
    const offCurve = (publicKeys[0] as Uint8Array).slice();
    offCurve[64] = (offCurve[64] ?? 0) ^ 1;
    const compressed = p256.getPublicKey(keys[0] as Uint8Array, true);
    for (const [key, sig] of [
      [offCurve, signature],
      [compressed, signature],
      [publicKeys[0] as Uint8Array, signEs256(keys[0] as Uint8Array, message, { der: true })],
      [publicKeys[0] as Uint8Array, signature.subarray(0, 63)],
    ] as const) {
      expect(nodeVerifier.verify('ES256', key, message, sig, false)).toBe(false);
      expect(nobleVerifier.verify('ES256', key, message, sig, false)).toBe(false);
    }
    expect(nodeVerifier.verify('ES256', publicKeys[0] as Uint8Array, message, signature, false)).toBe(true);
  });

  it('checks EdDSA with the strict rule', () => {
    const secret = new Uint8Array(32).fill(3);
    const message = Uint8Array.of(1);
    const publicKey = ed25519.getPublicKey(secret);
    const signature = signEdDsa(secret, message);
    expect(nodeVerifier.verify('EdDSA', publicKey, message, signature, true)).toBe(true);
    expect(nodeVerifier.verify('EdDSA', publicKey, Uint8Array.of(2), signature, true)).toBe(false);
  });
});
