// A license is (authority id, serial): the authority id comes from the trust-store entry of the
// key that verified the license; entries and key files without one mean an authority of one key.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuthority, createWalletCredentials, exportTrustEntry, trustedAuthorityOf } from '../../../src-main/authority/authority';
import { loadAuthorityKey, saveAuthorityKey } from '../../../src-main/authority/key-file';
import { nobleVerifier } from '../../../src-main/protocol/signature';
import { licenseIdentity, licenseIdentityKey, sameLicense } from '../../../src-main/verification/license-identity';
import { verifyLicense } from '../../../src-main/verification/license';
import { EMPTY_REVOCATIONS } from '../../../src-main/verification/revocation';
import { TrustEntryError, createTrustStore, parseTrustEntry } from '../../../src-main/verification/trust-store';
import { NOW } from '../protocol/helpers';

const random = (n: number) => new Uint8Array(randomBytes(n));
const YEAR = 365 * 86_400_000;
const window = { notBefore: NOW - YEAR, notAfter: NOW + YEAR };
const folder = mkdtempSync(join(tmpdir(), 'license-identity-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('authority id', () => {
  it('is carried by the trust-store entry and survives its JSON round trip', () => {
    const key = createAuthority({ kid: 'acme-2027', authorityId: 'acme', random, ...window });
    const entry = exportTrustEntry(key);
    expect(entry.authority).toBe('acme');
    expect(parseTrustEntry(JSON.parse(JSON.stringify(entry)))).toEqual(trustedAuthorityOf(key));
  });

  it('of an entry that states none is its kid', () => {
    const key = createAuthority({ kid: 'acme-2026', random, ...window });
    const { authority: _omitted, ...legacy } = exportTrustEntry(key);
    expect(parseTrustEntry(legacy).authorityId).toBe('acme-2026');
  });

  it('is refused when it is not 1-64 characters of [A-Za-z0-9._:-]', () => {
    const entry = exportTrustEntry(createAuthority({ kid: 'acme-2026', authorityId: 'acme', random, ...window }));
    for (const authority of ['', 'a/b', 'has space', 'x'.repeat(65)]) {
      expect(() => parseTrustEntry({ ...entry, authority }), authority).toThrow(TrustEntryError);
    }
    expect(() => createAuthority({ kid: 'k', authorityId: 'a/b', random, ...window })).toThrow(TypeError);
  });

  it('is kept by the authority key file, and a file without one means the kid', async () => {
    const path = join(folder, 'acme.key.json');
    await saveAuthorityKey(path, createAuthority({ kid: 'acme-2027', authorityId: 'acme', random, ...window }));
    expect((await loadAuthorityKey(path)).authorityId).toBe('acme');
    const legacyPath = join(folder, 'legacy.key.json');
    await saveAuthorityKey(legacyPath, createAuthority({ kid: 'old-kid', random, ...window }));
    expect(JSON.parse(readFileSync(legacyPath, 'utf8'))).toMatchObject({ authority: 'old-kid' });
  });
});

describe('licenseIdentity', () => {
  it('is the verifying key’s authority id and the serial, the same for every key of one authority', () => {
    const before = createAuthority({ kid: 'acme-2026', authorityId: 'acme', random, ...window });
    const after = createAuthority({ kid: 'acme-2027', authorityId: 'acme', random, ...window });
    const other = createAuthority({ kid: 'beta-1', authorityId: 'beta', random, ...window });
    const trustStore = createTrustStore([before, after, other].map(trustedAuthorityOf));
    const identityOf = (issuer: typeof before) => {
      const { license } = createWalletCredentials(
        issuer,
        { serial: 'S-1', accountId: 'acct', offlineLimit: 100, currency: 'CNY', ...window },
        random,
      );
      return licenseIdentity(
        verifyLicense(license, { trustStore, revocations: EMPTY_REVOCATIONS, now: NOW, clockSkewMs: 0, verifier: nobleVerifier }),
      );
    };
    expect(identityOf(before)).toEqual({ authorityId: 'acme', serial: 'S-1' });
    expect(sameLicense(identityOf(before), identityOf(after))).toBe(true);
    expect(sameLicense(identityOf(before), identityOf(other))).toBe(false);
    expect(licenseIdentityKey(identityOf(other))).toBe('beta/S-1');
  });
});
