import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-main/app/errors';
import { openTrustStoreAdmin } from '../../../src-main/app/trust-store-admin';
import { publicKeyFor, randomSecretKey, signEs256 } from '../../../src-main/protocol/signature';
import { signRevocationList } from '../../../src-main/verification/revocation';
import { authorityFingerprint, trustEntryToJson } from '../../../src-main/verification/trust-store';
import { manualClock, tempDataDir } from './helpers';

const random = (n: number) => new Uint8Array(randomBytes(n));
const DAY = 24 * 60 * 60 * 1000;

/** A real ES256 authority key pair and the trust-store entry it exports. */
function authority(kid: string, clockNow: number, name?: string, authorityId = kid) {
  const secretKey = randomSecretKey('ES256', random);
  const publicKey = publicKeyFor('ES256', secretKey);
  const entry = trustEntryToJson({
    kid,
    authorityId,
    alg: 'ES256',
    publicKey,
    notBefore: clockNow - DAY,
    notAfter: clockNow + 365 * DAY,
    ...(name ? { name } : {}),
  });
  const revocations = (sequence: number, licenseSerials: string[], authorityKids: string[] = []) =>
    JSON.stringify(
      signRevocationList({ sequence, issuedAt: clockNow, licenseSerials, authorityKids }, { kid, alg: 'ES256' }, (tbs) =>
        signEs256(secretKey, tbs),
      ),
    );
  return { kid, publicKey, entryJson: JSON.stringify(entry), fingerprint: authorityFingerprint(publicKey), revocations };
}

let data: ReturnType<typeof tempDataDir>;
beforeEach(() => {
  data = tempDataDir();
});
afterEach(() => data.cleanup());

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
  }
  return undefined;
}

