// The terminal holds on to its own ledger and key: another ledger, an older copy, a lost key or
// lost settings stop it with an error naming the file, and only the PIN-protected adoption
// (recorded in the ledger) takes a ledger back.
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { adoptLedger, RecoveryError } from '../../../src-main/app/recovery';
import { openSettings, SettingsError } from '../../../src-main/app/settings';
import { createTerminal, type Terminal } from '../../../src-main/app/terminal';
import { TerminalKeyError } from '../../../src-main/export/terminal-key';
import { LedgerError } from '../../../src-main/ledger/errors';
import { readHeadFile } from '../../../src-main/ledger/head-file';
import { Ledger } from '../../../src-main/ledger/ledger';
import { manualClock, tempDataDir } from './helpers';

const pinKdf = { N: 2 ** 14, r: 8, p: 1, keyLength: 32 };
const setup = { country: 'CN', merchantId: 'M-1001', merchantName: 'Tea House', terminalId: 'T-01', pin: '2468', trust: 'demo' as const };
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

let data: ReturnType<typeof tempDataDir>;
let other: ReturnType<typeof tempDataDir>;
const clock = manualClock();
beforeAll(() => vi.stubEnv('PCSCLITE_CSOCK_NAME', join(tmpdir(), `no-pcscd-${process.pid}.comm`)));
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => {
  data = tempDataDir();
  other = tempDataDir();
});
afterEach(() => {
  data.cleanup();
  other.cleanup();
});

const open = (dataDir = data.dir) =>
  createTerminal({ dataDir, readerKind: 'stub', pinKdf, env: {}, clock: clock.now, random: (n) => new Uint8Array(randomBytes(n)) });

async function pay(t: Terminal, amount: number): Promise<void> {
  t.payments.start({ amount });
  t.phone?.tap('approve');
  await t.payments.settled();
  t.phone?.remove();
  clock.advance(1000);
}

/** A set-up terminal with `sales` approved payments, closed again. */
async function terminalWith(sales: number, dataDir = data.dir): Promise<{ ledgerId: string; keyId: string }> {
  const t = await open(dataDir);
  if (!t.isSetupComplete()) await t.firstRun(setup);
  for (let i = 0; i < sales; i++) await pay(t, 100 + i);
  const ids = { ledgerId: t.ledger.ledgerId, keyId: t.terminalKey.keyId };
  await t.close();
  return ids;
}

async function refusal(dataDir = data.dir): Promise<Error> {
  try {
    await (await open(dataDir)).close();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the terminal opened');
}

describe('ledger identity and adoption', () => {
  it('the first run keeps the ledger id and the terminal key id in the settings', async () => {
    const ids = await terminalWith(0);
    expect(openSettings(data.dir).get()).toMatchObject({ ledgerId: ids.ledgerId, terminalKeyId: ids.keyId });
  });

  it("another terminal's ledger copied in is refused, naming the file, and nothing is written to it", async () => {
    await terminalWith(1);
    await terminalWith(2, other.dir);
    const ledger = join(data.dir, 'ledger.sqlite');
    for (const suffix of ['', '.head']) copyFileSync(join(other.dir, `ledger.sqlite${suffix}`), `${ledger}${suffix}`);
    const before = sha256(ledger);
    const error = await refusal();
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).toMatchObject({ code: 'LEDGER_MISMATCH' });
    expect(error.message).toContain(ledger);
    expect(sha256(ledger)).toBe(before);
  });

  it('an older copy restored on purpose is refused until the manager adopts it with the PIN; the adoption is recorded', async () => {
    await terminalWith(2);
    const ledger = join(data.dir, 'ledger.sqlite');
    copyFileSync(ledger, join(data.dir, 'backup.sqlite'));
    await terminalWith(2);
    const file = readHeadFile(`${ledger}.head`);
    expect(file).toBeDefined();
    const newerHead = { seq: file?.seq, hash: file?.hash };
    copyFileSync(join(data.dir, 'backup.sqlite'), ledger);
    expect(await refusal()).toMatchObject({ code: 'LEDGER_ROLLED_BACK' });

    await expect(adoptLedger({ dataDir: data.dir, pin: '1111', reason: 'backup restored', pinKdf })).rejects.toMatchObject({
      code: 'pin_wrong',
    });
    expect(await refusal()).toMatchObject({ code: 'LEDGER_ROLLED_BACK' });
    await expect(adoptLedger({ dataDir: data.dir, reason: 'backup restored', pinKdf })).rejects.toBeInstanceOf(RecoveryError);

    const adopted = await adoptLedger({
      dataDir: data.dir,
      pin: '2468',
      reason: 'backup of the 14th restored after a disk failure',
      pinKdf,
    });
    expect(adopted).toMatchObject({ head: { seq: 2 }, settingsRebuilt: false, pinReset: false });
    const t = await open();
    try {
      expect(t.ledger.adoptions()).toEqual([
        expect.objectContaining({
          operator: 'manager',
          reason: 'backup of the 14th restored after a disk failure',
          head: adopted.head,
          replacedHead: newerHead,
        }),
      ]);
      await pay(t, 500);
      expect(t.ledger.head().seq).toBe(3);
    } finally {
      await t.close();
    }
  });
});

