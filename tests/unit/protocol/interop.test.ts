// Authorizations signed by OpenSSL (Node's crypto, which does not normalise S) verify;
// explicit high-S verifies; DER is declined with its own reason.
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { encodeAuthorizationContent } from '../../../src-main/protocol/authorization-payload';
import { encodeCoseSign1, encodeProtectedHeader, sigStructure } from '../../../src-main/protocol/cose';
import { ProtocolError } from '../../../src-main/domain/protocol-error';
import { toBase64Url } from '../../../src-main/domain/bytes';
import { COSE_ALGORITHMS, signEs256, verifyEs256, nobleVerifier } from '../../../src-main/protocol/signature';
import { verifyAuthorizationSignature } from '../../../src-main/verification/authorization';
import { deriveSecretKey } from '../../../src-main/wallet/demo';
import { createAuthority, trustedAuthorityOf } from '../../../src-main/authority/authority';
import { encodeLicenseContent } from '../../../src-main/protocol/license-payload';
import { verifyLicense } from '../../../src-main/verification/license';
import { EMPTY_REVOCATIONS } from '../../../src-main/verification/revocation';
import { createTrustStore } from '../../../src-main/verification/trust-store';

const HALF_N = p256.Point.CURVE().n / 2n;

function content(counter: number) {
  return encodeAuthorizationContent({
    transactionId: '00112233445566778899aabbccddeeff',
    amount: 1234 + counter,
    currency: 'CNY',
    merchantId: 'M-0001',
    terminalId: 'T-01',
    nonce: new Uint8Array(16).fill(counter & 0xff),
    licenseHash: new Uint8Array(32).fill(7),
    counter,
    transcriptHash: new Uint8Array(32).fill(9),
  });
}

function nodeKey(secretKey: Uint8Array) {
  const pub = p256.getPublicKey(secretKey, false);
  return createPrivateKey({
    key: { kty: 'EC', crv: 'P-256', d: toBase64Url(secretKey), x: toBase64Url(pub.subarray(1, 33)), y: toBase64Url(pub.subarray(33)) },
    format: 'jwk',
  });
}

function opensslAuthorization(secretKey: Uint8Array, payload: Uint8Array, dsaEncoding: 'ieee-p1363' | 'der') {
  const protectedBytes = encodeProtectedHeader(COSE_ALGORITHMS.ES256);
  const signature = new Uint8Array(nodeSign('sha256', sigStructure(protectedBytes, payload), { key: nodeKey(secretKey), dsaEncoding }));
  return { bytes: encodeCoseSign1(protectedBytes, payload, signature), signature };
}

describe('interop with OpenSSL signatures', () => {
  it('verifies authorizations signed by node:crypto (ieee-p1363), high-S ones included', () => {
    const secretKey = deriveSecretKey('interop', 'app');
    const publicKey = p256.getPublicKey(secretKey, false);
    let highS = 0;
    for (let counter = 1; counter <= 64; counter++) {
      const { bytes, signature } = opensslAuthorization(secretKey, content(counter), 'ieee-p1363');
      if (p256.Signature.fromBytes(signature).s > HALF_N) highS += 1;
      expect(verifyAuthorizationSignature(bytes, publicKey, nobleVerifier).counter).toBe(counter);
    }
    // OpenSSL does not normalise S: about half of its signatures are high-S (2^-64 chance of none).
    expect(highS).toBeGreaterThan(0);
  });

  it('accepts an explicit high-S signature that noble rejects by default', () => {
    const secretKey = deriveSecretKey('interop', 'high-s');
    const publicKey = p256.getPublicKey(secretKey, false);
    const message = content(5);
    const high = signEs256(secretKey, message, { highS: true });
    expect(p256.Signature.fromBytes(high).s > HALF_N).toBe(true);
    expect(p256.verify(high, message, publicKey)).toBe(false);
    expect(verifyEs256(publicKey, message, high)).toBe(true);
  });

  it('declines a DER signature from node:crypto with signature_der_encoded', () => {
    const secretKey = deriveSecretKey('interop', 'der');
    const { bytes } = opensslAuthorization(secretKey, content(3), 'der');
    try {
      verifyAuthorizationSignature(bytes, p256.getPublicKey(secretKey, false), nobleVerifier);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).reason).toBe('signature_der_encoded');
    }
  });

  it('declines a signature by another key', () => {
    const { bytes } = opensslAuthorization(deriveSecretKey('interop', 'a'), content(4), 'ieee-p1363');
    expect(() => verifyAuthorizationSignature(bytes, p256.getPublicKey(deriveSecretKey('interop', 'b'), false), nobleVerifier)).toThrow(
      expect.objectContaining({ reason: 'authorization_signature_invalid' }),
    );
  });

  it('verifies licenses signed by node:crypto for the authority, high-S ones included', () => {
    const authority = createAuthority({
      kid: 'openssl-authority',
      secretKey: deriveSecretKey('interop', 'authority'),
      notBefore: 0,
      notAfter: 4_102_444_800_000,
    });
    const context = {
      trustStore: createTrustStore([trustedAuthorityOf(authority)]),
      revocations: EMPTY_REVOCATIONS,
      now: Date.parse('2026-06-01T00:00:00Z'),
      clockSkewMs: 0,
      verifier: nobleVerifier,
    };
    const appPublicKey = p256.getPublicKey(deriveSecretKey('interop', 'app'), false);
    let highS = 0;
    for (let i = 1; i <= 32; i++) {
      const payload = encodeLicenseContent({
        serial: `openssl-${i}`,
        accountId: 'acct',
        appPublicKey,
        offlineLimit: i,
        currency: 'CNY',
        notBefore: 1_700_000_000,
        notAfter: 1_900_000_000,
      });
      const protectedBytes = encodeProtectedHeader(COSE_ALGORITHMS.ES256, authority.kid);
      const signature = new Uint8Array(
        nodeSign('sha256', sigStructure(protectedBytes, payload), { key: nodeKey(authority.secretKey), dsaEncoding: 'ieee-p1363' }),
      );
      if (p256.Signature.fromBytes(signature).s > HALF_N) highS += 1;
      expect(verifyLicense(encodeCoseSign1(protectedBytes, payload, signature), context).content.serial).toBe(`openssl-${i}`);
    }
    expect(highS).toBeGreaterThan(0);
  });
});
