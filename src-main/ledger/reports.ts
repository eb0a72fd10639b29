// X and Z reports: what a business day holds, aggregated in SQL.
import type Database from 'better-sqlite3';
import { toHex } from './canonical';
import { prepared } from './prepared';

/** Per currency: approved, voided and refunded money, declines counted. Amounts are integer minor units. */
export interface CurrencyTotals {
  currency: string;
  approvedCount: number;
  approvedTotal: number;
  voidCount: number;
  voidTotal: number;
  /** Refund rows recorded this day (of sales of this or any earlier day). */
  refundCount: number;
  refundTotal: number;
  netTotal: number; // approved minus voided minus refunded
  declinedCount: number;
  declinedTotal: number;
}

export function emptyTotals(currency: string): CurrencyTotals {
  return {
    currency,
    approvedCount: 0,
    approvedTotal: 0,
    voidCount: 0,
    voidTotal: 0,
    refundCount: 0,
    refundTotal: 0,
    netTotal: 0,
    declinedCount: 0,
    declinedTotal: 0,
  };
}

/** Adds one row's money to its currency's totals (reports, the export writer and verify-export alike). */
export function addToTotals(t: CurrencyTotals, status: string, count: number, amount: number): void {
  if (status === 'approved') {
    t.approvedCount += count;
    t.approvedTotal += amount;
  } else if (status === 'voided') {
    t.voidCount += count;
    t.voidTotal += amount;
  } else if (status === 'refunded') {
    t.refundCount += count;
    t.refundTotal += amount;
  } else if (status === 'declined') {
    t.declinedCount += count;
    t.declinedTotal += amount;
  }
  t.netTotal = t.approvedTotal - t.voidTotal - t.refundTotal;
}

export interface ReportVoid {
  transactionId: string;
  originalTransactionId: string;
  amount: number;
  currency: string;
  operator: string | null;
  note: string | null;
  localTime: string;
  demo: boolean;
}

export interface ReportRefund {
  transactionId: string;
  originalTransactionId: string;
  /** Business day of the refunded sale (this day or an earlier one). */
  originalBusinessDate: string;
  amount: number;
  currency: string;
  operator: string;
  note: string | null;
  localTime: string;
  demo: boolean;
}

export interface ReportEdge {
  seq: number;
  transactionId: string;
  recordedAt: number;
  localTime: string;
}

export interface DayReport {
  type: 'X' | 'Z';
  businessDate: string;
  terminalId: string;
  merchantId: string;
  zNumber: number | null; // Z reports, and X reports of a day already closed
  generatedAt: number;
  generatedLocalTime: string;
  operator: string | null; // who closed the day (Z)
  counts: { approved: number; declined: number; voided: number; refunded: number }; // every row of the day, demo included
  totals: CurrencyTotals[]; // real (non-demo) rows only
  demoRows: number;
  demoTotals: CurrencyTotals[]; // demo rows, kept apart from the money
  declinesByReason: { reason: string; count: number }[]; // demo included
  voids: ReportVoid[];
  refunds: ReportRefund[];
  first: ReportEdge | null;
  last: ReportEdge | null;
  chainHead: { seq: number; hash: string } | null; // last row of the day before this report
}

export interface ReportContext {
  type: 'X' | 'Z';
  businessDate: string;
  terminalId: string;
  merchantId: string;
  zNumber: number | null;
  generatedAt: number;
  generatedLocalTime: string;
  operator: string | null;
}

const byCurrency = (a: CurrencyTotals, b: CurrencyTotals): number => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0);

export function computeDayReport(db: Database.Database, ctx: ReportContext): DayReport {
  const date = ctx.businessDate;
  const grouped = prepared(
    db,
    `SELECT status, currency, demo, COUNT(*) AS count, COALESCE(SUM(amount), 0) AS amount
         FROM entries WHERE business_date = ? AND kind IN ('sale', 'void', 'refund')
         GROUP BY status, currency, demo ORDER BY status, currency`,
  ).all(date) as {
    status: 'approved' | 'declined' | 'voided' | 'refunded';
    currency: string;
    demo: number;
    count: number;
    amount: number;
  }[];
  const counts = { approved: 0, declined: 0, voided: 0, refunded: 0 };
  const real = new Map<string, CurrencyTotals>();
  const demo = new Map<string, CurrencyTotals>();
  let demoRows = 0;
  for (const g of grouped) {
    counts[g.status] += g.count;
    if (g.demo === 1) demoRows += g.count;
    const byCurrency = g.demo === 1 ? demo : real;
    let t = byCurrency.get(g.currency);
    if (!t) {
      t = emptyTotals(g.currency);
      byCurrency.set(g.currency, t);
    }
    addToTotals(t, g.status, g.count, g.amount);
  }
  const declinesByReason = prepared(
    db,
    `SELECT reason, COUNT(*) AS count FROM entries
         WHERE business_date = ? AND kind = 'sale' AND status = 'declined' GROUP BY reason ORDER BY reason`,
  ).all(date) as { reason: string; count: number }[];
  const voids = (
    prepared(
      db,
      `SELECT transaction_id AS transactionId, original_transaction_id AS originalTransactionId, amount, currency,
                operator, note, local_time AS localTime, demo
           FROM entries WHERE business_date = ? AND kind = 'void' ORDER BY seq`,
    ).all(date) as (Omit<ReportVoid, 'demo'> & { demo: number })[]
  ).map((v) => ({ ...v, demo: v.demo === 1 }));
  const refunds = (
    prepared(
      db,
      `SELECT r.transaction_id AS transactionId, r.original_transaction_id AS originalTransactionId,
                s.business_date AS originalBusinessDate, r.amount, r.currency, r.operator, r.note, r.local_time AS localTime, r.demo
           FROM entries r JOIN entries s ON s.transaction_id = r.original_transaction_id
          WHERE r.business_date = ? AND r.kind = 'refund' ORDER BY r.seq`,
    ).all(date) as (Omit<ReportRefund, 'demo'> & { demo: number })[]
  ).map((r) => ({ ...r, demo: r.demo === 1 }));
  const edge = (order: 'ASC' | 'DESC'): ReportEdge | null =>
    (prepared(
      db,
      `SELECT seq, transaction_id AS transactionId, recorded_at AS recordedAt, local_time AS localTime FROM entries
           WHERE business_date = ? AND kind IN ('sale', 'void', 'refund') ORDER BY seq ${order} LIMIT 1`,
    ).get(date) as ReportEdge | undefined) ?? null;
  const head = prepared(db, 'SELECT seq, hash FROM entries WHERE business_date = ? ORDER BY seq DESC LIMIT 1').get(date) as
    { seq: number; hash: Uint8Array } | undefined;
  return {
    ...ctx,
    counts,
    totals: [...real.values()].sort(byCurrency),
    demoRows,
    demoTotals: [...demo.values()].sort(byCurrency),
    declinesByReason,
    voids,
    refunds,
    first: edge('ASC'),
    last: edge('DESC'),
    chainHead: head ? { seq: head.seq, hash: toHex(head.hash) } : null,
  };
}