describe('terminal key', () => {
  it('a deleted terminal-key.pem is refused, not regenerated; another key is refused too', async () => {
    const ids = await terminalWith(1);
    const keyFile = join(data.dir, 'terminal-key.pem');
    const original = readFileSync(keyFile);
    rmSync(keyFile);
    const missing = await refusal();
    expect(missing).toBeInstanceOf(TerminalKeyError);
    expect(missing.message).toContain(keyFile);
    expect(existsSync(keyFile)).toBe(false);

    await terminalWith(0, other.dir);
    copyFileSync(join(other.dir, 'terminal-key.pem'), keyFile);
    expect((await refusal()).message).toMatch(/holds key .* but this terminal's key is/);
    writeFileSync(keyFile, original, { mode: 0o600 });
    const t = await open();
    expect(t.terminalKey.keyId).toBe(ids.keyId);
    await t.close();
  });
});

describe('lost or corrupt settings', () => {
  it('a deleted settings.json with a ledger present never reopens the first-run wizard; the PIN recovers it from the ledger', async () => {
    const ids = await terminalWith(2);
    const pinFile = readFileSync(join(data.dir, 'pin.json'));
    rmSync(join(data.dir, 'settings.json'));
    const error = await refusal();
    expect(error).toBeInstanceOf(SettingsError);
    expect(error.message).toMatch(/settings\.json is missing, but .* holds 2 rows/);
    expect(readFileSync(join(data.dir, 'pin.json'))).toEqual(pinFile);
    expect(existsSync(join(data.dir, 'settings.json'))).toBe(false);

    await expect(adoptLedger({ dataDir: data.dir, pin: '2468', reason: 'settings lost', pinKdf })).rejects.toMatchObject({
      code: 'country_required',
    });
    const result = await adoptLedger({
      dataDir: data.dir,
      pin: '2468',
      reason: 'settings lost',
      country: 'CN',
      merchantName: 'Tea House',
      pinKdf,
    });
    expect(result).toMatchObject({
      ledgerId: ids.ledgerId,
      terminalId: 'T-01',
      merchantId: 'M-1001',
      terminalKeyId: ids.keyId,
      settingsRebuilt: true,
    });
    const t = await open();
    try {
      expect(t.isSetupComplete()).toBe(true);
      expect(t.settings.get()).toMatchObject({ merchantId: 'M-1001', terminalId: 'T-01', ledgerId: ids.ledgerId });
      expect((await t.pin.verify('2468')).result).toBe('ok');
    } finally {
      await t.close();
    }
  });

  it('a corrupt settings.json is kept aside, not overwritten, when it is recovered', async () => {
    await terminalWith(1);
    writeFileSync(join(data.dir, 'settings.json'), '{"version": 1, "merch');
    expect(await refusal()).toMatchObject({ code: 'corrupt' });
    const result = await adoptLedger({ dataDir: data.dir, pin: '2468', reason: 'settings damaged', country: 'CN', pinKdf });
    expect(readFileSync(result.keptSettingsAs as string, 'utf8')).toBe('{"version": 1, "merch');
    await (await open()).close();
  });

  it('with the PIN file gone too, the offline recovery needs a new PIN and the ledger id typed out; it is recorded as such', async () => {
    const ids = await terminalWith(1);
    rmSync(join(data.dir, 'settings.json'));
    rmSync(join(data.dir, 'pin.json'));
    await expect(adoptLedger({ dataDir: data.dir, newPin: '9753', reason: 'both lost', country: 'CN', pinKdf })).rejects.toMatchObject({
      code: 'confirm_required',
    });
    expect(existsSync(join(data.dir, 'pin.json'))).toBe(false);
    const result = await adoptLedger({
      dataDir: data.dir,
      newPin: '9753',
      confirmLedgerId: ids.ledgerId,
      reason: 'both lost',
      country: 'CN',
      pinKdf,
    });
    expect(result.pinReset).toBe(true);
    const ledger = new Ledger({
      path: join(data.dir, 'ledger.sqlite'),
      readOnly: true,
      terminalId: 'T-01',
      merchantId: 'M-1001',
      timeZone: 'UTC',
      cutoffHour: 0,
    });
    expect(ledger.adoptions()).toEqual([expect.objectContaining({ operator: 'offline-recovery', reason: 'both lost' })]);
    ledger.close();
  });

  it('a damaged demo counter file stops the terminal naming the file; the counter is not reset', async () => {
    await terminalWith(1);
    const counters = join(data.dir, 'demo', 'counters');
    const [name] = readdirSync(counters);
    writeFileSync(join(counters, name as string), '{"counter": ');
    const error = await refusal();
    expect(error.message).toContain(join(counters, name as string));
    expect(readFileSync(join(counters, name as string), 'utf8')).toBe('{"counter": ');
  });
});
