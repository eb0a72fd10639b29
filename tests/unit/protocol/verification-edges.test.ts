// Edges of the verification steps: the app key's form, the COSE header profile (text alg,
// crit, kid outside the protected header), and counter / offline-limit arithmetic at 2^53.
import { p256 } from '@noble/curves/nist.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import type { LicenseHistory } from '../../../src-main/domain/payment';
import { authoritySigner, signLicenseContent, trustedAuthorityOf } from '../../../src-main/authority/authority';
import { createTrustStore } from '../../../src-main/verification/trust-store';
import { concatBytes, utf8 } from '../../../src-main/domain/bytes';
import { encodeCbor } from '../../../src-main/protocol/cbor';
import { encodeCoseSign1, sigStructure } from '../../../src-main/protocol/cose';
import { ProtocolError } from '../../../src-main/domain/protocol-error';
import { encodeLicenseContent, type LicenseContent } from '../../../src-main/protocol/license-payload';
import { encodeAuthorizationContent } from '../../../src-main/protocol/authorization-payload';
import { signEs256, nobleVerifier } from '../../../src-main/protocol/signature';
import { checkCounter, checkOfflineLimit, verifyAuthorizationSignature } from '../../../src-main/verification/authorization';
import { verifyLicense } from '../../../src-main/verification/license';
import { EMPTY_REVOCATIONS, mergeRevocationLists } from '../../../src-main/verification/revocation';
import { deriveSecretKey } from '../../../src-main/wallet/demo';
import { NOW, demo } from './helpers';

function reasonOf(step: () => unknown): string {
  try {
    step();
  } catch (error) {
    if (error instanceof ProtocolError) return error.reason;
    throw error;
  }
  return 'accepted';
}

const env = demo();
const context = { trustStore: env.trustStore, revocations: EMPTY_REVOCATIONS, now: NOW, clockSkewMs: 0, verifier: nobleVerifier };
const appSecret = deriveSecretKey('edges', 'app');
const content: LicenseContent = {
  serial: 'edge-1',
  accountId: 'acct-1',
  appPublicKey: p256.getPublicKey(appSecret, false),
  offlineLimit: 100_000,
  currency: 'CNY',
  notBefore: Math.floor(NOW / 1000) - 86_400,
  notAfter: Math.floor(NOW / 1000) + 86_400,
};

/** A license signed by the trusted demo authority over exactly these header and payload bytes. */
function signedWithHeader(header: Map<number, unknown>, unprotected: Map<number, unknown> = new Map()): Uint8Array {
  const protectedBytes = encodeCbor(header);
  const payload = encodeLicenseContent(content);
  const signature = authoritySigner(env.authority)(sigStructure(protectedBytes, payload));
  return encodeCbor([protectedBytes, unprotected, payload, signature]);
}

/** A point with a small x (so that x + p still fits in 32 bytes) on P-256. */
function pointWithSmallX(): { x: bigint; y: bigint } {
  const { Fp } = p256.Point;
  const b = p256.Point.CURVE().b;
  for (let x = 0n; ; x++) {
    const rhs = Fp.create(x * x * x - 3n * x + b);
    try {
      const y = Fp.sqrt(rhs);
      if (Fp.sqr(y) === rhs) return { x, y };
    } catch {
      // not a square: try the next x
    }
  }
}

const hex32 = (v: bigint) => v.toString(16).padStart(64, '0');
const point = (x: bigint, y: bigint) => Uint8Array.from(Buffer.from(`04${hex32(x)}${hex32(y)}`, 'hex'));

describe('app public key in the license', () => {
  const small = pointWithSmallX();
  const p = p256.Point.Fp.ORDER;
  const good = content.appPublicKey;
  const keys: Record<string, Uint8Array> = {
    'compressed (33 bytes)': p256.getPublicKey(appSecret, true),
    'raw X||Y without prefix (64 bytes)': good.subarray(1),
    'prefix 05 instead of 04': concatBytes(Uint8Array.of(5), good.subarray(1)),
    'hybrid prefix 06': concatBytes(Uint8Array.of(6), good.subarray(1)),
    'point at (0, 0), where an identity is sometimes encoded': point(0n, 0n),
    'all zero bytes': new Uint8Array(65),
    'SEC1 encoding of the identity (a single 00 byte)': Uint8Array.of(0),
    'off the curve (y + 1)': point(
      BigInt(`0x${Buffer.from(good.subarray(1, 33)).toString('hex')}`),
      BigInt(`0x${Buffer.from(good.subarray(33)).toString('hex')}`) + 1n,
    ),
    'x not reduced (x + p of a curve point)': point(small.x + p, small.y),
    'one byte too long': concatBytes(good, Uint8Array.of(0)),
    'an Ed25519 key (32 bytes)': ed25519.getPublicKey(new Uint8Array(32).fill(1)),
  };

  it('accepts the uncompressed point, and the point with small x as such', () => {
    expect(reasonOf(() => verifyLicense(signLicenseContent(env.authority, content), context))).toBe('accepted');
    const smallKey = point(small.x, small.y);
    expect(reasonOf(() => verifyLicense(signLicenseContent(env.authority, { ...content, appPublicKey: smallKey }), context))).toBe(
      'accepted',
    );
  });

  it.each(Object.entries(keys))('declines %s with app_key_invalid', (_name, appPublicKey) => {
    const license = signLicenseContent(env.authority, { ...content, appPublicKey });
    expect(reasonOf(() => verifyLicense(license, context))).toBe('app_key_invalid');
  });
});

