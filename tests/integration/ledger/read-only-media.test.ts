// A terminal's data folder on read-only media (issue #11 item 6): `ledger check`, `ledger export`
// (to a writable folder), `verify-export` and `status` work on it, and write nothing; only a sale
// needs a writable folder. The media is a real read-only bind mount (root), and the same checks
// run as an unprivileged user on a folder whose permissions forbid writing.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../unit/ledger/fixtures';

const REPO = resolve(import.meta.dirname, '..', '..', '..');
const NOBODY = 65534;
const isRoot = process.platform === 'linux' && process.getuid?.() === 0;

function cli(args: string[], as?: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src-main/cli/index.ts'), ...args], {
      cwd: REPO,
      env: { ...process.env, CASHIER_READER: '', CASHIER_DATA_DIR: '', HOME: '/nonexistent' },
      ...(as !== undefined ? { uid: as, gid: as } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

/** Every file below `dir` with its SHA-256, size and mtime: what "nothing was written" means here. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) visit(p);
      else out[p.slice(dir.length)] = `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${s.size} ${s.mtimeMs}`;
    }
  };
  visit(dir);
  return out;
}

const canMount = (() => {
  if (!isRoot) return false;
  const probe = tempDir('ro-mount-probe-');
  const ok = spawnSync('mount', ['--bind', probe.dir, probe.dir]).status === 0;
  if (ok) spawnSync('umount', [probe.dir]);
  probe.cleanup();
  return ok;
})();

describe('a data folder on read-only media', { timeout: 240_000 }, () => {
  const { dir, cleanup } = tempDir('read-only-media-');
  const data = join(dir, 'terminal');
  const media = join(dir, 'media');
  let businessDate = '';
  beforeAll(async () => {
    for (const minor of ['100', '250']) {
      const sale = await cli(['charge', '--minor', minor, '--ref', `r-${minor}`, '--reader', 'stub', '--data-dir', data, '--setup-demo']);
      expect(sale.code, sale.stderr).toBe(0);
      businessDate = String((JSON.parse(sale.stdout) as { businessDate: string }).businessDate);
    }
  });
  afterAll(() => {
    if (canMount) spawnSync('umount', [media]);
    cleanup();
  });

  async function readOnlyCommands(folder: string, out: string, as?: number): Promise<void> {
    const check = await cli(['ledger', 'check', '--data-dir', folder], as);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^OK: 2 rows chained/m);
    const exported = await cli(['ledger', 'export', '--data-dir', folder, '--date', businessDate, '--out', out], as);
    expect(exported.code, exported.stdout + exported.stderr).toBe(0);
    const manifest = readdirSync(out).find((name) => name.endsWith('.manifest.json'));
    expect(manifest).toBeDefined();
    const verified = await cli(
      ['verify-export', join(out, manifest ?? ''), '--trust', join(folder, 'trust-store.json'), '--workers', '0'],
      as,
    );
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^OK: 2 rows/m);
    const status = await cli(['status', '--ref', 'r-250', '--data-dir', folder], as);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ outcome: 'approved', amount: 250, recorded: true });
  }

  it.skipIf(!canMount)(
    'on a read-only bind mount: check, export, verify-export and status work and write nothing; a sale is refused',
    async () => {
      mkdirSync(media);
      expect(spawnSync('mount', ['--bind', data, media]).status).toBe(0);
      expect(spawnSync('mount', ['-o', 'remount,ro,bind', media]).status).toBe(0);
      const before = snapshot(data);
      await readOnlyCommands(media, join(dir, 'out-mount'));
      const sale = await cli(['charge', '--minor', '300', '--reader', 'stub', '--data-dir', media]);
      expect(sale.code).toBe(2);
      expect(sale.stderr).toMatch(/read-only|not writable/i);
      expect(snapshot(data)).toEqual(before);
    },
  );

  it.skipIf(!isRoot)('as a user who may not write the folder: the same, and nothing written', async () => {
    if (canMount) spawnSync('umount', [media]);
    const visit = (p: string) => {
      chownSync(p, NOBODY, NOBODY);
      if (statSync(p).isDirectory()) for (const name of readdirSync(p)) visit(join(p, name));
    };
    visit(data);
    const out = join(dir, 'out-user');
    mkdirSync(out);
    chownSync(out, NOBODY, NOBODY);
    chmodSync(dir, 0o755);
    const protect = (p: string) => {
      if (statSync(p).isDirectory()) {
        for (const name of readdirSync(p)) protect(join(p, name));
        chmodSync(p, 0o555);
      } else chmodSync(p, 0o444);
    };
    protect(data);
    chmodSync(join(data, 'terminal-key.pem'), 0o400);
    const before = snapshot(data);
    try {
      await readOnlyCommands(data, out, NOBODY);
      expect(snapshot(data)).toEqual(before);
    } finally {
      spawnSync('chmod', ['-R', 'u+w', data]);
    }
  });
});
