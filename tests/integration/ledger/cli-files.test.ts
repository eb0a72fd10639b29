// The command line on a terminal's files: read-only commands never create a folder, a ledger or
// a key; a missing or damaged file is exit code 2 with a message naming it.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../unit/ledger/fixtures';

const REPO = resolve(import.meta.dirname, '..', '..', '..');

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src-main/cli/index.ts'), ...args], {
      cwd: REPO,
      env: { ...process.env, CASHIER_READER: '', CASHIER_DATA_DIR: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe("command line and the terminal's files", { timeout: 120_000 }, () => {
  const { dir, cleanup } = tempDir('cli-files-');
  const data = join(dir, 'terminal');
  beforeAll(async () => {
    const setUp = await cli('charge', '--minor', '100', '--reader', 'stub', '--data-dir', data, '--setup-demo');
    expect(setUp.code, setUp.stderr).toBe(0);
  });
  afterAll(() => cleanup());

  it('--data-dir naming a missing folder is an error, and nothing is created', async () => {
    const missing = join(dir, 'no-such-terminal');
    for (const args of [
      ['ledger', 'key'],
      ['ledger', 'export', '--date', '2026-11-23', '--out', join(dir, 'out')],
      ['charge', '--minor', '100', '--reader', 'stub'],
    ]) {
      const run = await cli(...args, '--data-dir', missing);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain(`no data folder at ${missing}`);
    }
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a deleted terminal-key.pem: ledger key and ledger export fail naming it, and no key is made', async () => {
    const key = join(data, 'terminal-key.pem');
    const kept = join(dir, 'kept.pem');
    copyFileSync(key, kept);
    rmSync(key);
    try {
      const run = await cli('ledger', 'key', '--data-dir', data);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${key} is missing`);
      const exported = await cli('ledger', 'export', '--data-dir', data, '--date', '2030-01-01', '--out', join(dir, 'export'));
      expect(exported.code).toBe(2);
      expect(existsSync(key)).toBe(false);
    } finally {
      copyFileSync(kept, key);
    }
  });

  it('a damaged PIN file or demo counter file stops charge with exit code 2 naming the file', async () => {
    const counters = join(data, 'demo', 'counters');
    const [name] = readdirSync(counters);
    const counter = join(counters, name as string);
    for (const file of [join(data, 'pin.json'), counter]) {
      const original = readFileSync(file);
      writeFileSync(file, '{"broken');
      try {
        const run = await cli('charge', '--minor', '100', '--reader', 'stub', '--data-dir', data);
        expect(run.code, run.stderr).toBe(2);
        expect(run.stderr).toContain(file);
        expect(run.stderr).not.toMatch(/\n\s+at /);
      } finally {
        writeFileSync(file, original);
      }
    }
  });

  it('a deleted settings.json: charge does not set the terminal up again, ledger adopt recovers it with the PIN', async () => {
    const settings = join(data, 'settings.json');
    rmSync(settings);
    const run = await cli('charge', '--minor', '100', '--reader', 'stub', '--data-dir', data, '--setup-demo');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/settings\.json is missing, but .* holds \d+ rows/);
    expect(existsSync(settings)).toBe(false);
    const wrong = await cli('ledger', 'adopt', '--data-dir', data, '--pin', '0000000', '--country', 'CN', '--reason', 'settings lost');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/wrong manager PIN|PIN file is missing/);
  });
});
