// Terminals whose refunds give back money of earlier business days, built with the real terminal
// code (DemoTerminal: the terminal session against the reference wallet, the ledger's refunds,
// voids, day closes and signed exports), for the settlement tests of refunds across days.
//
//   T-R1: day 1 sells S (10,000) and V (2,000, voided the same day); day 2 refunds 3,000 of S;
//   day 3 refunds 4,000 more. Its ledger is then put back to its copy after day 1 and refunds
//   8,000 of S on day 3 (the terminal no longer knows of day 2's refund: an over-refund), and to
//   its copy from before V's void, which refunds part of V on day 4 (a refund of a voided sale).
//   T-L1 and T-L2 (limit): the same phone spends 90,000 of its 100,000 offline limit at T-L1 on
//   day 1, T-L1 refunds 30,000 of it on day 2, T-L2 takes 30,000 on day 3 (60,000 + 30,000: within
//   the limit once the refund counts) and 20,000 on day 4 (past it).
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createWalletCredentials, exportTrustEntry } from '../../../src-main/authority/authority';
import type { DayReport } from '../../../src-main/ledger/reports';
import type { TrustEntryJson } from '../../../src-main/verification/trust-store';
import { memoryCounterStore } from '../../../src-main/wallet/counter-store';
import { createDemoEnvironment } from '../../../src-main/wallet/demo';
import { PhoneWallet } from '../../../src-main/wallet/phone-wallet';
import { DemoTerminal } from '../../../src-settlement/demo/demo-terminal';
import { DEMO_EPOCH } from '../../../src-settlement/demo/demo-world';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const REFUND_DATES = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26'] as const;
export const REFUND_MERCHANT = 'M-300';
export const REFUND_ACCOUNT = 'refund-account-0001';
export const LIMIT_SERIAL = 'refund-limit-0001';

export interface RefundDay {
  terminalId: string;
  businessDate: string;
  folder: string;
  zReport: DayReport;
}

export interface RefundWorld {
  trustEntries: TrustEntryJson[];
  terminals: { keyId: string; terminalId: string; merchantId: string }[];
  sale: string;
  voidedSale: string;
  /** T-R1's days 1 to 3, as it recorded them. */
  days: RefundDay[];
  /** T-R1's day 3 after its ledger went back to day 1: refunds 8,000 of S. */
  overRefund: RefundDay;
  /** T-R1's day 4 after its ledger went back to before V's void: refunds part of V. */
  refundOfVoided: RefundDay;
  /** T-L1 days 1 and 2, T-L2 days 3 and 4, in that order. */
  limitDays: RefundDay[];
}

export async function buildRefundWorld(dir: string): Promise<RefundWorld> {
  const env = createDemoEnvironment({ now: DEMO_EPOCH, seed: 'settlement-refund-days', offlineLimit: 100_000 });
  const terminal = (terminalId: string) => {
    const folder = join(dir, 'terminals', terminalId);
    mkdirSync(folder, { recursive: true });
    return new DemoTerminal({
      dir: folder,
      terminalId,
      merchantId: REFUND_MERCHANT,
      trustStore: env.trustStore,
      revocations: env.revocations,
    });
  };
  const wallet = (serial: string, accountId: string, offlineLimit: number) =>
    new PhoneWallet({
      credentials: createWalletCredentials(
        env.authority,
        { serial, accountId, offlineLimit, currency: 'CNY', notBefore: DEMO_EPOCH - DAY, notAfter: DEMO_EPOCH + 365 * DAY },
        (n) => randomBytes(n),
      ),
      counter: memoryCounterStore(),
    });
  const at = (day: number, hour: number) => DEMO_EPOCH + day * DAY + hour * HOUR;
  const closeAndExport = async (t: DemoTerminal, day: number, label = ''): Promise<RefundDay> => {
    const businessDate = REFUND_DATES[day] as string;
    const zReport = t.close(businessDate, at(day, 12));
    const folder = await t.exportDay(businessDate, join(dir, 'exports', `${t.terminalId}-${businessDate}${label}`));
    return { terminalId: t.terminalId, businessDate, folder, zReport };
  };

  const r = terminal('T-R1');
  const phone = wallet('refund-0001', REFUND_ACCOUNT, 1_000_000);
  const sale = (await r.pay(phone, 10_000, at(0, 1))).order.transactionId;
  const voidedSale = (await r.pay(phone, 2_000, at(0, 2))).order.transactionId;
  r.backup(join(dir, 'T-R1-before-void.sqlite'));
  r.voidSale(voidedSale, at(0, 3));
  const days = [await closeAndExport(r, 0)];
  r.backup(join(dir, 'T-R1-day-1.sqlite'));
  r.refund(sale, 3_000, at(1, 1));
  days.push(await closeAndExport(r, 1));
  r.refund(sale, 4_000, at(2, 1));
  days.push(await closeAndExport(r, 2));
  r.restore(join(dir, 'T-R1-day-1.sqlite'));
  r.refund(sale, 8_000, at(2, 2));
  const overRefund = await closeAndExport(r, 2, '-over-refund');
  r.restore(join(dir, 'T-R1-before-void.sqlite'));
  r.close(REFUND_DATES[0], at(0, 12));
  r.refund(voidedSale, 500, at(3, 1));
  const refundOfVoided = await closeAndExport(r, 3, '-voided');

  const l1 = terminal('T-L1');
  const l2 = terminal('T-L2');
  const spender = wallet(LIMIT_SERIAL, 'refund-account-0002', 100_000);
  const big = (await l1.pay(spender, 90_000, at(0, 4))).order.transactionId;
  const limitDays = [await closeAndExport(l1, 0)];
  l1.refund(big, 30_000, at(1, 4));
  limitDays.push(await closeAndExport(l1, 1));
  await l2.pay(spender, 30_000, at(2, 4));
  limitDays.push(await closeAndExport(l2, 2));
  await l2.pay(spender, 20_000, at(3, 4));
  limitDays.push(await closeAndExport(l2, 3));

  const terminals = [r, l1, l2].map((t) => ({ keyId: t.key.keyId, terminalId: t.terminalId, merchantId: t.merchantId }));
  for (const t of [r, l1, l2]) t.shutdown();
  return {
    trustEntries: [exportTrustEntry(env.authority), ...env.trustEntries.filter((e) => e.kid !== env.authority.kid)],
    terminals,
    sale,
    voidedSale,
    days,
    overRefund,
    refundOfVoided,
    limitDays,
  };
}
