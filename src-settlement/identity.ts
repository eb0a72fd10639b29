// A license's identity: the authority that issued it and its serial (serials are unique per
// authority, not worldwide). Everything the service keys on a license goes through here.
//
// The authority id is, for now, the kid of the key that signed the license: one authority, one
// key. When licenses carry their authority id (license identity issue), this is the one place
// that changes.
export interface LicenseIdentity {
  authorityId: string;
  serial: string;
}

export function authorityIdOf(kid: string): string {
  return kid;
}

export function licenseIdentity(kid: string, serial: string): LicenseIdentity {
  return { authorityId: authorityIdOf(kid), serial };
}

/** Text form for logs, subjects and file names: `authority/serial`. */
export function identityText(identity: LicenseIdentity): string {
  return `${identity.authorityId}/${identity.serial}`;
}
