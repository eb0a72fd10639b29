// The credit authority's side: its signing key, the licenses it issues for app keys, the
// revocation lists it publishes and the trust-store entry terminals import.
import type { RandomSource } from '../domain/payment';
import { signCoseSign1 } from '../protocol/cose';
import { encodeLicenseContent, type LicenseContent } from '../protocol/license-payload';
import { toHex } from '../domain/bytes';
import {
  COSE_ALGORITHMS,
  isValidP256PublicKey,
  publicKeyFor,
  randomSecretKey,
  signEdDsa,
  signEs256,
  type SignatureAlgorithm,
} from '../protocol/signature';
import { isValidKid } from '../protocol/cose';
import { CURRENCY_PATTERN, SERIAL_PATTERN, TEXT64_PATTERN } from '../protocol/fields';
import { signRevocationList, type RevocationContent, type RevocationFileJson } from '../verification/revocation';
import { isValidAuthorityId, legacyAuthorityId } from '../verification/license-identity';
import { trustEntryToJson, type TrustEntryJson, type TrustedAuthority } from '../verification/trust-store';

export interface AuthorityKey {
  kid: string;
  /** The authority this key belongs to; every key of one authority shares it (license-identity.ts). */
  authorityId: string;
  alg: SignatureAlgorithm;
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  notBefore: number; // epoch ms
  notAfter: number;
  name?: string;
}

export interface CreateAuthorityOptions {
  kid: string;
  /** Defaults to the kid (an authority of one key). */
  authorityId?: string;
  alg?: SignatureAlgorithm;
  notBefore: number;
  notAfter: number;
  name?: string;
  /** Either a random source or a fixed secret key (test vectors). */
  random?: RandomSource;
  secretKey?: Uint8Array;
}

export function createAuthority(options: CreateAuthorityOptions): AuthorityKey {
  const alg = options.alg ?? 'ES256';
  if (!isValidKid(options.kid)) throw new TypeError('kid must be 1-64 characters of [A-Za-z0-9._:-]');
  const authorityId = options.authorityId ?? legacyAuthorityId(options.kid);
  if (!isValidAuthorityId(authorityId)) throw new TypeError('authority id must be 1-64 characters of [A-Za-z0-9._:-]');
  if (!(options.notAfter > options.notBefore)) throw new TypeError('notAfter must be after notBefore');
  const secretKey = options.secretKey ?? (options.random ? randomSecretKey(alg, options.random) : undefined);
  if (!secretKey) throw new TypeError('createAuthority needs a random source or a secret key');
  return {
    kid: options.kid,
    authorityId,
    alg,
    secretKey,
    publicKey: publicKeyFor(alg, secretKey),
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    ...(options.name === undefined ? {} : { name: options.name }),
  };
}

/** Signs Sig_structure bytes with the authority key (ES256: RFC 6979 deterministic, low-S). */
export function authoritySigner(authority: AuthorityKey): (toBeSigned: Uint8Array) => Uint8Array {
  return (toBeSigned) =>
    authority.alg === 'ES256' ? signEs256(authority.secretKey, toBeSigned) : signEdDsa(authority.secretKey, toBeSigned);
}

export function trustedAuthorityOf(authority: AuthorityKey): TrustedAuthority {
  return {
    kid: authority.kid,
    authorityId: authority.authorityId,
    alg: authority.alg,
    publicKey: authority.publicKey,
    notBefore: authority.notBefore,
    notAfter: authority.notAfter,
    ...(authority.name === undefined ? {} : { name: authority.name }),
  };
}

/** The JSON file a terminal imports (shows `fingerprint` to the manager for confirmation). */
export function exportTrustEntry(authority: AuthorityKey): TrustEntryJson {
  return trustEntryToJson(trustedAuthorityOf(authority));
}

export interface LicenseRequest {
  /** Defaults to 16 random bytes in hex. */
  serial?: string;
  accountId: string;
  appPublicKey: Uint8Array;
  offlineLimit: number;
  currency: string;
  notBefore: number; // epoch ms
  notAfter: number;
}

