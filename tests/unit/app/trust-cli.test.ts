// `npm run cli -- trust import|revocations` on a real data folder: the key is trusted only with
// the published fingerprint, as on the manager screen, and a list then applies to that authority.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthority, exportTrustEntry, publishRevocationList } from '../../../src-main/authority/authority';
import { openTrustStoreAdmin } from '../../../src-main/app/trust-store-admin';
import { tempDataDir } from './helpers';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../../..');
const random = (n: number) => new Uint8Array(randomBytes(n));

async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(
      join(root, 'node_modules/.bin/tsx'),
      ['src-main/cli/index.ts', 'trust', ...args, '--data-dir', dataDir],
      { cwd: root },
    );
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

describe('trust command line', () => {
  let data: { dir: string; cleanup: () => void };
  beforeEach(() => {
    data = tempDataDir();
  });
  afterEach(() => data.cleanup());

  it('imports an entry only with its published fingerprint, then a revocation list of that authority', { timeout: 120_000 }, async () => {
    const now = Date.now();
    const acme = createAuthority({
      kid: 'acme-2026',
      authorityId: 'acme',
      random,
      notBefore: now - 86_400_000,
      notAfter: now + 86_400_000 * 365,
    });
    const entry = exportTrustEntry(acme);
    const entryPath = join(data.dir, 'acme.trust.json');
    writeFileSync(entryPath, JSON.stringify(entry));
    const keys = () => openTrustStoreAdmin({ dataDir: data.dir }).list();

    const asked = await cli(data.dir, 'import', entryPath);
    expect(asked.code).toBe(2);
    expect(asked.out).toContain(entry.fingerprint);
    const wrong = await cli(data.dir, 'import', entryPath, '--fingerprint', '0000 0000 0000 0000 0000 0000 0000 0000');
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/refused/);
    expect(keys()).toEqual([]);

    const trusted = await cli(data.dir, 'import', entryPath, '--fingerprint', entry.fingerprint.toLowerCase().replaceAll(' ', ''));
    expect(trusted.code).toBe(0);
    expect(keys()).toMatchObject([{ kid: 'acme-2026', authorityId: 'acme', status: 'active' }]);

    const listPath = join(data.dir, 'acme.revocations.json');
    writeFileSync(
      listPath,
      JSON.stringify(publishRevocationList(acme, { sequence: 1, issuedAt: now, licenseSerials: ['S-1'], authorityKids: [] })),
    );
    expect((await cli(data.dir, 'revocations', listPath)).code).toBe(0);
    expect([...openTrustStoreAdmin({ dataDir: data.dir }).revocations().licenses]).toEqual(['acme/S-1']);
    const again = await cli(data.dir, 'revocations', listPath);
    expect(again.code).toBe(1);
    expect(again.out).toContain('REVOCATION_NOT_NEWER');
  });
});
