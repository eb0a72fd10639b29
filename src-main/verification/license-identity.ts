// What one license is: its issuing credit authority and its serial. Serials are unique only
// per authority (docs/protocol.md §5.3), so every per-license record (counters, offline spend,
// revocation, ledger, exports, settlement) keys on this pair and never on the serial alone.
//
// The authority is not the `kid`: an authority rotates its keys, and all of them issue
// licenses in one serial space. Its id comes from the trust-store entry of the key that
// verified the license (docs/protocol.md §10); an entry without one is an authority of its
// own whose id is its kid (LEGACY: entries exported before authority ids existed).
import type { LicenseIdentity } from '../domain/payment';
import { isValidKid } from '../protocol/cose';
import type { VerifiedLicense } from './license';

export type { LicenseIdentity };

/** Authority ids have the syntax of a kid: 1-64 characters of [A-Za-z0-9._:-]. */
export function isValidAuthorityId(text: string): boolean {
  return isValidKid(text);
}

/** The authority id of a trust-store entry or key file that states none: its own kid. */
export function legacyAuthorityId(kid: string): string {
  return kid;
}

/** The identity of a license whose signature verified with a trusted authority key. */
export function licenseIdentity(license: Pick<VerifiedLicense, 'authority' | 'content'>): LicenseIdentity {
  return { authorityId: license.authority.authorityId, serial: license.content.serial };
}

export function sameLicense(a: LicenseIdentity, b: LicenseIdentity): boolean {
  return a.authorityId === b.authorityId && a.serial === b.serial;
}

/**
 * One string per identity, for map keys: `authorityId/serial`. Neither part can contain `/`,
 * so distinct identities never share a key.
 */
export function licenseIdentityKey(identity: LicenseIdentity): string {
  return `${identity.authorityId}/${identity.serial}`;
}

/**
 * The identity of a license as a ledger row or export record keeps it: its authority id, or for
 * records made before authority ids its kid (legacyAuthorityId). The ledger's SQL look-ups apply
 * the same rule (LICENSE_AUTHORITY in src-main/ledger/queries.ts).
 */
export function recordedLicenseIdentity(record: {
  licenseSerial: string | null;
  authorityId: string | null;
  authorityKid: string | null;
}): LicenseIdentity | undefined {
  const authorityId = record.authorityId ?? (record.authorityKid === null ? null : legacyAuthorityId(record.authorityKid));
  return record.licenseSerial === null || authorityId === null ? undefined : { authorityId, serial: record.licenseSerial };
}