/** Issues a license (COSE_Sign1 bytes) for an app public key. */
export function issueLicense(
  authority: AuthorityKey,
  request: LicenseRequest,
  random?: RandomSource,
): { serial: string; license: Uint8Array } {
  const serial = request.serial ?? (random ? toHex(random(16)) : undefined);
  if (!serial) throw new TypeError('issueLicense needs a serial or a random source');
  checkLicenseRequest({ ...request, serial });
  const content: LicenseContent = {
    serial,
    accountId: request.accountId,
    appPublicKey: request.appPublicKey,
    offlineLimit: request.offlineLimit,
    currency: request.currency,
    notBefore: Math.floor(request.notBefore / 1000),
    notAfter: Math.floor(request.notAfter / 1000),
  };
  return { serial, license: signLicenseContent(authority, content) };
}

/** Refuses what a terminal would refuse to parse, so an authority never issues it. */
function checkLicenseRequest(request: LicenseRequest & { serial: string }): void {
  const problems: string[] = [];
  if (!SERIAL_PATTERN.test(request.serial)) problems.push('serial must be 1-64 characters of [A-Za-z0-9._-]');
  if (!TEXT64_PATTERN.test(request.accountId)) problems.push('account id must be 1-64 printable characters');
  if (!isValidP256PublicKey(request.appPublicKey)) problems.push('app public key must be an uncompressed P-256 point');
  if (!Number.isSafeInteger(request.offlineLimit) || request.offlineLimit < 0)
    problems.push('offline limit must be a non-negative integer');
  if (!CURRENCY_PATTERN.test(request.currency)) problems.push('currency must be an ISO 4217 code');
  if (!(request.notAfter > request.notBefore) || request.notBefore < 0) problems.push('validity window must be notBefore < notAfter');
  if (problems.length > 0) throw new TypeError(`cannot issue license: ${problems.join('; ')}`);
}

/** Signs arbitrary license content, unchecked (tests use it to make defective licenses). */
export function signLicenseContent(authority: AuthorityKey, content: LicenseContent, algOverride?: number): Uint8Array {
  return signCoseSign1(
    encodeLicenseContent(content),
    algOverride ?? COSE_ALGORITHMS[authority.alg],
    authority.kid,
    authoritySigner(authority),
  );
}

export function publishRevocationList(authority: AuthorityKey, content: RevocationContent): RevocationFileJson {
  // A terminal refuses a whole list with one entry it cannot parse: never publish one.
  const bad = [
    ...content.licenseSerials.filter((serial) => !SERIAL_PATTERN.test(serial)).map((serial) => `license serial ${JSON.stringify(serial)}`),
    ...content.authorityKids.filter((kid) => !isValidKid(kid)).map((kid) => `authority kid ${JSON.stringify(kid)}`),
  ];
  if (!Number.isSafeInteger(content.sequence) || content.sequence < 0) bad.push('sequence must be a non-negative integer');
  if (bad.length > 0) throw new TypeError(`cannot publish revocation list: ${bad.join('; ')}`);
  return signRevocationList(
    { ...content, authorityId: authority.authorityId },
    { kid: authority.kid, alg: authority.alg },
    authoritySigner(authority),
  );
}

/** A new app key pair with a license for it: what a phone wallet holds (tests, demo, `wallet init`). */
export function createWalletCredentials(
  authority: AuthorityKey,
  request: Omit<LicenseRequest, 'appPublicKey'>,
  random: RandomSource,
): { serial: string; appSecretKey: Uint8Array; appPublicKey: Uint8Array; license: Uint8Array } {
  const appSecretKey = randomSecretKey('ES256', random);
  const appPublicKey = publicKeyFor('ES256', appSecretKey);
  const { serial, license } = issueLicense(authority, { ...request, appPublicKey }, random);
  return { serial, appSecretKey, appPublicKey, license };
}
