// X and Z reports: what a business day holds, aggregated in SQL.
import type Database from 'better-sqlite3';
import { toHex } from './canonical';
import { prepared } from './prepared';

/** Per currency: approved and voided money, declines counted. Amounts are integer minor units. */
export interface CurrencyTotals {
  currency: string;
  approvedCount: number;
  approvedTotal: number;
  voidCount: number;
  voidTotal: number;
  netTotal: number; // approved minus voided
  declinedCount: number;
  declinedTotal: number;
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
  counts: { approved: number; declined: number; voided: number }; // every row of the day, demo included
  totals: CurrencyTotals[]; // real (non-demo) rows only
  demoRows: number;
  demoTotals: CurrencyTotals[]; // demo rows, kept apart from the money
  declinesByReason: { reason: string; count: number }[]; // demo included
  voids: ReportVoid[];
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
  const grouped = prepared(db, `SELECT status, currency, demo, COUNT(*) AS count, COALESCE(SUM(amount), 0) AS amount
         FROM entries WHERE business_date = ? AND kind IN ('sale', 'void')
         GROUP BY status, currency, demo ORDER BY status, currency`,
    )
    .all(date) as { status: 'approved' | 'declined' | 'voided'; currency: string; demo: number; count: number; amount: number }[];
  const counts = { approved: 0, declined: 0, voided: 0 };
  const real = new Map<string, CurrencyTotals>();
  const demo = new Map<string, CurrencyTotals>();
  let demoRows = 0;
  for (const g of grouped) {
    counts[g.status] += g.count;
    if (g.demo === 1) demoRows += g.count;
    const byCurrency = g.demo === 1 ? demo : real;
    let t = byCurrency.get(g.currency);
    if (!t) {
      t = { currency: g.currency, approvedCount: 0, approvedTotal: 0, voidCount: 0, voidTotal: 0, netTotal: 0, declinedCount: 0, declinedTotal: 0 };
      byCurrency.set(g.currency, t);
    }
    if (g.status === 'approved') {
      t.approvedCount += g.count;
      t.approvedTotal += g.amount;
    } else if (g.status === 'voided') {
      t.voidCount += g.count;
      t.voidTotal += g.amount;
    } else {
      t.declinedCount += g.count;
      t.declinedTotal += g.amount;
    }
    t.netTotal = t.approvedTotal - t.voidTotal;
  }
  const declinesByReason = prepared(db, `SELECT reason, COUNT(*) AS count FROM entries
         WHERE business_date = ? AND kind = 'sale' AND status = 'declined' GROUP BY reason ORDER BY reason`,
    )
    .all(date) as { reason: string; count: number }[];
  const voids = (
    prepared(db, `SELECT transaction_id AS transactionId, original_transaction_id AS originalTransactionId, amount, currency,
                operator, note, local_time AS localTime, demo
           FROM entries WHERE business_date = ? AND kind = 'void' ORDER BY seq`,
      )
      .all(date) as (Omit<ReportVoid, 'demo'> & { demo: number })[]
  ).map((v) => ({ ...v, demo: v.demo === 1 }));
  const edge = (order: 'ASC' | 'DESC'): ReportEdge | null =>
    (prepared(db, `SELECT seq, transaction_id AS transactionId, recorded_at AS recordedAt, local_time AS localTime FROM entries
           WHERE business_date = ? AND kind IN ('sale', 'void') ORDER BY seq ${order} LIMIT 1`,
      )
      .get(date) as ReportEdge | undefined) ?? null;
  const head = prepared(db, 'SELECT seq, hash FROM entries WHERE business_date = ? ORDER BY seq DESC LIMIT 1')
    .get(date) as { seq: number; hash: Uint8Array } | undefined;
  return {
    ...ctx,
    counts,
    totals: [...real.values()].sort(byCurrency),
    demoRows,
    demoTotals: [...demo.values()].sort(byCurrency),
    declinesByReason,
    voids,
    first: edge('ASC'),
    last: edge('DESC'),
    chainHead: head ? { seq: head.seq, hash: toHex(head.hash) } : null,
  };
}
