// The demo's three terminals over three business days, built with the reference wallet and the
// real terminal session, so that every finding kind appears:
//
//   T-A and T-B (merchant M-100) each take two payments from the same phone, the second one a
//   clone (same app key and license, its own counter from 0): the counters repeat (counter_reuse)
//   and together they spend more than the license's offline limit (offline_limit_exceeded).
//   T-C (merchant M-200) never imported the revocation list and approves the revoked demo
//   license; it also approves a license two minutes past its end, inside the terminal's clock
//   allowance (expired_license_approved). After day 2 its ledger is restored from the backup taken
//   after day 1, and day 3 is recorded on top (ledger_gap, ledger_fork). T-B refunds part of a
//   sale of its day 2 the same day, T-A part of a sale of its day 1 on day 3.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createWalletCredentials, exportTrustEntry } from '../../src-main/authority/authority';
import type { DayReport } from '../../src-main/ledger/reports';
import type { RevocationFileJson } from '../../src-main/verification/revocation';
import type { TrustEntryJson } from '../../src-main/verification/trust-store';
import { memoryCounterStore } from '../../src-main/wallet/counter-store';
import { createDemoEnvironment } from '../../src-main/wallet/demo';
import { PhoneWallet } from '../../src-main/wallet/phone-wallet';
import { DemoTerminal } from './demo-terminal';

/** 2026-11-23 10:00 in Shanghai: business day 1 of the demo. */
export const DEMO_EPOCH = Date.UTC(2026, 10, 23, 2, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const DEMO_DATES = ['2026-11-23', '2026-11-24', '2026-11-25'] as const;

export interface DemoDay {
  terminalId: string;
  merchantId: string;
  businessDate: string;
  folder: string;
  zReport: DayReport;
}

export interface DemoWorld {
  terminals: { keyId: string; terminalId: string; merchantId: string }[];
  trustEntries: TrustEntryJson[];
  revocationFile: RevocationFileJson;
  /** In the order a settlement desk would receive them. */
  days: DemoDay[];
}

export async function buildDemoWorld(dir: string): Promise<DemoWorld> {
  // Offline limit 1,000.00 CNY for the good demo licenses.
  const env = createDemoEnvironment({
    now: DEMO_EPOCH,
    seed: 'settlement-demo',
    offlineLimit: 100_000,
  });
  const terminal = (terminalId: string, merchantId: string, withRevocations: boolean) => {
    const folder = join(dir, 'terminals', terminalId);
    mkdirSync(folder, { recursive: true });
    return new DemoTerminal({
      dir: folder,
      terminalId,
      merchantId,
      trustStore: env.trustStore,
      ...(withRevocations ? { revocations: env.revocations } : {}),
    });
  };
  const a = terminal('T-A', 'M-100', true);
  const b = terminal('T-B', 'M-100', true);
  const c = terminal('T-C', 'M-200', false);
  const phone = env.walletFor('approve');
  const clone = new PhoneWallet({
    credentials: env.credentialsFor('approve'),
    counter: memoryCounterStore(),
  });
  const regular = new PhoneWallet({
    credentials: createWalletCredentials(
      env.authority,
      {
        serial: 'demo-regular-0001',
        accountId: 'demo-account-0002',
        offlineLimit: 500_000,
        currency: 'CNY',
        notBefore: DEMO_EPOCH - DAY,
        notAfter: DEMO_EPOCH + 365 * DAY,
      },
      (n) => randomBytes(n),
    ),
    counter: memoryCounterStore(),
  });
  const revoked = env.walletFor('revoked-license');
  // Valid until day 2, 10:00; paid at 10:02, inside the terminal's five-minute clock allowance.
  const expiring = new PhoneWallet({
    credentials: createWalletCredentials(
      env.authority,
      {
        serial: 'demo-expiring-0001',
        accountId: 'demo-account-0003',
        offlineLimit: 100_000,
        currency: 'CNY',
        notBefore: DEMO_EPOCH - DAY,
        notAfter: DEMO_EPOCH + DAY,
      },
      (n) => randomBytes(n),
    ),
    counter: memoryCounterStore(),
  });

  const days: DemoDay[] = [];
  const closeAndExport = async (t: DemoTerminal, dayIndex: number, label = '') => {
    const date = DEMO_DATES[dayIndex] as string;
    const zReport = t.close(date, DEMO_EPOCH + dayIndex * DAY + 12 * HOUR);
    const folder = await t.exportDay(date, join(dir, 'exports', `${t.terminalId}-${date}${label}`));
    days.push({
      terminalId: t.terminalId,
      merchantId: t.merchantId,
      businessDate: date,
      folder,
      zReport,
    });
  };
  const at = (dayIndex: number, hour: number, minute = 0) => DEMO_EPOCH + dayIndex * DAY + hour * HOUR + minute * 60_000;

  // Day 1: ordinary trade, the phone at T-A, its clone at T-B, a void at T-A.
  const firstSale = await a.pay(regular, 2_350, at(0, 0, 5));
  await a.pay(phone, 40_000, at(0, 1));
  const voided = await a.pay(regular, 1_200, at(0, 1, 30));
  a.voidSale(voided.order.transactionId, at(0, 1, 35));
  await b.pay(clone, 40_000, at(0, 2));
  await b.pay(regular, 880, at(0, 2, 30));
  await c.pay(regular, 4_500, at(0, 3));
  await c.pay(regular, 990, at(0, 4));
  for (const t of [a, b, c]) await closeAndExport(t, 0);
  c.backup(join(dir, 'T-C-backup.sqlite'));

  // Day 2: the phone and its clone again; T-B refunds part of a sale; T-C approves the revoked and the just-expired license.
  await a.pay(phone, 40_000, at(1, 1));
  await b.pay(clone, 40_000, at(1, 1, 10));
  const returned = await b.pay(regular, 1_500, at(1, 2));
  b.refund(returned.order.transactionId, 500, at(1, 2, 20));
  await c.pay(revoked, 6_600, at(1, -1));
  await c.pay(expiring, 3_300, at(1, 0, 2));
  await c.pay(regular, 2_000, at(1, 3));
  for (const t of [a, b, c]) await closeAndExport(t, 1);

  // Day 3: T-C's ledger is back at its day-1 backup; the day is recorded on top of it. T-A
  // refunds part of its first sale of day 1 (the service judges it against that held sale).
  c.restore(join(dir, 'T-C-backup.sqlite'));
  await c.pay(regular, 7_700, at(2, 1));
  await a.pay(regular, 3_000, at(2, 2));
  a.refund(firstSale.order.transactionId, 1_000, at(2, 2, 30));
  for (const t of [a, c]) await closeAndExport(t, 2);

  const terminals = [a, b, c].map((t) => ({
    keyId: t.key.keyId,
    terminalId: t.terminalId,
    merchantId: t.merchantId,
  }));
  for (const t of [a, b, c]) t.shutdown();
  return {
    terminals,
    trustEntries: [exportTrustEntry(env.authority), ...env.trustEntries.filter((e) => e.kid !== env.authority.kid)],
    revocationFile: env.revocationFile,
    days,
  };
}
