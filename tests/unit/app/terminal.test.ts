import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src-main/app/errors';
import { SettingsError, openSettings } from '../../../src-main/app/settings';
import { createTerminal, type Terminal } from '../../../src-main/app/terminal';
import { createAuthority, exportTrustEntry } from '../../../src-main/authority/authority';
import type { PaymentSnapshot } from '../../../src-main/checkout/types';
import { manualClock, tempDataDir } from './helpers';

// The PIN file's lowest accepted cost keeps these tests quick; pin.test.ts checks the default.
const pinKdf = { N: 2 ** 14, r: 8, p: 1, keyLength: 32 };
const random = (n: number) => new Uint8Array(randomBytes(n));

let data: ReturnType<typeof tempDataDir>;
const open: Terminal[] = [];
// PC/SC readers created here talk to a pcscd socket that does not exist (status "no PC/SC
// service"): they must never touch the virtual readers and cards the reader tests use.
beforeAll(() => {
  vi.stubEnv('PCSCLITE_CSOCK_NAME', join(tmpdir(), `no-pcscd-${process.pid}.comm`));
});
afterAll(() => {
  vi.unstubAllEnvs();
});
beforeEach(() => {
  data = tempDataDir();
});
afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
  data.cleanup();
});

async function terminal(dataDir = data.dir): Promise<Terminal> {
  const t = await createTerminal({ dataDir, readerKind: 'stub', pinKdf, env: {} });
  open.push(t);
  return t;
}

/** One sale with the simulated phone playing `scenario`; resolves with the settled snapshot. */
async function pay(t: Terminal, amount: number, scenario: string): Promise<PaymentSnapshot> {
  t.payments.start({ amount });
  expect(t.payments.snapshot().stage).toBe('present-phone');
  t.phone!.tap(scenario);
  const settled = await t.payments.settled();
  t.phone!.remove();
  return settled;
}

const PCSC = { kind: 'pcsc' as const };

const demoSetup = {
  country: 'CN',
  merchantId: 'M-1001',
  merchantName: 'Tea House',
  terminalId: 'T-01',
  pin: '2468',
  trust: 'demo' as const,
};