describe('trust-store administration', () => {
  it('previews kid, fingerprint and validity, then trusts the key on confirmation, persistently', () => {
    const clock = manualClock();
    const a = authority('acme-2026', clock.now(), 'ACME Credit');
    const admin = openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now });
    expect(admin.hasActiveKey()).toBe(false);

    const preview = admin.previewImport(a.entryJson);
    expect(preview).toMatchObject({
      kid: 'acme-2026',
      fingerprint: a.fingerprint,
      algorithm: 'ES256',
      label: 'ACME Credit',
      notBefore: clock.now() - DAY,
      notAfter: clock.now() + 365 * DAY,
      alreadyPresent: false,
    });
    // Not trusted until confirmed.
    expect(admin.trustStore().find('acme-2026')).toBeUndefined();
    const added = admin.confirmImport(preview.token);
    expect(added).toMatchObject({ kid: 'acme-2026', status: 'active', demo: false, addedAt: clock.now() });
    expect(code(() => admin.confirmImport(preview.token))).toBe('not_found');

    const found = admin.trustStore().find('acme-2026');
    expect(found && Buffer.from(found.publicKey).equals(Buffer.from(a.publicKey))).toBe(true);
    expect(admin.previewImport(a.entryJson).alreadyPresent).toBe(true);

    const reopened = openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now });
    expect(reopened.list()).toEqual(admin.list());
    expect(reopened.hasActiveKey()).toBe(true);
  });

  it('refuses malformed entries, a tampered fingerprint, stale tokens and a kid reused for another key', () => {
    const clock = manualClock();
    const a = authority('acme', clock.now());
    const admin = openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now });
    expect(code(() => admin.previewImport('not json'))).toBe('rejected');
    expect(code(() => admin.previewImport('{"type":"something-else"}'))).toBe('rejected');
    const tampered = { ...(JSON.parse(a.entryJson) as Record<string, unknown>), fingerprint: '0000 0000' };
    expect(code(() => admin.previewImport(JSON.stringify(tampered)))).toBe('rejected');

    const stale = admin.previewImport(a.entryJson);
    clock.advance(16 * 60_000);
    expect(code(() => admin.confirmImport(stale.token))).toBe('not_found');
    admin.importEntry(a.entryJson);

    const impostor = authority('acme', clock.now());
    expect(code(() => admin.previewImport(impostor.entryJson))).toBe('conflict');
  });

  it('retires a key: still listed, no longer trusted, never re-trusted by re-import', () => {
    const clock = manualClock();
    const a = authority('old-key', clock.now());
    const b = authority('new-key', clock.now());
    const admin = openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now });
    admin.importEntry(a.entryJson);
    clock.advance(1000);
    admin.importEntry(b.entryJson);
    clock.advance(1000);
    expect(admin.retire('old-key')).toMatchObject({ kid: 'old-key', status: 'retired', retiredAt: clock.now() });
    expect(code(() => admin.retire('old-key'))).toBe('conflict');
    expect(code(() => admin.retire('missing'))).toBe('not_found');
    expect(admin.trustStore().find('old-key')?.retired).toBe(true);
    expect(admin.list().map((k) => [k.kid, k.status])).toEqual([
      ['old-key', 'retired'],
      ['new-key', 'active'],
    ]);
    expect(code(() => admin.importEntry(a.entryJson))).toBe('conflict');

    const reopened = openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now });
    expect(reopened.trustStore().find('old-key')?.retired).toBe(true);
    expect(reopened.list().map((k) => k.status)).toEqual(['retired', 'active']);
  });

  it('imports a revocation list only when a trusted authority signed it, newest first, and keeps it', () => {
    const clock = manualClock();
    const a = authority('acme', clock.now());
    const stranger = authority('stranger', clock.now());
    const admin = openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now });
    admin.importEntry(a.entryJson);
    let changes = 0;
    admin.onChange(() => (changes += 1));

    expect(code(() => admin.importRevocations(stranger.revocations(1, ['serial-1'])))).toBe('rejected');
    const forged = JSON.parse(a.revocations(1, ['serial-1'])) as { cose: string };
    const otherSigned = JSON.parse(stranger.revocations(1, ['serial-1'])) as { cose: string };
    // acme's header with the stranger's signature bytes: must not verify.
    const mixed = { ...forged, cose: forged.cose.slice(0, 40) + otherSigned.cose.slice(40) };
    expect(code(() => admin.importRevocations(JSON.stringify(mixed)))).toBe('rejected');

    const views = admin.revocations();
    expect(admin.importRevocations(a.revocations(3, ['serial-1', 'serial-2'], ['stranger']))).toMatchObject({
      issuerKid: 'acme',
      sequence: 3,
      licenseSerials: 2,
      authorityKids: 1,
    });
    expect(views.licenses.has('acme/serial-2')).toBe(true);
    expect(views.authorityKeys.has('acme/stranger')).toBe(true);
    expect(code(() => admin.importRevocations(a.revocations(2, [])))).toBe('conflict');
    expect(changes).toBe(1);

    // A newer list replaces the issuer's previous one.
    admin.importRevocations(a.revocations(4, ['serial-9']));
    expect([...views.licenses]).toEqual(['acme/serial-9']);

    // Retiring the signer afterwards does not un-revoke, across a restart.
    admin.retire('acme');
    const reopened = openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now });
    expect([...reopened.revocations().licenses]).toEqual(['acme/serial-9']);
    expect(reopened.revocationSummaries()).toMatchObject([{ issuerKid: 'acme', sequence: 4 }]);
  });

  it('marks a key revoked by a list, and refuses an edited trust store or revocation file', () => {
    const clock = manualClock();
    const a = authority('acme', clock.now(), undefined, 'acme-credit');
    const rotated = authority('acme-2', clock.now(), undefined, 'acme-credit');
    const b = authority('beta', clock.now());
    const admin = openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now });
    admin.importEntry(a.entryJson);
    admin.importEntry(rotated.entryJson);
    admin.importEntry(b.entryJson);
    admin.importRevocations(a.revocations(1, [], ['acme-2', 'beta']));
    expect(admin.list().find((k) => k.kid === 'acme-2')?.status).toBe('revoked');
    // A list revokes keys of its own authority only: beta's key is another authority's.
    expect(admin.list().find((k) => k.kid === 'beta')?.status).toBe('active');

    const revPath = join(data.dir, 'revocations.json');
    const revocations = readFileSync(revPath, 'utf8');
    writeFileSync(
      revPath,
      revocations.replace(/"cose": "(.)/, (_m, c: string) => `"cose": "${c === 'A' ? 'B' : 'A'}`),
    );
    expect(() => openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now })).toThrow(/do not verify/);
    writeFileSync(revPath, revocations);

    const trustPath = join(data.dir, 'trust-store.json');
    const trust = JSON.parse(readFileSync(trustPath, 'utf8')) as { keys: { entry: { fingerprint: string } }[] };
    trust.keys[0]!.entry.fingerprint = 'AAAA';
    writeFileSync(trustPath, JSON.stringify(trust));
    expect(() => openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now })).toThrow(/invalid entry/);
    writeFileSync(trustPath, '{');
    expect(() => openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now })).toThrow(/not valid JSON/);
  });
});
