// CLI smoke tests: real processes (tsx), real files. Private keys get mode 0600 and never
// appear on stdout or stderr; what the CLI makes works in a payment.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src-main/cli/main';
import { toHex } from '../../../src-main/domain/bytes';
import { publicKeyFor, nobleVerifier } from '../../../src-main/protocol/signature';
import { runTerminalSession } from '../../../src-main/session/terminal-session';
import { EMPTY_REVOCATIONS } from '../../../src-main/verification/revocation';
import { verifyRevocationList } from '../../../src-main/verification/revocation';
import { createTrustStore, parseTrustEntry } from '../../../src-main/verification/trust-store';
import { CLOCK_SKEW_MS } from '../../../src-main/verification/license';
import { openWalletFile } from '../../../src-main/wallet/wallet-file';
import { walletChannel } from '../../../src-main/wallet/wallet-channel';
import { runCliProcess } from '../../support/cli-process';
import { MemoryHistory, order } from './helpers';

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  const { code, stdout, stderr } = await runCliProcess(args);
  return { code, out: stdout + stderr };
}

/** The CLI's dispatcher in this process: its exit code and what it printed. */
async function inProcess(...args: string[]): Promise<{ code: number; out: string }> {
  const printed: string[] = [];
  const print = (...parts: unknown[]) => void printed.push(parts.join(' '));
  const log = vi.spyOn(console, 'log').mockImplementation(print);
  const error = vi.spyOn(console, 'error').mockImplementation(print);
  try {
    return { code: await runCli(args), out: printed.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

function secretsIn(path: string): string[] {
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const secret = (json.secretKey ?? json.appSecretKey) as string;
  return [secret, toHex(Buffer.from(secret, 'base64url'))];
}

describe('authority and wallet command line', () => {
  it('creates an authority, a wallet and a revocation list that a terminal accepts', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfcpay-cli-'));
    const key = join(dir, 'authority.key.json');
    const outputs: string[] = [];
    const step = async (...args: string[]) => {
      const result = await cli(...args);
      outputs.push(result.out);
      expect(result.code, result.out).toBe(0);
      return result.out;
    };

    await step('authority', 'create', '--kid', 'cli-test-1', '--authority', 'cli-test', '--key', key, '--name', 'CLI Test Authority');
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const trustJson = await step('authority', 'export-trust', '--key', key);
    const authority = parseTrustEntry(JSON.parse(trustJson));
    expect(authority).toMatchObject({ kid: 'cli-test-1', authorityId: 'cli-test' });

    const wallet = join(dir, 'wallet.json');
    await step('wallet', 'init', '--authority-key', key, '--out', wallet, '--account', 'acct-7', '--limit', '50000', '--currency', 'CNY');
    expect(statSync(wallet).mode & 0o777).toBe(0o600);

    const phone = openWalletFile(wallet);
    const license = join(dir, 'license.json');
    await step(
      'authority',
      'issue',
      '--key',
      key,
      '--app-public-key',
      toHex(phone.appPublicKey),
      '--account',
      'acct-8',
      '--limit',
      '100',
      '--currency',
      'USD',
      '--serial',
      'serial-8',
      '--out',
      license,
    );
    expect(JSON.parse(readFileSync(license, 'utf8'))).toMatchObject({ type: 'nfcpay-license', serial: 'serial-8', kid: 'cli-test-1' });

    const revocations = join(dir, 'revocations.json');
    await step(
      'authority',
      'revoke',
      '--key',
      key,
      '--sequence',
      '3',
      '--serial',
      'serial-8',
      '--revoke-kid',
      'old-kid',
      '--out',
      revocations,
    );
    const list = verifyRevocationList(JSON.parse(readFileSync(revocations, 'utf8')), createTrustStore([authority]), Date.now());
    expect([...list.licenseSerials]).toEqual(['serial-8']);
    expect(list).toMatchObject({ sequence: 3, authorityId: 'cli-test' });

    for (const secret of [...secretsIn(key), ...secretsIn(wallet)]) {
      for (const out of outputs) expect(out).not.toContain(secret);
    }
    expect(toHex(publicKeyFor('ES256', Buffer.from(JSON.parse(readFileSync(wallet, 'utf8')).appSecretKey, 'base64url')))).toBe(
      toHex(phone.appPublicKey),
    );

    const channel = walletChannel(phone);
    channel.tap();
    const result = await runTerminalSession({
      channel,
      order: order(),
      verification: {
        clock: Date.now,
        clockSkewMs: CLOCK_SKEW_MS,
        verifier: nobleVerifier,
        trustStore: createTrustStore([authority]),
        revocations: EMPTY_REVOCATIONS,
        history: new MemoryHistory(),
      },
      random: (n) => new Uint8Array(randomBytes(n)),
    });
    expect(result.decision).toMatchObject({ outcome: 'approved', facts: { accountId: 'acct-7', appCounter: 1 } });
    // The counter survived in the file.
    expect(openWalletFile(wallet).lastCounter).toBe(1);
  });

  // In this process: the dispatcher's answers to help and bad input are what the process exits
  // with (index.ts sets process.exitCode to them); six cold tsx starts would measure the machine.
  it('prints help and refuses bad input with exit code 2', async () => {
    expect(await inProcess('authority', '--help')).toMatchObject({ code: 0, out: expect.stringContaining('export-trust') });
    expect(await inProcess('wallet', '--help')).toMatchObject({ code: 0, out: expect.stringContaining('init') });
    expect((await inProcess('authority', 'create', '--kid', 'bad kid!', '--key', join(tmpdir(), 'never.json'))).code).toBe(2);
    const badAuthority = await inProcess(
      'authority',
      'create',
      '--kid',
      'k1',
      '--authority',
      'bad id!',
      '--key',
      join(tmpdir(), 'never.json'),
    );
    expect(badAuthority).toMatchObject({ code: 2, out: expect.stringContaining('authority id must be 1-64 characters') });
    expect((await inProcess('authority', 'frobnicate')).code).toBe(2);
    expect((await inProcess('authority', 'toString')).code).toBe(2);
    expect((await inProcess('frobnicate')).code).toBe(2);
    expect(await inProcess('authority', 'issue', '--help')).toMatchObject({ code: 0, out: expect.stringContaining('--app-public-key') });
  });

  it('never quotes a private key when its file is corrupt', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfcpay-cli-'));
    const key = join(dir, 'authority.key.json');
    expect((await cli('authority', 'create', '--kid', 'leak-test', '--key', key)).code).toBe(0);
    const wallet = join(dir, 'wallet.json');
    expect(
      (await cli('wallet', 'init', '--authority-key', key, '--out', wallet, '--account', 'a', '--limit', '1', '--currency', 'CNY')).code,
    ).toBe(0);
    const [keySecret = ''] = secretsIn(key);
    const [walletSecret = ''] = secretsIn(wallet);
    // A stray character right before the secret: V8's JSON.parse message quotes the text around it.
    const corrupt = (path: string, secret: string) => {
      const bad = join(dir, `bad-${path.endsWith('wallet.json') ? 'wallet' : 'key'}.json`);
      writeFileSync(bad, readFileSync(path, 'utf8').replace(`"${secret}"`, `x"${secret}"`), { mode: 0o600 });
      return bad;
    };
    const badKey = corrupt(key, keySecret);
    const badWallet = corrupt(wallet, walletSecret);
    const outputs = [
      await cli('authority', 'export-trust', '--key', badKey),
      await cli(
        'wallet',
        'init',
        '--authority-key',
        badKey,
        '--out',
        join(dir, 'w2.json'),
        '--account',
        'a',
        '--limit',
        '1',
        '--currency',
        'CNY',
      ),
    ];
    for (const { code, out } of outputs) {
      expect(code, out).toBe(1);
      expect(out).toContain('is not valid JSON');
      expect(out).not.toContain(keySecret.slice(0, 6));
    }
    expect(() => openWalletFile(badWallet)).toThrow(/is not valid JSON/);
    try {
      openWalletFile(badWallet);
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(walletSecret.slice(0, 6));
      expect(String((error as Error).stack)).not.toContain(walletSecret.slice(0, 6));
    }
  });
});