describe('COSE header profile', () => {
  const kid = utf8(env.authority.kid);

  it('declines a text algorithm name with unsupported_algorithm', () => {
    expect(
      reasonOf(() =>
        verifyLicense(
          signedWithHeader(
            new Map<number, unknown>([
              [1, 'ES256'],
              [4, kid],
            ]),
          ),
          context,
        ),
      ),
    ).toBe('unsupported_algorithm');
  });

  it('declines ES384, ES512 and RS256 ids with unsupported_algorithm', () => {
    for (const alg of [-35, -36, -257]) {
      expect(
        reasonOf(() =>
          verifyLicense(
            signedWithHeader(
              new Map<number, unknown>([
                [1, alg],
                [4, kid],
              ]),
            ),
            context,
          ),
        ),
        String(alg),
      ).toBe('unsupported_algorithm');
    }
  });

  it('declines critical headers (label 2) and any other protected label with malformed_cose', () => {
    const crit = new Map<number, unknown>([
      [1, -7],
      [2, [99]],
      [4, kid],
    ]);
    expect(reasonOf(() => verifyLicense(signedWithHeader(crit), context))).toBe('malformed_cose');
    expect(
      reasonOf(() =>
        verifyLicense(
          signedWithHeader(
            new Map<number, unknown>([
              [1, -7],
              [3, 0],
              [4, kid],
            ]),
          ),
          context,
        ),
      ),
    ).toBe('malformed_cose');
  });

  it('finds the authority only by a kid in the protected header, never the unprotected one', () => {
    const unprotectedKid = signedWithHeader(new Map<number, unknown>([[1, -7]]), new Map<number, unknown>([[4, kid]]));
    expect(reasonOf(() => verifyLicense(unprotectedKid, context))).toBe('malformed_cose');
    expect(reasonOf(() => verifyLicense(signedWithHeader(new Map<number, unknown>([[1, -7]])), context))).toBe('malformed_cose');
  });

  it('declines an authorization signed with EdDSA: app keys are P-256 only', () => {
    const payload = encodeAuthorizationContent({
      transactionId: '00112233445566778899aabbccddeeff',
      amount: 1,
      currency: 'CNY',
      merchantId: 'M',
      terminalId: 'T',
      nonce: new Uint8Array(16),
      licenseHash: new Uint8Array(32),
      counter: 1,
      transcriptHash: new Uint8Array(32),
    });
    const protectedBytes = encodeCbor(new Map([[1, -8]]));
    const signature = signEs256(appSecret, sigStructure(protectedBytes, payload));
    const bytes = encodeCoseSign1(protectedBytes, payload, signature);
    expect(reasonOf(() => verifyAuthorizationSignature(bytes, content.appPublicKey, nobleVerifier))).toBe('unsupported_algorithm');
  });
});

