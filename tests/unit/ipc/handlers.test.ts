// The IPC handlers on the real services (createTerminal in a temp folder, simulated phone):
// every argument is validated, manager requests need a session, wizard and demo rules hold,
// and nothing the services answer leaves main outside the contract.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTerminal, type Terminal } from '../../../src-main/app/terminal';
import { openTrustStoreAdmin } from '../../../src-main/app/trust-store-admin';
import {
  IPC_ERROR_CODES,
  MAX_AMOUNT_MINOR,
  REQUESTS,
  REQUEST_NAMES,
  requestChannel,
  type IpcEnvelope,
  type IpcErrorCode,
  type RequestName,
} from '../../../src-main/ipc/contract';
import { createIpcHandlers, createIpcHandlersFor, type IpcHandlerSet } from '../../../src-main/ipc/handlers';
import { terminalServices } from '../../../src-main/ipc/terminal-services';
import { createHarnessPlatform, type HarnessPlatform } from '../../harness/platform';

const PIN = '2468';
const pinKdf = { N: 2 ** 14, r: 8, p: 1, keyLength: 32 };
const SETUP = { country: 'US', merchantId: 'M-1', merchantName: 'Shop', terminalId: 'T-1', pin: PIN, language: 'en', trustKey: 'demo' };
const TX = '0123456789abcdef0123456789abcdef';

/** A valid argument for every manager-only request (so the refusal is about the session only). */
const MANAGER_SAMPLES: Partial<Record<RequestName, unknown>> = {
  changePin: { currentPin: PIN, newPin: '1357' },
  updateSettings: { merchantName: 'Other' },
  listReaders: undefined,
  demoStatus: undefined,
  businessDayPreview: { country: 'CN' },
  leaveDemoMode: undefined,
  listLog: { status: 'approved' },
  xReport: undefined,
  closeDay: undefined,
  zReport: { businessDate: '2026-11-23' },
  printReport: { kind: 'X', businessDate: '2026-11-23', lines: ['X REPORT'], paperWidth: 58 },
  voidTransaction: { transactionId: TX },
  refundSale: { transactionId: TX, amount: 100 },
  exportDay: undefined,
  sendToSettlement: { businessDate: '2026-11-23' },
  getReceipt: { transactionId: TX },
  confirmTrustKey: { token: 'x' },
  retireTrustKey: { kid: 'demo-main' },
  importRevocationList: { text: '{}' },
  listTrustKeys: undefined,
  previewTrustKey: { text: '{}' },
};

let dataDir: string;
let terminal: Terminal;
let platform: HarnessPlatform;
let ipc: IpcHandlerSet;
let events: { channel: string; payload: unknown }[];

async function call(name: RequestName, arg?: unknown): Promise<IpcEnvelope<unknown>> {
  return ipc.invoke(requestChannel(name), arg);
}

async function ok<T = unknown>(name: RequestName, arg?: unknown): Promise<T> {
  const answer = await call(name, arg);
  if (!answer.ok) throw new Error(`${name} failed: ${answer.error.code} ${answer.error.message}`);
  return answer.value as T;
}

async function refused(name: RequestName, arg: unknown, code: IpcErrorCode) {
  const answer = await call(name, arg);
  expect(answer.ok, `${name}(${JSON.stringify(arg)}) should be refused`).toBe(false);
  if (answer.ok) throw new Error('unreachable');
  expect(answer.error.code, `${name}(${JSON.stringify(arg)}): ${answer.error.message}`).toBe(code);
  return answer.error;
}

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ipc-handlers-'));
  terminal = await createTerminal({ dataDir, readerKind: 'stub', pinKdf, env: {} });
  platform = createHarnessPlatform({ exportDir: join(dataDir, 'exports') });
  ipc = createIpcHandlers(terminal, platform);
  events = [];
  ipc.onEvent((channel, payload) => events.push({ channel, payload }));
});

