// The wallet's counter survives restarts, on its own or inside a wallet file (mode 0600).
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileCounterStore } from '../../../src-main/wallet/counter-store';
import { loadWalletFile, openWalletFile, saveWalletFile } from '../../../src-main/wallet/wallet-file';
import { walletChannel } from '../../../src-main/wallet/wallet-channel';
import { runTerminalSession } from '../../../src-main/session/terminal-session';
import { MemoryHistory, demo, order, verificationFor } from './helpers';

describe('wallet persistence', () => {
  it('a counter file keeps the last counter across reopen and ignores a stale temp file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfcpay-counter-'));
    const path = join(dir, 'counter.json');
    expect(fileCounterStore(path).last()).toBe(0);
    const store = fileCounterStore(path);
    store.commit(1);
    store.commit(2);
    writeFileSync(`${path}.99999.tmp`, '{"counter": 1000');
    expect(fileCounterStore(path).last()).toBe(2);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('a corrupt counter file is an error, never a silent restart at 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nfcpay-counter-'));
    const path = join(dir, 'counter.json');
    writeFileSync(path, '{"counter": -1}');
    expect(() => fileCounterStore(path)).toThrow();
    writeFileSync(path, 'not json');
    expect(() => fileCounterStore(path)).toThrow();
  });

  it('a wallet file pays, counts up across restarts, and leaves no temp files', async () => {
    const env = demo();
    const dir = mkdtempSync(join(tmpdir(), 'nfcpay-wallet-'));
    const path = join(dir, 'wallet.json');
    saveWalletFile(path, env.credentialsFor('approve'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const history = new MemoryHistory();
    for (const expected of [1, 2, 3]) {
      const channel = walletChannel(openWalletFile(path));
      channel.tap();
      const result = await runTerminalSession({
        channel,
        order: order(),
        verification: verificationFor(env, history),
        random: (n) => new Uint8Array(n).fill(expected),
      });
      history.record(result);
      expect(result.decision).toMatchObject({ outcome: 'approved', facts: { appCounter: expected } });
    }
    expect(loadWalletFile(path).counter.last()).toBe(3);
    expect(readdirSync(dir)).toEqual(['wallet.json']);
  });
});