describe('counter and offline limit arithmetic', () => {
  const history = (lastCounter: number | undefined, spent: number): LicenseHistory => ({
    lastCounter: () => lastCounter,
    spentOffline: () => spent,
  });
  const limitOf = (offlineLimit: number) => ({ ...content, offlineLimit });
  const MAX = Number.MAX_SAFE_INTEGER;
  const EDGE = { authorityId: 'edge', serial: 'edge-1' };

  it('counts exactly up to 2^53 - 1', () => {
    expect(reasonOf(() => checkOfflineLimit(1, EDGE, limitOf(MAX), history(undefined, MAX - 1)))).toBe('accepted');
    expect(reasonOf(() => checkOfflineLimit(1, EDGE, limitOf(MAX), history(undefined, MAX)))).toBe('offline_limit_exceeded');
    expect(reasonOf(() => checkOfflineLimit(2, EDGE, limitOf(MAX), history(undefined, MAX - 1)))).toBe('offline_limit_exceeded');
    expect(reasonOf(() => checkOfflineLimit(MAX, EDGE, limitOf(MAX), history(undefined, 0)))).toBe('accepted');
    expect(reasonOf(() => checkOfflineLimit(MAX, EDGE, limitOf(MAX - 1), history(undefined, 0)))).toBe('offline_limit_exceeded');
  });

  it('declines when what was spent is beyond 2^53 or more than the limit', () => {
    expect(reasonOf(() => checkOfflineLimit(1, EDGE, limitOf(MAX), history(undefined, 2 ** 60)))).toBe('offline_limit_exceeded');
    expect(reasonOf(() => checkOfflineLimit(1, EDGE, limitOf(10), history(undefined, 20)))).toBe('offline_limit_exceeded');
  });

  it('fails closed when the history answers NaN', () => {
    expect(reasonOf(() => checkOfflineLimit(1, EDGE, limitOf(100), history(undefined, Number.NaN)))).toBe('offline_limit_exceeded');
    expect(reasonOf(() => checkCounter(5, EDGE, history(Number.NaN, 0)))).toBe('counter_replayed');
  });

  it('needs a counter strictly above the last seen, up to 2^53 - 1', () => {
    expect(reasonOf(() => checkCounter(1, EDGE, history(undefined, 0)))).toBe('accepted');
    expect(reasonOf(() => checkCounter(0, EDGE, history(undefined, 0)))).toBe('counter_replayed');
    expect(reasonOf(() => checkCounter(MAX, EDGE, history(MAX - 1, 0)))).toBe('accepted');
    expect(reasonOf(() => checkCounter(MAX - 1, EDGE, history(MAX - 1, 0)))).toBe('counter_replayed');
  });

  it('declines a jump of more than 2^32 past the last counter, and any counter once 2^53 - 1 was used here', () => {
    expect(reasonOf(() => checkCounter(2 ** 32, EDGE, history(undefined, 0)))).toBe('accepted');
    expect(reasonOf(() => checkCounter(2 ** 32 + 1, EDGE, history(undefined, 0)))).toBe('counter_out_of_range');
    expect(reasonOf(() => checkCounter(MAX, EDGE, history(undefined, 0)))).toBe('counter_out_of_range');
    expect(reasonOf(() => checkCounter(MAX, EDGE, history(MAX - 2 ** 32, 0)))).toBe('accepted');
    expect(reasonOf(() => checkCounter(MAX, EDGE, history(MAX, 0)))).toBe('counter_out_of_range');
    expect(reasonOf(() => checkCounter(5, EDGE, history(MAX, 0)))).toBe('counter_out_of_range');
  });

  it('refuses amounts and counters beyond 2^53 - 1 on the wire (malformed_cbor)', () => {
    const payload = encodeAuthorizationContent({
      transactionId: '00112233445566778899aabbccddeeff',
      amount: 1,
      currency: 'CNY',
      merchantId: 'M',
      terminalId: 'T',
      nonce: new Uint8Array(16),
      licenseHash: new Uint8Array(32),
      counter: 1,
      transcriptHash: new Uint8Array(32),
    });
    // amount 1 (03 01) -> 2^53 (03 1b 0020000000000000)
    const at = Buffer.from(payload).indexOf(Buffer.from('0301', 'hex'));
    const huge = concatBytes(payload.subarray(0, at + 1), Uint8Array.of(0x1b, 0, 0x20, 0, 0, 0, 0, 0, 0), payload.subarray(at + 2));
    const protectedBytes = encodeCbor(new Map([[1, -7]]));
    const bytes = encodeCoseSign1(protectedBytes, huge, signEs256(appSecret, sigStructure(protectedBytes, huge)));
    expect(reasonOf(() => verifyAuthorizationSignature(bytes, content.appPublicKey, nobleVerifier))).toBe('malformed_cbor');
  });
});

