// Private-key files that group or others could read or write, or that another user owns, are
// refused on load with KeyFileError and a fix that works when pasted; the CLI prints that
// error alone and exits non-zero. Real files, real chmod, real processes.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthority, createWalletCredentials } from '../../../src-main/authority/authority';
import { loadAuthorityKey, saveAuthorityKey } from '../../../src-main/authority/key-file';
import { checkKeyFileStats, KeyFileError, shellQuote, type KeyFileErrorCode } from '../../../src-main/fs/secret-file';
import { loadOrCreateTerminalKey, TERMINAL_KEY_FILE } from '../../../src-main/export/terminal-key';
import { runCliProcess, type CliResult } from '../../support/cli-process';
import { loadWalletFile, openWalletFile, saveWalletFile } from '../../../src-main/wallet/wallet-file';

const random = (n: number) => new Uint8Array(randomBytes(n));
const DAY = 86_400_000;
const isRoot = process.getuid?.() === 0;

function cli(...args: string[]): Promise<CliResult> {
  return runCliProcess(args);
}

function authority(kid = 'perm-test') {
  const now = Date.now();
  return createAuthority({ kid, alg: 'ES256', random, notBefore: now - DAY, notAfter: now + 365 * DAY });
}

function keyFileError(action: () => unknown): KeyFileError {
  try {
    action();
  } catch (error) {
    if (error instanceof KeyFileError) return error;
    throw new Error(`expected a KeyFileError, got ${String(error)}`);
  }
  throw new Error('expected a KeyFileError, nothing was thrown');
}

async function keyFileErrorAsync(action: () => Promise<unknown>): Promise<KeyFileError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof KeyFileError) return error;
    throw new Error(`expected a KeyFileError, got ${String(error)}`);
  }
  throw new Error('expected a KeyFileError, nothing was thrown');
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nfcpay-keyperm-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('private-key files with loose permissions', () => {
  const looseModes = [0o644, 0o640, 0o604, 0o620, 0o602, 0o660, 0o666, 0o710].map((mode) => [mode.toString(8), mode] as const);
  it.each(looseModes)('refuses an authority key with mode %s, naming the file and the chmod fix', async (_, mode) => {
    const path = join(dir, 'authority.key.json');
    await saveAuthorityKey(path, authority());
    chmodSync(path, mode);
    const error = await keyFileErrorAsync(() => loadAuthorityKey(path));
    expect(error.code).toBe<KeyFileErrorCode>('KEY_FILE_TOO_OPEN');
    expect(error.path).toBe(path);
    expect(error.message).toContain(`chmod 600 ${path}`);
    expect(error.message).toContain(`mode ${mode.toString(8).padStart(4, '0')}`);
    // Nothing was changed: the loader neither repairs nor rewrites the file.
    expect(statSync(path).mode & 0o777).toBe(mode);
  });

  it('loads keys with mode 0600 or 0400', async () => {
    const path = join(dir, 'authority.key.json');
    const created = authority();
    await saveAuthorityKey(path, created);
    expect((await loadAuthorityKey(path)).kid).toBe(created.kid);
    chmodSync(path, 0o400);
    expect((await loadAuthorityKey(path)).kid).toBe(created.kid);
  });

  it('refuses a wallet file others can read, and loads it once the printed fix is applied', () => {
    const wallets = join(dir, 'my wallets');
    mkdirSync(wallets);
    const path = join(wallets, "bob's wallet.json");
    const { appSecretKey, license } = createWalletCredentials(
      authority(),
      { accountId: 'acct-1', offlineLimit: 1000, currency: 'CNY', notBefore: Date.now() - DAY, notAfter: Date.now() + DAY },
      random,
    );
    saveWalletFile(path, { appSecretKey, license });
    chmodSync(path, 0o644);
    for (const load of [() => loadWalletFile(path), () => openWalletFile(path)]) {
      expect(keyFileError(load).code).toBe('KEY_FILE_TOO_OPEN');
    }
    const message = keyFileError(() => loadWalletFile(path)).message;
    const fix = /Restrict it with: (chmod 600 .+?) \(if other users/.exec(message)?.[1];
    expect(fix).toBe(`chmod 600 ${shellQuote(path)}`);
    execFileSync('sh', ['-c', fix ?? 'false']);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadWalletFile(path).counter.last()).toBe(0);
  });

  it('refuses the terminal key when it is loose instead of quietly repairing it, and never replaces it', () => {
    const created = loadOrCreateTerminalKey(dir);
    const path = join(dir, TERMINAL_KEY_FILE);
    const pem = readFileSync(path, 'utf8');
    chmodSync(path, 0o640);
    const error = keyFileError(() => loadOrCreateTerminalKey(dir));
    expect(error.code).toBe('KEY_FILE_TOO_OPEN');
    expect(error.message).toContain(`chmod 600 ${path}`);
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readFileSync(path, 'utf8')).toBe(pem);
    chmodSync(path, 0o600);
    expect(loadOrCreateTerminalKey(dir).keyId).toBe(created.keyId);
  });

  it('refuses something that is not a plain file, without waiting on a pipe', async () => {
    const folder = join(dir, 'authority.key.json');
    mkdirSync(folder, { mode: 0o700 });
    expect((await keyFileErrorAsync(() => loadAuthorityKey(folder))).code).toBe('KEY_FILE_NOT_REGULAR');
    const pipe = join(dir, 'wallet.json');
    execFileSync('mkfifo', ['-m', '600', pipe]);
    expect(keyFileError(() => loadWalletFile(pipe)).code).toBe('KEY_FILE_NOT_REGULAR');
  });

  it.skipIf(!isRoot)('refuses a key file owned by another user (run as root: chown to nobody)', async () => {
    const path = join(dir, 'authority.key.json');
    await saveAuthorityKey(path, authority());
    chownSync(path, 65534, 65534);
    const error = await keyFileErrorAsync(() => loadAuthorityKey(path));
    expect(error.code).toBe('KEY_FILE_FOREIGN_OWNER');
    expect(error.message).toContain(`chown 0 ${path} && chmod 600 ${path}`);
  });

  it('accepts files of the running user or root, refuses other owners, and checks nothing on Windows', () => {
    const stats = (mode: number, uid: number) => ({ mode: 0o100000 | mode, uid, isFile: () => true });
    const code = (check: () => void) => {
      try {
        check();
        return undefined;
      } catch (error) {
        return (error as KeyFileError).code;
      }
    };
    const on = { platform: 'linux' as const, uid: 1000 };
    expect(code(() => checkKeyFileStats('/k', 'the key', stats(0o600, 1000), on))).toBeUndefined();
    expect(code(() => checkKeyFileStats('/k', 'the key', stats(0o600, 0), on))).toBeUndefined();
    expect(code(() => checkKeyFileStats('/k', 'the key', stats(0o600, 1001), on))).toBe('KEY_FILE_FOREIGN_OWNER');
    expect(code(() => checkKeyFileStats('/k', 'the key', stats(0o601, 1000), on))).toBe('KEY_FILE_TOO_OPEN');
    expect(code(() => checkKeyFileStats('C:\\k', 'the key', stats(0o666, 1001), { platform: 'win32', uid: 1000 }))).toBeUndefined();
  });
});