describe('createTerminal', () => {
  it('opens every service on an empty data folder with the stub reader, and closes them', async () => {
    const t = await terminal();
    expect(t.isSetupComplete()).toBe(false);
    expect(t.readerKind()).toBe('stub');
    expect(t.phone).toBeDefined();
    expect(t.countries().map((c) => c.code)).toContain('CN');
    const statuses: string[] = [];
    t.onReaderStatus((s) => statuses.push(`${s.kind}:${s.state}`));
    expect(statuses).toEqual(['stub:ready']);
    expect(existsSync(join(data.dir, 'ledger.sqlite'))).toBe(true);
    expect(existsSync(join(data.dir, 'logs', 'cashier.log'))).toBe(true);
    expect(statSync(t.terminalKey.path).mode & 0o777).toBe(0o600);
    await t.close();
    await t.close();
    open.length = 0;
    expect(() => t.payments).toThrow(AppError);
    // The ledger was released: the same folder opens again.
    const again = await terminal();
    expect(again.ledger.ledgerId).toBe(t.ledger.ledgerId);
    expect(again.terminalKey.keyId).toBe(t.terminalKey.keyId);
  });

  it('first run in demo mode: settings, PIN, demo authority trusted, approved demo payment recorded as demo', async () => {
    const t = await terminal();
    const settings = await t.firstRun(demoSetup);
    expect(settings).toMatchObject({ firstRunComplete: true, demo: true, country: 'CN', language: 'zh-CN', merchantId: 'M-1001' });
    expect(t.isSetupComplete()).toBe(true);
    expect(t.pin.status().set).toBe(true);
    expect(await t.pin.verify('2468')).toEqual({ result: 'ok' });
    const keys = t.trust.list();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.demo)).toBe(true);
    expect(keys.some((k) => k.status === 'active')).toBe(true);
    expect(statSync(join(data.dir, 'demo', 'demo.json')).mode & 0o777).toBe(0o600);
    await expect(t.firstRun(demoSetup)).rejects.toMatchObject({ code: 'setup_done' });

    const events: string[] = [];
    t.onPayment((e) => events.push(e.type));
    const approved = await pay(t, 1234, 'approve');
    expect(approved.decision).toMatchObject({ outcome: 'approved' });
    expect(approved.order).toMatchObject({ amount: 1234, currency: 'CNY', merchantId: 'M-1001', terminalId: 'T-01', demo: true });
    expect(events).toContain('decision');
    const row = t.ledger.getAttempt(approved.order!.transactionId);
    expect(row).toMatchObject({ status: 'approved', amount: 1234, currency: 'CNY', demo: true, terminalId: 'T-01' });

    const declined = await pay(t, 500, 'wrong-amount');
    expect(declined.decision).toMatchObject({ outcome: 'declined', reason: 'amount_mismatch' });
    const revoked = await pay(t, 500, 'revoked-license');
    expect(revoked.decision).toMatchObject({ outcome: 'declined', reason: 'license_revoked' });
  });

  it('follows settings changes: ledger identity and business day, demo license currency', async () => {
    const t = await terminal();
    await t.firstRun(demoSetup);
    const changes: string[] = [];
    t.onChange((c) => changes.push(c));
    t.settings.update({ country: 'JP', terminalId: 'T-02', overrides: { cutoffHour: 6 } });
    expect(changes).toEqual(['settings']);
    expect(t.ledger.businessDaySettings).toEqual({ timeZone: 'Asia/Tokyo', cutoffHour: 6 });
    const paid = await pay(t, 500, 'approve');
    expect(paid.decision?.outcome).toBe('approved');
    expect(paid.order).toMatchObject({ currency: 'JPY', terminalId: 'T-02' });
    expect(t.ledger.getAttempt(paid.order!.transactionId)).toMatchObject({ currency: 'JPY', terminalId: 'T-02', demo: true });
  });

  it('keeps the demo phone counters across a restart (no false replay)', async () => {
    const first = await terminal();
    await first.firstRun(demoSetup);
    expect((await pay(first, 100, 'approve')).decision?.outcome).toBe('approved');
    await first.close();
    open.length = 0;

    const second = await terminal();
    expect(second.isSetupComplete()).toBe(true);
    expect((await pay(second, 200, 'approve')).decision?.outcome).toBe('approved');
    const page = second.ledger.listAttempts({ businessDate: second.ledger.currentBusinessDate(), status: 'approved' });
    expect(page.total).toBe(2);
  });

  it('first run with a previewed authority key trusts only that key and is not demo', async () => {
    const t = await terminal();
    const now = Date.now();
    const authority = createAuthority({ kid: 'acme-1', notBefore: now - 1000, notAfter: now + 86_400_000, random, name: 'ACME' });
    const preview = t.trust.previewImport(JSON.stringify(exportTrustEntry(authority)));
    const settings = await t.firstRun({ ...demoSetup, country: 'JP', trust: { token: preview.token } });
    expect(settings).toMatchObject({ demo: false, country: 'JP', language: 'en' });
    expect(t.trust.list().map((k) => [k.kid, k.demo])).toEqual([['acme-1', false]]);
    expect(t.settings.profile().currency).toBe('JPY');
    // The simulated phone's licenses come from the untrusted demo authority: declined, and marked demo.
    const result = await pay(t, 300, 'approve');
    expect(result.decision).toMatchObject({ outcome: 'declined', reason: 'unknown_authority' });
    expect(result.order?.demo).toBe(true);
  });

  it('refuses a bad first run without saving anything', async () => {
    const t = await terminal();
    await expect(t.firstRun({ ...demoSetup, pin: '12' })).rejects.toMatchObject({ code: 'invalid_argument' });
    for (const weak of ['1111', '1234', '98765', '1212']) {
      await expect(t.firstRun({ ...demoSetup, pin: weak })).rejects.toThrow(/^pin: the PIN is too easy to guess/);
    }
    await expect(t.firstRun({ ...demoSetup, terminalId: '../x' })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(t.firstRun({ ...demoSetup, trust: { entry: '{"type":"nope"}' } })).rejects.toMatchObject({ code: 'rejected' });
    await expect(t.firstRun({ ...demoSetup, country: 'XX' })).rejects.toThrow(/unknown country/);
    expect(t.isSetupComplete()).toBe(false);
    expect(t.pin.status().set).toBe(false);
    expect(existsSync(join(data.dir, 'settings.json'))).toBe(false);
  });

  it('replaces the PIN of an interrupted first run, and never after setup', async () => {
    const t = await terminal();
    await t.pin.setInitial('5820');
    await t.firstRun({ ...demoSetup, pin: '7391' });
    expect(await t.pin.verify('7391')).toEqual({ result: 'ok' });
    await expect(t.pin.setInitial('4826')).rejects.toMatchObject({ code: 'already-set' });
  });

  it('refuses to start on a corrupt settings file or a ledger missing after the first run', async () => {
    const t = await terminal();
    await t.firstRun(demoSetup);
    await t.close();
    open.length = 0;

    rmSync(join(data.dir, 'ledger.sqlite'));
    await expect(terminal()).rejects.toMatchObject({ code: 'LEDGER_NOT_FOUND' });
    expect(existsSync(join(data.dir, 'ledger.sqlite'))).toBe(false);

    writeFileSync(join(data.dir, 'settings.json'), '{ not json');
    await expect(terminal()).rejects.toBeInstanceOf(SettingsError);
  });

  it('replaces the reader when demo mode is chosen on a PC/SC terminal', async () => {
    openSettings(data.dir).update({ reader: PCSC });
    const t = await createTerminal({ dataDir: data.dir, pinKdf, env: {} });
    open.push(t);
    expect(t.readerKind()).toBe('pcsc');
    expect(t.phone).toBeUndefined();
    const changes: string[] = [];
    t.onChange((c) => changes.push(c));
    await t.firstRun(demoSetup);
    expect(t.readerKind()).toBe('stub');
    expect(changes).toContain('reader');
    expect((await pay(t, 990, 'approve')).decision?.outcome).toBe('approved');
  });

  it('closes promptly while a payment waits for a tap and a reader change waits for it', async () => {
    openSettings(data.dir).update({ reader: { kind: 'stub' } });
    const t = await createTerminal({ dataDir: data.dir, pinKdf, env: {} });
    await t.firstRun({
      ...demoSetup,
      trust: { entry: JSON.stringify(exportTrustEntry(createAuthority({ kid: 'k', notBefore: 0, notAfter: Date.now() + 1e9, random }))) },
    });
    expect(t.readerKind()).toBe('stub');
    const stages: string[] = [];
    t.onPayment((e) => {
      if (e.type === 'stage') stages.push(e.stage);
    });
    t.payments.start({ amount: 100 });
    t.settings.update({ reader: PCSC });
    // Let the reader swap start waiting for that payment.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(t.payments.snapshot().stage).toBe('present-phone');
    expect(t.readerKind()).toBe('stub');
    // The wait is 60 s; closing must not take that long (vitest's 30 s test timeout would fail it).
    await t.close();
    expect(stages).toEqual(['present-phone', 'cancelled']);
    expect(() => t.reader).toThrow(AppError);
  });

  it('before the first run, without a PC/SC reader, offers the simulated phone', async () => {
    const t = await createTerminal({ dataDir: data.dir, pinKdf, env: {}, readerProbeMs: 200 });
    open.push(t);
    expect(t.settings.get().reader.kind).toBe('auto');
    expect(t.readerKind()).toBe('stub');
    expect(t.reader.status()).toMatchObject({ kind: 'stub', state: 'ready' });
  });

  it('honours CASHIER_READER and watches PC/SC once a non-demo store is set up', async () => {
    const forced = await createTerminal({ dataDir: data.dir, pinKdf, env: { CASHIER_READER: 'stub' } });
    open.push(forced);
    expect(forced.readerKind()).toBe('stub');
    const now = Date.now();
    const authority = createAuthority({ kid: 'acme-2', notBefore: now - 1000, notAfter: now + 86_400_000, random });
    await forced.firstRun({ ...demoSetup, trust: { entry: JSON.stringify(exportTrustEntry(authority)) } });
    await forced.close();
    open.length = 0;

    const configured = await createTerminal({ dataDir: data.dir, pinKdf, env: {} });
    open.push(configured);
    expect(configured.readerKind()).toBe('pcsc');
    expect(configured.reader.status()).toMatchObject({ kind: 'pcsc', state: 'no-service' });
  });

  it('switches demo mode off for good: demo keys retired, PC/SC reader, demo rows kept', async () => {
    const t = await createTerminal({ dataDir: data.dir, pinKdf, env: {}, readerProbeMs: 50 });
    open.push(t);
    await t.firstRun(demoSetup);
    expect(t.readerKind()).toBe('stub');
    expect(t.inDemoMode()).toBe(true);
    const sale = await pay(t, 700, 'approve');
    expect(sale.decision?.outcome).toBe('approved');

    // Not while a payment waits for a tap: nothing changes.
    t.payments.start({ amount: 100 });
    await expect(t.leaveDemo()).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('payment is in progress') });
    expect(t.trust.list().filter((k) => k.demo && k.retiredAt === undefined).length).toBeGreaterThan(0);
    expect(t.settings.get().demo).toBe(true);
    t.payments.cancel();
    await t.payments.settled();

    const changes: string[] = [];
    t.onChange((c) => changes.push(c));
    const settings = await t.leaveDemo();
    expect(settings).toMatchObject({ demo: false, reader: { kind: 'pcsc' } });
    expect(t.readerKind()).toBe('pcsc');
    expect(t.phone).toBeUndefined();
    expect(changes).toContain('reader');
    expect(t.inDemoMode()).toBe(false);
    const demoKeys = t.trust.list().filter((k) => k.demo);
    expect(demoKeys.length).toBeGreaterThan(0);
    expect(demoKeys.every((k) => k.status === 'retired')).toBe(true);
    expect(t.trust.hasActiveKey()).toBe(false);
    // The demo sale stays what it was.
    expect(t.ledger.getAttempt(sale.order!.transactionId)).toMatchObject({ status: 'approved', demo: true });
    await expect(t.leaveDemo()).rejects.toMatchObject({ code: 'conflict', message: 'demo mode is already off' });

    // A restart stays out of demo mode.
    await t.close();
    open.length = 0;
    const again = await createTerminal({ dataDir: data.dir, pinKdf, env: {} });
    open.push(again);
    expect(again.readerKind()).toBe('pcsc');
    expect(again.inDemoMode()).toBe(false);
  });

  it('after demo mode is off, a demo license is no real payment, even on the simulated phone', async () => {
    const t = await terminal();
    await t.firstRun(demoSetup);
    expect((await pay(t, 100, 'approve')).decision?.outcome).toBe('approved');
    await t.leaveDemo();
    // CASHIER_READER / the harness keep the simulated phone; its demo authority is no longer trusted.
    expect(t.readerKind()).toBe('stub');
    const after = await pay(t, 100, 'approve');
    expect(after.decision).toMatchObject({ outcome: 'declined', reason: 'authority_key_not_valid' });
    expect(after.order?.demo).toBe(true);
  });

  it('a demo terminal started again after most of a year renews its demo licenses at start', async () => {
    const clock = manualClock(Date.UTC(2026, 0, 15, 10, 0, 0));
    const first = await createTerminal({ dataDir: data.dir, readerKind: 'stub', pinKdf, env: {}, clock: clock.now });
    await first.firstRun(demoSetup);
    expect((await pay(first, 100, 'approve')).decision?.outcome).toBe('approved');
    const issued = first.demo.licenses()?.issuedAt;
    await first.close();

    clock.advance(340 * 86_400_000);
    const again = await createTerminal({ dataDir: data.dir, readerKind: 'stub', pinKdf, env: {}, clock: clock.now });
    open.push(again);
    expect(issued).toBe(Date.UTC(2026, 0, 15, 10, 0, 0));
    expect(again.demo.licenses()).toMatchObject({ issuedAt: clock.now(), expiresAt: clock.now() + 365 * 86_400_000 });
    expect((await pay(again, 100, 'approve')).decision).toMatchObject({ outcome: 'approved', facts: { appCounter: 2 } });
  });
});