describe('which reason a tagged COSE_Sign1 or a payload that is not CBOR gets (docs/protocol.md §5.1)', () => {
  const tag18 = (bytes: Uint8Array) => concatBytes(Uint8Array.of(0xd2), bytes);
  const protectedLicense = encodeCbor(
    new Map<number, unknown>([
      [1, -7],
      [4, utf8(env.authority.kid)],
    ]),
  );
  const protectedAuthorization = encodeCbor(new Map([[1, -7]]));
  const license = (payload: Uint8Array) =>
    encodeCoseSign1(protectedLicense, payload, authoritySigner(env.authority)(sigStructure(protectedLicense, payload)));
  const authorization = (payload: Uint8Array) =>
    encodeCoseSign1(protectedAuthorization, payload, signEs256(appSecret, sigStructure(protectedAuthorization, payload)));
  const notCbor = utf8('{"serial": "edge-1"}');
  const authorizationContent = encodeAuthorizationContent({
    transactionId: '00112233445566778899aabbccddeeff',
    amount: 1,
    currency: 'CNY',
    merchantId: 'M',
    terminalId: 'T',
    nonce: new Uint8Array(16),
    licenseHash: new Uint8Array(32),
    counter: 1,
    transcriptHash: new Uint8Array(32),
  });
  const checkLicense = (bytes: Uint8Array) => reasonOf(() => verifyLicense(bytes, context));
  const checkAuthorization = (bytes: Uint8Array) =>
    reasonOf(() => verifyAuthorizationSignature(bytes, content.appPublicKey, nobleVerifier));

  it('signed well, the untagged objects are accepted (the cases below differ only as named)', () => {
    expect(checkLicense(license(encodeLicenseContent(content)))).toBe('accepted');
    expect(checkAuthorization(authorization(authorizationContent))).toBe('accepted');
  });

  it('tag 18 on a license or an authorization: malformed_cbor', () => {
    expect(checkLicense(tag18(license(encodeLicenseContent(content))))).toBe('malformed_cbor');
    expect(checkAuthorization(tag18(authorization(authorizationContent)))).toBe('malformed_cbor');
  });

  it('a signed payload that is not CBOR: malformed_cbor; CBOR that is not the content map: malformed_message', () => {
    expect(checkLicense(license(notCbor))).toBe('malformed_cbor');
    expect(checkAuthorization(authorization(notCbor))).toBe('malformed_cbor');
    expect(checkLicense(license(encodeCbor([1, 2])))).toBe('malformed_message');
    expect(checkAuthorization(authorization(encodeCbor('content')))).toBe('malformed_message');
  });
});

describe('what is taken as a DER signature (docs/protocol.md §6)', () => {
  const protectedBytes = encodeCbor(new Map([[1, -7]]));
  const payload = encodeAuthorizationContent({
    transactionId: '00112233445566778899aabbccddeeff',
    amount: 1,
    currency: 'CNY',
    merchantId: 'M',
    terminalId: 'T',
    nonce: new Uint8Array(16),
    licenseHash: new Uint8Array(32),
    counter: 1,
    transcriptHash: new Uint8Array(32),
  });
  const toBeSigned = sigStructure(protectedBytes, payload);
  const der = signEs256(appSecret, toBeSigned, { der: true });
  const withSignature = (signature: Uint8Array) =>
    reasonOf(() => verifyAuthorizationSignature(encodeCoseSign1(protectedBytes, payload, signature), content.appPublicKey, nobleVerifier));
  const licenseWithSignature = (signature: Uint8Array) => {
    const header = encodeCbor(
      new Map<number, unknown>([
        [1, -7],
        [4, utf8(env.authority.kid)],
      ]),
    );
    return reasonOf(() => verifyLicense(encodeCoseSign1(header, encodeLicenseContent(content), signature), context));
  };

  it('a SEQUENCE of two INTEGERs filling the signature exactly is DER: signature_der_encoded, for licenses too', () => {
    expect(withSignature(der)).toBe('signature_der_encoded');
    const licenseDer = signEs256(
      env.authority.secretKey,
      sigStructure(
        encodeCbor(
          new Map<number, unknown>([
            [1, -7],
            [4, utf8(env.authority.kid)],
          ]),
        ),
        encodeLicenseContent(content),
      ),
      { der: true },
    );
    expect(licenseWithSignature(licenseDer)).toBe('signature_der_encoded');
  });

  it('anything else that is not 64 bytes is a signature that does not verify', () => {
    const cases: [string, Uint8Array][] = [
      ['63 bytes', new Uint8Array(63).fill(1)],
      ['65 bytes', new Uint8Array(65).fill(1)],
      ['DER with a wrong SEQUENCE length', concatBytes(Uint8Array.of(0x30, (der[1] ?? 0) + 1), der.subarray(2))],
      ['DER with a byte after it', concatBytes(der, Uint8Array.of(0))],
      ['DER with a third INTEGER', concatBytes(Uint8Array.of(0x30, (der[1] ?? 0) + 3), der.subarray(2), Uint8Array.of(2, 1, 1))],
      ['an INTEGER of 34 bytes', concatBytes(Uint8Array.of(0x30, 40, 2, 34), new Uint8Array(34).fill(1), Uint8Array.of(2, 2, 1, 1))],
      ['an empty INTEGER', Uint8Array.of(0x30, 6, 2, 0, 2, 2, 1, 1)],
      ['7 bytes, shaped like DER', Uint8Array.of(0x30, 5, 2, 1, 1, 2, 0)],
    ];
    for (const [name, signature] of cases) expect(withSignature(signature), name).toBe('authorization_signature_invalid');
    expect(licenseWithSignature(new Uint8Array(63).fill(1))).toBe('license_signature_invalid');
  });

  it('a 64-byte signature is always r || s, even when it starts like DER', () => {
    const shaped = concatBytes(
      Uint8Array.of(0x30, 62, 2, 29),
      new Uint8Array(29).fill(1),
      Uint8Array.of(2, 29),
      new Uint8Array(29).fill(1),
    );
    expect(shaped.length).toBe(64);
    expect(withSignature(shaped)).toBe('authorization_signature_invalid');
  });
});

