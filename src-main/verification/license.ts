// Verifies an APP public key license (pipeline steps 1-8 of docs/protocol.md, in order).
import { parseCoseSign1, sigStructure } from '../protocol/cose';
import { fail } from '../domain/protocol-error';
import { parseLicenseContent, type LicenseContent } from '../protocol/license-payload';
import {
  algorithmFromCose,
  isValidP256PublicKey,
  looksLikeDer,
  type SignatureAlgorithm,
  type SignatureVerifier,
} from '../protocol/signature';
import { licenseHash } from '../protocol/transcript';
import { MAX_MESSAGE_BYTES } from '../domain/limits';
import type { PaymentFacts } from '../domain/payment';
import { isAuthorityKeyRevoked, isLicenseRevoked, type RevocationList } from './revocation';
import { licenseIdentity } from './license-identity';
import type { TrustStore, TrustedAuthority } from './trust-store';

/** How far the terminal's clock may be off the authority's: the one tolerance of every time check. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export interface LicenseCheckContext {
  trustStore: TrustStore;
  revocations: RevocationList;
  /** Epoch ms at which the license must be valid. */
  now: number;
  /** Tolerance for the terminal's clock against the authority's, ms (normally CLOCK_SKEW_MS). */
  clockSkewMs: number;
  verifier: SignatureVerifier;
}

export interface VerifiedLicense {
  /** COSE_Sign1 bytes exactly as received. */
  bytes: Uint8Array;
  /** SHA-256 of `bytes`: what the authorization binds to. */
  hash: Uint8Array;
  kid: string;
  alg: SignatureAlgorithm;
  authority: TrustedAuthority;
  content: LicenseContent;
}

export interface ReadLicense {
  kid?: string;
  alg: number;
  content: LicenseContent;
  protectedBytes: Uint8Array;
  payload: Uint8Array;
  signature: Uint8Array;
}

/** Steps 1-2 only: the license's structure, to report facts even when it is declined later. */
export function readLicense(bytes: Uint8Array): ReadLicense {
  if (bytes.length > MAX_MESSAGE_BYTES) fail('message_too_large', `license of ${bytes.length} bytes`);
  const cose = parseCoseSign1(bytes, 'license');
  return { ...cose, content: parseLicenseContent(cose.payload) };
}

/** Steps 3-4: an allowed algorithm and a kid naming a key of the trust store. */
export function findAuthority(
  read: ReadLicense,
  trustStore: TrustStore,
): { kid: string; alg: SignatureAlgorithm; authority: TrustedAuthority } {
  const alg = algorithmFromCose(read.alg);
  if (!alg) fail('unsupported_algorithm', `license algorithm ${read.alg} is not ES256 (-7) or EdDSA (-8)`);
  const { kid } = read;
  if (kid === undefined) fail('malformed_cose', 'license protected header has no kid');
  const authority = trustStore.find(kid);
  if (!authority) fail('unknown_authority', `authority key "${kid}" is not in the trust store`);
  return { kid, alg, authority };
}

/** The authority key's validity window at `now`, give or take the skew. */
export function checkAuthorityWindow(authority: TrustedAuthority, now: number, clockSkewMs: number): void {
  if (now + clockSkewMs < authority.notBefore || now - clockSkewMs > authority.notAfter) {
    fail(
      'authority_key_not_valid',
      `authority key "${authority.kid}" is valid ${instantText(authority.notBefore)} to ${instantText(authority.notAfter)}`,
    );
  }
}

/** Step 5: the authority's signature over the license (its algorithm, raw r||s, the signature). */
export function checkLicenseSignature(
  read: ReadLicense,
  alg: SignatureAlgorithm,
  authority: TrustedAuthority,
  verifier: SignatureVerifier,
): void {
  const { kid } = authority;
  if (authority.alg !== alg) fail('unsupported_algorithm', `license signed with ${alg} but key "${kid}" is ${authority.alg}`);
  if (alg === 'ES256' && looksLikeDer(read.signature)) fail('signature_der_encoded', 'license signature is DER, not raw r||s');
  if (!verifier.verify(alg, authority.publicKey, sigStructure(read.protectedBytes, read.payload), read.signature, true)) {
    fail('license_signature_invalid', `license signature does not verify with "${kid}"`);
  }
}

/** Step 6: the license's own validity dates at `now`, give or take the skew. */
export function checkLicenseDates(content: LicenseContent, now: number, clockSkewMs: number): void {
  if (now + clockSkewMs < content.notBefore * 1000)
    fail('license_not_yet_valid', `license valid from ${instantText(content.notBefore * 1000)}`);
  if (now - clockSkewMs > content.notAfter * 1000) fail('license_expired', `license expired ${instantText(content.notAfter * 1000)}`);
}

/** Step 8: the app key the authorization will be checked with is a usable P-256 point. */
export function checkAppKey(content: LicenseContent): void {
  if (!isValidP256PublicKey(content.appPublicKey)) fail('app_key_invalid', 'app public key is not a valid P-256 point');
}

/**
 * Throws ProtocolError with the first failing step's reason. `onAuthentic` is called as soon
 * as the license's content is known to be the authority's: its signature verified with a
 * trusted key that no revocation list names (the checks after that can still decline it).
 */
export function verifyLicense(bytes: Uint8Array, context: LicenseCheckContext, onAuthentic?: () => void): VerifiedLicense {
  const read = readLicense(bytes);
  const { now, clockSkewMs } = context;
  const { kid, alg, authority } = findAuthority(read, context.trustStore);
  if (authority.retired) fail('authority_key_not_valid', `authority key "${kid}" was retired`);
  checkAuthorityWindow(authority, now, clockSkewMs);
  checkLicenseSignature(read, alg, authority, context.verifier);
  const keyRevoked = isAuthorityKeyRevoked(context.revocations, authority);
  if (!keyRevoked) onAuthentic?.();

  checkLicenseDates(read.content, now, clockSkewMs);
  if (isLicenseRevoked(context.revocations, licenseIdentity({ authority, content: read.content }))) {
    fail('license_revoked', `license ${read.content.serial} of ${authority.authorityId} is revoked`);
  }
  if (keyRevoked) fail('authority_revoked', `authority key "${kid}" is revoked`);
  checkAppKey(read.content);

  return { bytes, hash: licenseHash(bytes), kid, alg, authority, content: read.content };
}

/**
 * Facts a license states, for the ledger row (also of declined attempts); not yet verified. The
 * authority id is the one of the trust-store key the license names, when there is one.
 */
export function licenseFacts(content: LicenseContent, kid: string | undefined, trustStore?: TrustStore): PaymentFacts {
  const authorityId = kid === undefined ? undefined : trustStore?.find(kid)?.authorityId;
  return {
    accountId: content.accountId,
    licenseSerial: content.serial,
    ...(kid === undefined ? {} : { authorityKid: kid }),
    ...(authorityId === undefined ? {} : { authorityId }),
    licenseNotBefore: content.notBefore * 1000,
    licenseNotAfter: content.notAfter * 1000,
    offlineLimit: content.offlineLimit,
    licenseVerified: false,
  };
}

/** A date for a decline detail; one outside what a Date can hold (±8.64e15 ms) is "an invalid date", never a raw number. */
export function instantText(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : 'an invalid date';
}