describe('the command line with a loose key file', () => {
  it('prints the coded error alone and exits 1 (authority, wallet init, wallet serve, ledger key)', { timeout: 60_000 }, async () => {
    const key = join(dir, 'authority.key.json');
    await saveAuthorityKey(key, authority());
    chmodSync(key, 0o644);
    const secret = (JSON.parse(readFileSync(key, 'utf8')) as { secretKey: string }).secretKey;

    const wallet = join(dir, 'wallet.json');
    const { appSecretKey, license } = createWalletCredentials(
      authority('other'),
      { accountId: 'a', offlineLimit: 1, currency: 'CNY', notBefore: Date.now() - DAY, notAfter: Date.now() + DAY },
      random,
    );
    saveWalletFile(wallet, { appSecretKey, license });
    chmodSync(wallet, 0o664);

    const terminalDir = join(dir, 'terminal');
    mkdirSync(terminalDir);
    loadOrCreateTerminalKey(terminalDir);
    const terminalKey = join(terminalDir, TERMINAL_KEY_FILE);
    chmodSync(terminalKey, 0o644);

    // The ledger command exits 2 for any file that is not what it should be (docs/ledger.md).
    const cases: [string[], string, number][] = [
      [['authority', 'export-trust', '--key', key], key, 1],
      [
        [
          'authority',
          'issue',
          '--key',
          key,
          '--app-public-key',
          '04'.padEnd(130, '1'),
          '--account',
          'a',
          '--limit',
          '1',
          '--currency',
          'CNY',
          '--out',
          join(dir, 'l.json'),
        ],
        key,
        1,
      ],
      [['authority', 'revoke', '--key', key, '--sequence', '1', '--out', join(dir, 'r.json')], key, 1],
      [
        ['wallet', 'init', '--authority-key', key, '--out', join(dir, 'w2.json'), '--account', 'a', '--limit', '1', '--currency', 'CNY'],
        key,
        1,
      ],
      [['wallet', 'serve', '--vpcd', '--wallet', wallet, '--once'], wallet, 1],
      [['ledger', 'key', '--data-dir', terminalDir], terminalKey, 2],
    ];
    // Independent processes: started together, checked in order.
    const results = await Promise.all(cases.map(([args]) => cli(...args)));
    for (const [index, [args, path, code]] of cases.entries()) {
      const result = results[index] ?? { code: -1, stdout: '', stderr: 'no result' };
      const label = args.slice(0, 2).join(' ');
      expect(result.code, `${label}: ${result.stderr}`).toBe(code);
      expect(result.stderr, label).toContain('KEY_FILE_TOO_OPEN');
      expect(result.stderr, label).toContain(`chmod 600 ${path}`);
      expect(result.stderr, label).not.toMatch(/\n\s+at /);
      expect(result.stderr + result.stdout, label).not.toContain(secret);
    }
  });

  it('charge refuses to open the terminal with a loose terminal key (exit 2)', { timeout: 60_000 }, async () => {
    loadOrCreateTerminalKey(dir);
    const path = join(dir, TERMINAL_KEY_FILE);
    chmodSync(path, 0o644);
    const result = await cli('charge', '--minor', '100', '--reader', 'stub', '--data-dir', dir);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('KEY_FILE_TOO_OPEN');
    expect(result.stderr).toContain(`chmod 600 ${path}`);
  });
});