describe('dates in decline details', () => {
  const detailOf = (license: LicenseContent) => {
    try {
      verifyLicense(signLicenseContent(env.authority, license), context);
    } catch (error) {
      if (error instanceof ProtocolError) return error.detail;
      throw error;
    }
    return 'accepted';
  };

  it('are ISO 8601, and "an invalid date" past what a Date holds, never a raw number', () => {
    expect(detailOf({ ...content, notBefore: Math.floor(NOW / 1000) + 86_400, notAfter: Math.floor(NOW / 1000) + 2 * 86_400 })).toBe(
      `license valid from ${new Date(NOW + 86_400_000).toISOString()}`,
    );
    expect(detailOf({ ...content, notBefore: Number.MAX_SAFE_INTEGER, notAfter: Number.MAX_SAFE_INTEGER })).toBe(
      'license valid from an invalid date',
    );
    expect(detailOf({ ...content, notBefore: 0, notAfter: 1 })).toBe('license expired 1970-01-01T00:00:01.000Z');
  });
});

describe('validity windows and the configurable clock skew', () => {
  const license = signLicenseContent(env.authority, content);
  const at = (now: number, clockSkewMs: number, trustStore = env.trustStore) =>
    reasonOf(() => verifyLicense(license, { trustStore, revocations: EMPTY_REVOCATIONS, now, clockSkewMs, verifier: nobleVerifier }));
  const notBefore = content.notBefore * 1000;
  const notAfter = content.notAfter * 1000;

  it('license notAfter is inclusive and stretched by exactly the skew', () => {
    expect(at(notAfter, 0)).toBe('accepted');
    expect(at(notAfter + 1, 0)).toBe('license_expired');
    expect(at(notAfter + 60_000, 60_000)).toBe('accepted');
    expect(at(notAfter + 60_001, 60_000)).toBe('license_expired');
  });

  it('license notBefore is inclusive and stretched by exactly the skew', () => {
    expect(at(notBefore, 0)).toBe('accepted');
    expect(at(notBefore - 1, 0)).toBe('license_not_yet_valid');
    expect(at(notBefore - 60_000, 60_000)).toBe('accepted');
    expect(at(notBefore - 60_001, 60_000)).toBe('license_not_yet_valid');
  });

  it('the authority key window is checked with the same skew, and a retired key is never valid', () => {
    const authority = trustedAuthorityOf(env.authority);
    const future = createTrustStore([{ ...authority, notBefore: NOW + 3_600_000 }]);
    expect(at(NOW, 0, future)).toBe('authority_key_not_valid');
    expect(at(NOW, 3_600_000, future)).toBe('accepted');
    const past = createTrustStore([{ ...authority, notAfter: NOW - 1 }]);
    expect(at(NOW, 0, past)).toBe('authority_key_not_valid');
    expect(at(NOW, 1, past)).toBe('accepted');
    expect(at(NOW, 0, createTrustStore([{ ...authority, retired: true }]))).toBe('authority_key_not_valid');
  });

  it('checks revocation of the license serial before the authority kid', () => {
    const list = {
      authorityId: env.authority.authorityId,
      licenseSerials: new Set([content.serial]),
      authorityKids: new Set([env.authority.kid]),
    };
    const check = (revoking: typeof list) =>
      reasonOf(() =>
        verifyLicense(license, {
          trustStore: env.trustStore,
          revocations: mergeRevocationLists([revoking]),
          now: NOW,
          clockSkewMs: 0,
          verifier: nobleVerifier,
        }),
      );
    expect(check(list)).toBe('license_revoked');
    expect(check({ ...list, licenseSerials: new Set() })).toBe('authority_revoked');
  });
});
