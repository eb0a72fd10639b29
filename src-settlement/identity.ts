// A license's identity: the authority that issued it and its serial (serials are unique per
// authority only). Everything the service keys on a license goes through here, and the identity
// itself is the project's (src-main/verification/license-identity.ts): the authority id comes
// from the trust-store entry of the key that signed the license.
import { legacyAuthorityId, licenseIdentityKey, type LicenseIdentity } from '../src-main/verification/license-identity';
import type { TrustedAuthority } from '../src-main/verification/trust-store';

export type { LicenseIdentity };

/** kid -> authority id, from the authority keys the service holds. */
export class AuthorityIds {
  private readonly byKid: Map<string, string>;

  constructor(authorities: readonly TrustedAuthority[]) {
    this.byKid = new Map(authorities.map((a) => [a.kid, a.authorityId]));
  }

  /** The authority id of a signing key; a key the service does not hold is its own authority. */
  of(kid: string): string {
    return this.byKid.get(kid) ?? legacyAuthorityId(kid);
  }
}

/** Text form for logs, subjects and file names: `authority/serial`. */
export function identityText(identity: LicenseIdentity): string {
  return licenseIdentityKey(identity);
}
