// The trust-store administration applies the revocation replacement rule on import and on
// load: an older or equal list of the same signer is refused with REVOCATION_NOT_NEWER and
// leaves the revoked set as it was, across restarts and against an edited revocations.json.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-main/app/errors';
import { openTrustStoreAdmin, REVOCATIONS_FILE } from '../../../src-main/app/trust-store-admin';
import { publicKeyFor, randomSecretKey, signEs256 } from '../../../src-main/protocol/signature';
import { RevocationListError, signRevocationList } from '../../../src-main/verification/revocation';
import { trustEntryToJson } from '../../../src-main/verification/trust-store';
import { manualClock, tempDataDir } from './helpers';

const random = (n: number) => new Uint8Array(randomBytes(n));
const DAY = 86_400_000;

function authority(kid: string, now: number) {
  const secretKey = randomSecretKey('ES256', random);
  const publicKey = publicKeyFor('ES256', secretKey);
  const entryJson = JSON.stringify(
    trustEntryToJson({ kid, authorityId: kid, alg: 'ES256', publicKey, notBefore: now - DAY, notAfter: now + 365 * DAY }),
  );
  const list = (sequence: number, licenseSerials: string[]) =>
    JSON.stringify(
      signRevocationList({ sequence, issuedAt: now, licenseSerials, authorityKids: [] }, { kid, alg: 'ES256' }, (tbs) =>
        signEs256(secretKey, tbs),
      ),
    );
  return { entryJson, list };
}

function refusal(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('not refused');
}

let data: ReturnType<typeof tempDataDir>;
beforeEach(() => {
  data = tempDataDir();
});
afterEach(() => data.cleanup());

describe('revocation lists in the trust-store administration', () => {
  it('refuses a replayed older or equal list with a coded conflict and keeps every revocation', () => {
    const clock = manualClock();
    const acme = authority('acme', clock.now());
    const admin = openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now });
    admin.importEntry(acme.entryJson);
    const seven = acme.list(7, ['s-1', 's-2', 's-3']);
    admin.importRevocations(seven);
    let changes = 0;
    admin.onChange(() => (changes += 1));

    for (const replay of [acme.list(6, []), acme.list(3, ['s-1']), acme.list(7, ['s-1']), seven]) {
      const error = refusal(() => admin.importRevocations(replay));
      expect(error.code).toBe('conflict');
      expect(error.message).toContain('REVOCATION_NOT_NEWER');
      expect(error.cause).toBeInstanceOf(RevocationListError);
      expect([...admin.revocations().licenses].sort()).toEqual(['acme/s-1', 'acme/s-2', 'acme/s-3']);
    }
    expect(refusal(() => admin.importRevocations(seven)).message).toMatch(/#7 from acme is already in use/);
    expect(changes).toBe(0);
    expect(admin.revocationSummaries()).toMatchObject([{ issuerKid: 'acme', sequence: 7, licenseSerials: 3 }]);

    // A higher number replaces the list, even one that revokes less (the authority lifted a block).
    admin.importRevocations(acme.list(8, ['s-2']));
    expect([...admin.revocations().licenses]).toEqual(['acme/s-2']);
    expect(changes).toBe(1);
    const reopened = openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now });
    expect(reopened.revocationSummaries()).toMatchObject([{ issuerKid: 'acme', sequence: 8 }]);
    expect(refusal(() => reopened.importRevocations(seven)).code).toBe('conflict');
  });

  it('keeps the newest list of each signer side by side and applies their union', () => {
    const clock = manualClock();
    const acme = authority('acme', clock.now());
    const beta = authority('beta', clock.now());
    const admin = openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now });
    admin.importEntry(acme.entryJson);
    admin.importEntry(beta.entryJson);
    admin.importRevocations(acme.list(9, ['a-1']));
    // Sequence numbers belong to their signer: beta's #1 is not compared with acme's #9.
    admin.importRevocations(beta.list(1, ['b-1']));
    expect([...admin.revocations().licenses].sort()).toEqual(['acme/a-1', 'beta/b-1']);
  });

  it('refuses a revocations.json where an older list of a signer follows its newer one', () => {
    const clock = manualClock();
    const acme = authority('acme', clock.now());
    const admin = openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now });
    admin.importEntry(acme.entryJson);
    admin.importRevocations(acme.list(2, ['s-1', 's-2']));
    const path = join(data.dir, REVOCATIONS_FILE);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { version: 1; lists: { list: unknown; importedAt: number }[] };
    // Every list in it verifies: only the rule can catch the older one put back after the newer.
    file.lists.push({ list: JSON.parse(acme.list(1, [])) as unknown, importedAt: clock.now() });
    writeFileSync(path, JSON.stringify(file));
    const error = refusal(() => openTrustStoreAdmin({ dataDir: data.dir, clock: clock.now }));
    expect(error.code).toBe('rejected');
    expect(error.message).toMatch(/REVOCATION_NOT_NEWER: list #1 from acme is older than list #2/);
  });
});