afterEach(async () => {
  ipc.close();
  await terminal.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('IPC handlers: argument validation', () => {
  it('has one handler per request and refuses unknown channels', async () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(REQUEST_NAMES.map(requestChannel).sort());
    const answer = await ipc.invoke('cashier:rm -rf', {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('refuses wrong types and out-of-range amounts, and starts nothing', async () => {
    await ok('completeSetup', SETUP);
    for (const bad of [
      undefined,
      '1234',
      { amount: '1234' },
      { amount: 12.5 },
      { amount: 0 },
      { amount: -5 },
      { amount: MAX_AMOUNT_MINOR + 1 },
      { amount: Number.NaN },
      { amount: 100, currency: 'EUR' },
      { amount: 300, items: [{ description: 'Tea', quantity: 3, unitPrice: 99 }] },
      { amount: 300, items: [{ description: '', quantity: 3, unitPrice: 100 }] },
      { amount: 300, items: [{ description: 'Tea', quantity: 0, unitPrice: 300 }] },
      { amount: 300, items: [] },
    ]) {
      await refused('startPayment', bad, 'invalid_argument');
    }
    const error = await refused(
      'startPayment',
      { amount: 301, items: [{ description: 'Tea', quantity: 3, unitPrice: 100 }] },
      'invalid_argument',
    );
    expect(error.issues).toEqual([{ path: 'items', message: 'line items do not add up to the amount' }]);
    expect(await ok('currentPayment')).toBeNull();
    // The same request with good values works.
    const started = await ok<{ stage: string; amount: number }>('startPayment', {
      amount: 300,
      items: [{ description: 'Tea', quantity: 3, unitPrice: 100 }],
    });
    expect(started).toMatchObject({ stage: 'present-phone', amount: 300 });
  });

  it('refuses garbage of every shape for every request with invalid_argument', async () => {
    await ok('completeSetup', SETUP);
    await ok('unlockManager', { pin: PIN });
    for (const name of REQUEST_NAMES) {
      for (const garbage of [42, 'x', [1], null, { bogus: 1 }, true, () => 1, { amount: 5, then: () => 1 }]) {
        await refused(name, garbage, 'invalid_argument');
      }
    }
    // Only own, plain data counts: an amount inherited through the prototype is not an amount.
    await refused('startPayment', Object.create({ amount: 100 }) as unknown, 'invalid_argument');
    await refused('startPayment', { __proto__: { amount: 100 } }, 'invalid_argument');
  });

  it('answers any value with an envelope and never throws (property)', async () => {
    await ok('completeSetup', SETUP);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...REQUEST_NAMES.filter((n) => n !== 'closeDay' && n !== 'completeSetup')),
        fc.anything(),
        async (name, arg) => {
          const answer = await call(name, arg);
          expect(typeof answer.ok).toBe('boolean');
          if (!answer.ok) expect(IPC_ERROR_CODES).toContain(answer.error.code);
          terminal.payments.cancel();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses arguments to requests that take none, and unknown keys everywhere', async () => {
    await refused('cancelPayment', { now: true }, 'invalid_argument');
    await refused('appState', 1, 'invalid_argument');
    await refused('setLanguage', { language: 'fr' }, 'invalid_argument');
    await refused('setLanguage', { language: 'en', extra: 1 }, 'invalid_argument');
    await refused('phoneTap', { scenario: '../../etc/passwd' }, 'invalid_argument');
    await refused('printReceipt', { transactionId: TX, lines: ['x'.repeat(65)], paperWidth: 80 }, 'invalid_argument');
    await refused('printReceipt', { transactionId: TX, lines: ['ok'], paperWidth: 70 }, 'invalid_argument');
    expect(platform.printed).toHaveLength(0);
  });

  it('refuses report print jobs that do not describe an X or Z report', async () => {
    await ok('completeSetup', SETUP);
    await ok('unlockManager', { pin: PIN });
    const x = { kind: 'X', businessDate: '2026-11-23', lines: ['X REPORT'], paperWidth: 80 };
    for (const bad of [
      undefined,
      { ...x, kind: 'Y' },
      { ...x, zNumber: 3 },
      { ...x, kind: 'Z' },
      { ...x, kind: 'Z', zNumber: 0 },
      { ...x, businessDate: '23.11.2026' },
      { ...x, lines: [] },
      { ...x, lines: ['x'.repeat(65)] },
      { ...x, lines: Array.from({ length: 401 }, () => 'line') },
      { ...x, paperWidth: 76 },
      { ...x, printer: 'somewhere' },
    ]) {
      await refused('printReport', bad, 'invalid_argument');
    }
    expect(platform.printed).toHaveLength(0);
  });

  it('previews a business-day change without saving it, and refuses unknown countries and zones', async () => {
    await ok('completeSetup', SETUP);
    await ok('unlockManager', { pin: PIN });
    for (const bad of [
      { country: 'china' },
      { country: 'CN', extra: 1 },
      { overrides: { cutoffHour: 24 } },
      { overrides: { timeZone: '' } },
    ]) {
      await refused('businessDayPreview', bad, 'invalid_argument');
    }
    await refused('businessDayPreview', { overrides: { timeZone: 'Mars/Olympus' } }, 'invalid_argument');
    await refused('businessDayPreview', { country: 'XX' }, 'not_found');
    const preview = await ok<{ current: { timeZone: string }; next: { timeZone: string; currency: string }; changes: string[] }>(
      'businessDayPreview',
      { country: 'CN' },
    );
    expect(preview).toMatchObject({ current: { timeZone: 'America/New_York' }, next: { timeZone: 'Asia/Shanghai', currency: 'CNY' } });
    expect(preview.changes).toEqual(expect.arrayContaining(['timeZone', 'currency']));
    expect(terminal.settings.get().country).toBe('US');
  });

  it('refuses a malformed PIN without counting it as a try', async () => {
    await ok('completeSetup', SETUP);
    for (const bad of ['12', '12345678901234', 'abcd', 2468, null]) await refused('unlockManager', { pin: bad }, 'invalid_argument');
    expect(await ok('pinStatus')).toMatchObject({ failedAttempts: 0, locked: false });
  });

  it('refuses out-of-range settings and keys a manager may not change', async () => {
    await ok('completeSetup', SETUP);
    await ok('unlockManager', { pin: PIN });
    for (const bad of [
      {},
      { waitTimeoutMs: 1000 },
      { waitTimeoutMs: 60_000.5 },
      { merchantId: 'has space' },
      { printer: { paperWidth: 72 } },
      { demo: false },
      { firstRunComplete: false },
      { language: 'de' },
    ]) {
      await refused('updateSettings', bad, 'invalid_argument');
    }
    expect(await ok('updateSettings', { waitTimeoutMs: 5000 })).toMatchObject({ waitTimeoutMs: 5000 });
  });
});

describe('IPC handlers: access rules', () => {
  it('needs the first-run setup for payments, and allows it only once', async () => {
    await refused('startPayment', { amount: 100 }, 'setup_required');
    await refused('unlockManager', { pin: PIN }, 'setup_required');
    // The wizard may preview a key before any PIN exists (here: a bad one, refused by the trust store).
    await refused('previewTrustKey', { text: '{"not":"an entry"}' }, 'rejected');
    await ok('completeSetup', SETUP);
    await refused('completeSetup', SETUP, 'setup_done');
    await refused('previewTrustKey', { text: '{"not":"an entry"}' }, 'manager_session_required');
  });

  it('refuses every manager request without a session, with valid arguments', async () => {
    await ok('completeSetup', SETUP);
    const managerOnly = REQUEST_NAMES.filter((n) => REQUESTS[n].access === 'manager' || REQUESTS[n].access === 'setup-or-manager');
    expect(managerOnly.length).toBeGreaterThan(10);
    for (const name of managerOnly) {
      expect(name in MANAGER_SAMPLES, `sample argument for ${name}`).toBe(true);
      expect(REQUESTS[name].args.safeParse(MANAGER_SAMPLES[name]).success, `sample for ${name} is valid`).toBe(true);
      await refused(name, MANAGER_SAMPLES[name], 'manager_session_required');
    }
    // Nothing happened behind the refusals.
    expect(terminal.settings.get().merchantName).toBe('Shop');
    expect(platform.printed).toHaveLength(0);
  });

  it('a wrong current PIN is refused with its reason code and the tries left (no English to match)', async () => {
    await ok('completeSetup', SETUP);
    await ok('unlockManager', { pin: PIN });
    const error = await refused('changePin', { currentPin: '1111', newPin: '1357' }, 'rejected');
    expect(error.refusal).toEqual({ reason: 'pin_wrong', values: { left: '4' } });
  });

  it('opens a manager session with the PIN, and closes it on lock', async () => {
    await ok('completeSetup', SETUP);
    expect(await ok('unlockManager', { pin: '1111' })).toMatchObject({ ok: false, reason: 'wrong_pin', pin: { remainingAttempts: 4 } });
    await refused('listLog', undefined, 'manager_session_required');
    expect(await ok('unlockManager', { pin: PIN })).toMatchObject({ ok: true, session: { active: true } });
    expect(await ok('listLog')).toMatchObject({ entries: [], total: 0 });
    expect(events.filter((e) => e.channel === 'cashier-event:managerSession').map((e) => e.payload)).toEqual([
      expect.objectContaining({ active: true }),
    ]);
    expect(await ok('lockManager')).toEqual({ active: false });
    await refused('listLog', undefined, 'manager_session_required');
  });

  it('ends the manager session after its time', async () => {
    let now = Date.now();
    const timed = createIpcHandlers(terminal, platform, { clock: () => now, managerSessionMs: 60_000 });
    try {
      const invoke = (name: RequestName, arg?: unknown) => timed.invoke(requestChannel(name), arg);
      expect((await invoke('completeSetup', SETUP)).ok).toBe(true);
      expect((await invoke('unlockManager', { pin: PIN })).ok).toBe(true);
      now += 59_000;
      expect((await invoke('xReport')).ok).toBe(true); // and this extends it
      now += 59_000;
      expect((await invoke('xReport')).ok).toBe(true);
      now += 60_001;
      expect(await invoke('xReport')).toMatchObject({ ok: false, error: { code: 'manager_session_required' } });
      expect(await invoke('managerSession')).toEqual({ ok: true, value: { active: false } });
    } finally {
      timed.close();
    }
  });

  it('locks the PIN after five wrong tries, even against the right PIN', async () => {
    await ok('completeSetup', SETUP);
    for (let i = 0; i < 5; i += 1) await ok('unlockManager', { pin: '0000' });
    expect(await ok('pinStatus')).toMatchObject({ locked: true, remainingAttempts: 0 });
    expect(await ok('unlockManager', { pin: PIN })).toMatchObject({ ok: false, reason: 'locked' });
    await refused('listLog', undefined, 'manager_session_required');
  });

  it('offers the simulated phone only when it is the reader', async () => {
    await ok('completeSetup', SETUP);
    await refused('phoneTap', { scenario: 'no-such-scenario' }, 'not_found');
    const services = terminalServices(terminal, platform);
    const onRealReader = createIpcHandlersFor({ ...services, readerKind: () => 'pcsc' });
    try {
      expect(await onRealReader.invoke(requestChannel('phoneTap'), { scenario: 'approve' })).toMatchObject({
        ok: false,
        error: { code: 'not_available' },
      });
      expect(await onRealReader.invoke(requestChannel('phoneScenarios'), undefined)).toMatchObject({
        ok: false,
        error: { code: 'not_available' },
      });
    } finally {
      onRealReader.close();
    }
  });
});

describe('IPC handlers: services behind the contract', () => {
  it('runs one payment through the simulated phone and forwards its events', async () => {
    await ok('completeSetup', SETUP);
    const started = await ok<{ transactionId: string }>('startPayment', { amount: 1234 });
    await refused('startPayment', { amount: 1234 }, 'payment_in_progress');
    await ok('phoneTap', { scenario: 'approve' });
    await terminal.payments.settled();
    const decision = events.find((e) => e.channel === 'cashier-event:decision')?.payload;
    expect(decision).toMatchObject({
      transactionId: started.transactionId,
      outcome: 'approved',
      amount: 1234,
      demo: true,
      receipt: { seq: 1 },
    });
    const stages = events.filter((e) => e.channel === 'cashier-event:paymentStage').map((e) => (e.payload as { stage: string }).stage);
    expect(stages).toEqual(expect.arrayContaining(['present-phone', 'processing', 'approved', 'remove-phone']));
    expect(await ok('lastReceipt')).toMatchObject({ transactionId: started.transactionId, status: 'approved' });
  });

  it('prints the X and Z reports the screen laid out, titled by kind, day and number', async () => {
    await ok('completeSetup', SETUP);
    await ok('unlockManager', { pin: PIN });
    await ok('updateSettings', { printer: { paperWidth: 58 } });
    const x = await ok<{ kind: string; businessDate: string; paperWidth: number }>('xReport');
    expect(x).toMatchObject({ kind: 'X', paperWidth: 58 });
    expect(
      await ok('printReport', { kind: 'X', businessDate: x.businessDate, lines: ['X REPORT', 'Approved    0'], paperWidth: 58 }),
    ).toMatchObject({ printed: true });
    const z = await ok<{ kind: string; businessDate: string; zNumber: number; paperWidth: number }>('closeDay');
    expect(z).toMatchObject({ kind: 'Z', zNumber: 1, paperWidth: 58 });
    await ok('printReport', {
      kind: 'Z',
      businessDate: z.businessDate,
      zNumber: z.zNumber,
      lines: ['Z REPORT 1', 'Approved    0'],
      paperWidth: 58,
    });
    // The closed day's Z report can be read again (to reprint it), exactly as it was made.
    expect(await ok('zReport', { businessDate: z.businessDate })).toEqual(z);
    await refused('zReport', { businessDate: '2001-01-01' }, 'not_found');
    await refused('zReport', { businessDate: 'yesterday' }, 'invalid_argument');
    expect(platform.printed).toEqual([
      { lines: ['X REPORT', 'Approved    0'], paperWidth: 58, title: `X report ${x.businessDate}` },
      { lines: ['Z REPORT 1', 'Approved    0'], paperWidth: 58, title: `Z report 1 ${z.businessDate}` },
    ]);
    // Silent printing goes to the printer chosen in the settings.
    await ok('updateSettings', { printer: { name: 'Counter printer', paperWidth: 80 } });
    await ok('printReport', { kind: 'X', businessDate: x.businessDate, lines: ['X REPORT'], paperWidth: 80 });
    expect(platform.printed[2]).toMatchObject({ printerName: 'Counter printer', paperWidth: 80 });
  });

  it('demo status is a query: licenses due for renewal are renewed at start, never by reading them', async () => {
    await ok('completeSetup', SETUP);
    await terminal.close();
    const start = Date.now();
    let now = start;
    const clocked = await createTerminal({ dataDir, readerKind: 'stub', pinKdf, env: {}, clock: () => now });
    try {
      const services = terminalServices(clocked, platform);
      const before = await services.demoStatus(undefined);
      const demoFile = join(dataDir, 'demo', 'demo.json');
      const written = readFileSync(demoFile, 'utf8');
      now = (before.licensesExpireAt ?? start) - 86_400_000;
      expect(await services.demoStatus(undefined)).toEqual(before);
      expect(readFileSync(demoFile, 'utf8')).toBe(written);
    } finally {
      await clocked.close();
    }
    const restarted = await createTerminal({ dataDir, readerKind: 'stub', pinKdf, env: {}, clock: () => now });
    try {
      expect(await terminalServices(restarted, platform).demoStatus(undefined)).toMatchObject({ licensesIssuedAt: now });
    } finally {
      await restarted.close();
    }
    terminal = await createTerminal({ dataDir, readerKind: 'stub', pinKdf, env: {} });
  });

  it('reports demo mode and switches it off once, never during a payment', async () => {
    await ok('completeSetup', SETUP);
    await ok('unlockManager', { pin: PIN });
    const status = await ok<{ active: boolean; licensesIssuedAt: number; licensesExpireAt: number; realKeys: number }>('demoStatus');
    expect(status).toMatchObject({ active: true, realKeys: 0 });
    expect(status.licensesExpireAt - status.licensesIssuedAt).toBe(365 * 86_400_000);

    await ok('startPayment', { amount: 100 });
    await refused('leaveDemoMode', undefined, 'payment_in_progress');
    expect(await ok('demoStatus')).toMatchObject({ active: true });
    await ok('cancelPayment');
    await terminal.payments.settled();

    events.length = 0;
    expect(await ok('leaveDemoMode')).toMatchObject({ setupComplete: true });
    expect(await ok('demoStatus')).toMatchObject({ active: false, realKeys: 0 });
    expect(await ok('getSettings')).toMatchObject({ demo: false, reader: { kind: 'pcsc' } });
    expect(
      (await ok<{ demo: boolean; status: string }[]>('listTrustKeys')).filter((k) => k.demo).every((k) => k.status === 'retired'),
    ).toBe(true);
    expect(events.some((e) => e.channel === 'cashier-event:appState')).toBe(true);
    await refused('leaveDemoMode', undefined, 'conflict');
  });

  it('exports the day and answers verify-export as figures and coded problems', async () => {
    await ok('completeSetup', SETUP);
    await ok('startPayment', { amount: 1234 });
    await ok('phoneTap', { scenario: 'approve' });
    await terminal.payments.settled();
    await ok('phoneRemove');
    await ok('unlockManager', { pin: PIN });
    const good = await ok<{ cancelled: false; verification: Record<string, unknown> }>('exportDay');
    expect(good.verification).toMatchObject({
      ok: true,
      rows: 1,
      transactions: 1,
      approvalsVerified: 1,
      licenses: 1,
      problemCount: 0,
      terminalKeyPinned: true,
      problems: [],
    });
    expect(good.verification.terminalKeyFingerprint).toBe(terminal.terminalKey.fingerprint);

    // Rows recorded while a key was trusted still verify after it is retired (demo mode off).
    await ok('leaveDemoMode');
    platform.exportDir = join(dataDir, 'exports-after');
    expect(await ok('exportDay')).toMatchObject({ verification: { ok: true, approvalsVerified: 1 } });

    // Checked against a trust store without the authority, the approval fails: said as a code.
    const strangerTrust = openTrustStoreAdmin({ dataDir: mkdtempSync(join(dataDir, 'trust-')) });
    const stranger = createIpcHandlersFor(
      terminalServices(Object.create(terminal, { trust: { value: strangerTrust } }) as Terminal, platform),
    );
    try {
      platform.exportDir = join(dataDir, 'exports-stranger');
      await stranger.invoke(requestChannel('unlockManager'), { pin: PIN });
      const answer = await stranger.invoke(requestChannel('exportDay'), undefined);
      if (!answer.ok) throw new Error(answer.error.message);
      const bad = (answer.value as { verification: { ok: boolean; problemCount: number; problems: { code: string; detail: string }[] } })
        .verification;
      expect(bad.ok).toBe(false);
      expect(bad.problemCount).toBeGreaterThan(0);
      expect(bad.problems.map((p) => p.code)).toContain('approval');
      expect(bad.problems.find((p) => p.code === 'approval')?.detail).toMatch(/not in the trust store/);
    } finally {
      stranger.close();
    }
  });

  it('maps ledger refusals: void of an unknown or declined sale', async () => {
    await ok('completeSetup', SETUP);
    await ok('startPayment', { amount: 500 });
    await ok('phoneTap', { scenario: 'expired-license' });
    const settled = await terminal.payments.settled();
    await ok('phoneRemove');
    await ok('unlockManager', { pin: PIN });
    await refused('voidTransaction', { transactionId: TX }, 'not_found');
    await refused('voidTransaction', { transactionId: settled.order?.transactionId }, 'conflict');
  });

  describe('refunds', () => {
    type Answer = {
      ok: boolean;
      reason?: string;
      receipt?: {
        transactionId: string;
        kind: string;
        amount: number;
        refund?: { remainder: number; authorisedBy: string; accountVerifiedByTap: boolean };
        maskedAccount?: string;
      };
    };

    async function sale(amount: number): Promise<string> {
      await ok('startPayment', { amount });
      await ok('phoneTap', { scenario: 'approve' });
      const settled = await terminal.payments.settled();
      await ok('phoneRemove');
      const id = settled.order?.transactionId;
      if (!id) throw new Error('no sale');
      return id;
    }

    it('finds a sale by id or receipt text, and refunds it in parts in the manager area', async () => {
      await ok('completeSetup', SETUP);
      const id = await sale(1000);
      expect(await ok('findSaleForRefund', { text: `receipt ${id.toUpperCase()} end` })).toMatchObject({
        ok: true,
        sale: { transactionId: id, amount: 1000, remainder: 1000, refunded: 0, status: 'approved', voided: false },
      });
      expect(await ok('findSaleForRefund', { text: TX })).toMatchObject({ ok: false, reason: 'not_found' });
      expect(await ok('findSaleForRefund', { text: 'no id here' })).toMatchObject({ ok: false, reason: 'not_found' });
      await refused('refundSale', { transactionId: id, amount: 400 }, 'manager_session_required');
      await ok('unlockManager', { pin: PIN });
      const first = await ok<Answer>('refundSale', { transactionId: id, amount: 400, reason: 'returned' });
      expect(first).toMatchObject({
        ok: true,
        receipt: { kind: 'refund', amount: 400, refund: { remainder: 600, authorisedBy: 'manager', accountVerifiedByTap: false } },
      });
      expect(first.receipt?.maskedAccount).toMatch(/\*/);
      expect(await ok('refundSale', { transactionId: id, amount: 601 })).toMatchObject({ ok: false, reason: 'over_remainder' });
      expect(await ok('refundSale', { transactionId: id, amount: 600 })).toMatchObject({ ok: true, receipt: { refund: { remainder: 0 } } });
      const log = await ok<{ entries: { type: string; refundOf?: string; refunded?: number }[] }>('listLog');
      expect(log.entries.map((e) => [e.type, e.refundOf ?? null, e.refunded ?? null])).toEqual([
        ['refund', id, null],
        ['refund', id, null],
        ['sale', null, 1000],
      ]);
      expect(await ok('xReport')).toMatchObject({ counts: { refunded: 2 } });
      await refused('voidTransaction', { transactionId: id }, 'conflict');
    });

    it('at the checkout: the cashier allowance, or the manager PIN beyond it', async () => {
      await ok('completeSetup', SETUP);
      const id = await sale(1000);
      expect(await ok('cashierRefund', { transactionId: id, amount: 100 })).toMatchObject({ ok: false, reason: 'pin_required' });
      expect(await ok('cashierRefund', { transactionId: id, amount: 100, pin: '1111' })).toMatchObject({ ok: false, reason: 'wrong_pin' });
      expect(await ok('cashierRefund', { transactionId: id, amount: 100, pin: PIN })).toMatchObject({
        ok: true,
        receipt: { refund: { authorisedBy: 'manager' } },
      });
      await ok('unlockManager', { pin: PIN });
      await ok('updateSettings', { cashierRefundLimit: 200 });
      await ok('lockManager');
      expect(await ok('cashierRefund', { transactionId: id, amount: 201 })).toMatchObject({ ok: false, reason: 'over_cashier_limit' });
      expect(await ok('cashierRefund', { transactionId: id, amount: 200 })).toMatchObject({
        ok: true,
        receipt: { refund: { authorisedBy: 'cashier', remainder: 700 } },
      });
    });

    it("with a tap: the customer's phone verifies the account; a license that does not verify is refused", async () => {
      await ok('completeSetup', SETUP);
      const id = await sale(1000);
      await ok('unlockManager', { pin: PIN });
      const refunding = ok<Answer>('refundSale', { transactionId: id, amount: 300, tap: true });
      await ok('phoneTap', { scenario: 'approve' });
      const answer = await refunding;
      await ok('phoneRemove');
      expect(answer).toMatchObject({ ok: true, receipt: { refund: { accountVerifiedByTap: true, remainder: 700 } } });
      expect(terminal.ledger.getAttempt(answer.receipt?.transactionId ?? '')?.license).not.toBeNull();
      const rogue = ok<Answer>('refundSale', { transactionId: id, amount: 300, tap: true });
      await ok('phoneTap', { scenario: 'unknown-authority' });
      expect(await rogue).toMatchObject({ ok: false, reason: 'tap_failed' });
      await ok('phoneRemove');
      expect(terminal.ledger.refundable(id).remainder).toBe(700);
    });
  });

  describe('license facts of a decline: shown as facts only once the license verified', () => {
    type Facts = { maskedAccount?: string; licenseSerial?: string; licenseFactsVerified?: boolean };
    type View = Facts & { transactionId: string; outcome: string; reason?: string; receipt: Facts & { seq?: number } };

    async function pay(scenario: string): Promise<View> {
      events = [];
      await ok('startPayment', { amount: 700 });
      await ok('phoneTap', { scenario });
      await terminal.payments.settled();
      await ok('phoneRemove');
      const view = events.find((e) => e.channel === 'cashier-event:decision')?.payload as View | undefined;
      if (!view) throw new Error(`no decision for ${scenario}`);
      return view;
    }

    async function logEntry(transactionId: string): Promise<Facts> {
      const page = await ok<{ entries: (Facts & { transactionId: string })[] }>('listLog', { search: transactionId });
      const entry = page.entries.find((e) => e.transactionId === transactionId);
      if (!entry) throw new Error(`no log entry for ${transactionId}`);
      return entry;
    }

    it('an unknown authority: no account or serial for the cashier, marked as the phone’s claim for the manager', async () => {
      await ok('completeSetup', SETUP);
      const view = await pay('unknown-authority');
      expect(view).toMatchObject({ outcome: 'declined', reason: 'unknown_authority', receipt: { seq: 1 } });
      for (const shown of [view, view.receipt, await ok<Facts>('lastReceipt')]) {
        expect(shown.maskedAccount).toBeUndefined();
        expect(shown.licenseSerial).toBeUndefined();
      }
      // The row keeps what the phone claimed; the manager sees it, marked.
      const row = terminal.ledger.getAttempt(view.transactionId);
      expect(row?.accountId).toBeTruthy();
      await ok('unlockManager', { pin: PIN });
      const entry = await logEntry(view.transactionId);
      expect(entry).toMatchObject({ licenseFactsVerified: false, licenseSerial: row?.licenseSerial });
      expect(entry.maskedAccount).toMatch(/\S/);
      const reprint = await ok<Facts>('getReceipt', { transactionId: view.transactionId });
      expect(reprint.maskedAccount).toBeUndefined();
      expect(reprint.licenseSerial).toBeUndefined();
    });

    it('an expired license and an approval: the authority’s facts, shown everywhere', async () => {
      await ok('completeSetup', SETUP);
      for (const scenario of ['expired-license', 'approve']) {
        const view = await pay(scenario);
        expect(view.maskedAccount, scenario).toMatch(/\S/);
        expect(view.receipt).toMatchObject({ maskedAccount: view.maskedAccount, licenseSerial: view.licenseSerial });
        await ok('unlockManager', { pin: PIN });
        expect(await logEntry(view.transactionId)).toMatchObject({ maskedAccount: view.maskedAccount, licenseFactsVerified: true });
        expect(await ok('getReceipt', { transactionId: view.transactionId })).toMatchObject({ maskedAccount: view.maskedAccount });
        await ok('lockManager');
      }
    });

    it('a phone removed after its license verified: the screen, the receipt and the log know it from the row', async () => {
      await ok('completeSetup', SETUP);
      const view = await pay('removed-late');
      expect(view).toMatchObject({ outcome: 'declined', reason: 'card_removed' });
      expect(view.maskedAccount).toMatch(/\S/);
      // card_removed alone could be either; the row keeps the deduction request, sent only after the license verified.
      expect(view.receipt.maskedAccount).toBe(view.maskedAccount);
      expect((await ok<Facts>('lastReceipt')).maskedAccount).toBe(view.maskedAccount);
      await ok('unlockManager', { pin: PIN });
      expect(await logEntry(view.transactionId)).toMatchObject({ licenseFactsVerified: true });
    });

    it('a phone removed before its license was read shows no account anywhere', async () => {
      await ok('completeSetup', SETUP);
      const view = await pay('removed-early');
      expect(view).toMatchObject({ outcome: 'declined', reason: 'card_removed' });
      expect(view.maskedAccount).toBeUndefined();
      expect(view.receipt.maskedAccount).toBeUndefined();
    });

    it('a decline before any license was read has no license facts at all', async () => {
      await ok('completeSetup', SETUP);
      const view = await pay('bad-cbor');
      expect(view.maskedAccount).toBeUndefined();
      await ok('unlockManager', { pin: PIN });
      const entry = await logEntry(view.transactionId);
      expect(entry.maskedAccount).toBeUndefined();
      expect(entry.licenseFactsVerified).toBeUndefined();
    });
  });

  it('never lets an answer outside the contract reach the renderer', async () => {
    const internal: string[] = [];
    const services = terminalServices(terminal, platform);
    const broken = createIpcHandlersFor(
      {
        ...services,
        readerStatus: () => ({ state: 'exploded', kind: 'stub' }) as never,
        listCountries: () => Promise.reject(new Error('disk on fire')),
      },
      { onInternalError: (request) => internal.push(request) },
    );
    try {
      expect(await broken.invoke(requestChannel('readerStatus'), undefined)).toMatchObject({ ok: false, error: { code: 'internal' } });
      const failed = await broken.invoke(requestChannel('listCountries'), undefined);
      expect(failed).toMatchObject({ ok: false, error: { code: 'internal' } });
      expect(JSON.stringify(failed)).not.toContain('disk on fire');
      expect(internal).toEqual(['readerStatus result', 'listCountries']);
    } finally {
      broken.close();
    }
  });
});
