// The statement a merchant is paid on: per business day and currency, approved, voided and
// refunded money and the net, over every terminal of the merchant, with one line per terminal.
// Demo rows are kept out, as in the terminals' Z reports, so the totals equal the sum of the
// terminals' Z reports for the day.
import type { Queryable } from '../db/port';

export interface StatementTotals {
  currency: string;
  approvedCount: number;
  approvedTotal: number;
  voidCount: number;
  voidTotal: number;
  refundCount: number;
  refundTotal: number;
  /** approved - voided - refunded */
  netTotal: number;
  declinedCount: number;
}

export interface MerchantDayStatement {
  merchantId: string;
  businessDate: string;
  totals: StatementTotals[];
  terminals: (StatementTotals & {
    terminalId: string;
    keyId: string;
    dayId: number;
    zNumber: number | null;
  })[];
}

interface TotalsRow {
  terminal_id: string;
  key_id: string;
  day_id: number;
  z_number: number | null;
  currency: string;
  approved_count: number;
  approved_total: number;
  void_count: number;
  void_total: number;
  refund_count: number;
  refund_total: number;
  declined_count: number;
}

// A refund counts on the day it was recorded (as in the terminal's Z report), whichever day its sale was.
const BY_TERMINAL = `SELECT d.terminal_id, d.key_id, d.id AS day_id, d.z_number, e.currency,
       count(*) FILTER (WHERE e.status = 'approved') AS approved_count,
       coalesce(sum(e.amount) FILTER (WHERE e.status = 'approved'), 0) AS approved_total,
       count(*) FILTER (WHERE e.status = 'voided') AS void_count,
       coalesce(sum(e.amount) FILTER (WHERE e.status = 'voided'), 0) AS void_total,
       count(*) FILTER (WHERE e.status = 'refunded') AS refund_count,
       coalesce(sum(e.amount) FILTER (WHERE e.status = 'refunded'), 0) AS refund_total,
       count(*) FILTER (WHERE e.status = 'declined') AS declined_count
  FROM days d JOIN entries e ON e.day_id = d.id
 WHERE d.merchant_id = $1 AND d.business_date = $2 AND e.kind IN ('sale', 'void', 'refund') AND NOT e.demo
 GROUP BY d.terminal_id, d.key_id, d.id, d.z_number, e.currency
 ORDER BY d.terminal_id, d.key_id, e.currency`;

function totalsOf(row: TotalsRow): StatementTotals {
  return {
    currency: row.currency,
    approvedCount: row.approved_count,
    approvedTotal: row.approved_total,
    voidCount: row.void_count,
    voidTotal: row.void_total,
    refundCount: row.refund_count,
    refundTotal: row.refund_total,
    netTotal: row.approved_total - row.void_total - row.refund_total,
    declinedCount: row.declined_count,
  };
}

export async function merchantDayStatement(db: Queryable, merchantId: string, businessDate: string): Promise<MerchantDayStatement> {
  const rows = await db.query<TotalsRow>(BY_TERMINAL, [merchantId, businessDate]);
  const sums = new Map<string, StatementTotals>();
  for (const row of rows) {
    const line = totalsOf(row);
    const sum = sums.get(line.currency);
    if (!sum) {
      sums.set(line.currency, { ...line });
      continue;
    }
    for (const key of [
      'approvedCount',
      'approvedTotal',
      'voidCount',
      'voidTotal',
      'refundCount',
      'refundTotal',
      'netTotal',
      'declinedCount',
    ] as const)
      sum[key] += line[key];
  }
  return {
    merchantId,
    businessDate,
    totals: [...sums.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
    terminals: rows.map((row) => ({
      terminalId: row.terminal_id,
      keyId: row.key_id,
      dayId: row.day_id,
      zNumber: row.z_number,
      ...totalsOf(row),
    })),
  };
}

export const MERCHANT_CSV_COLUMNS = [
  'merchant_id',
  'business_date',
  'terminal_id',
  'currency',
  'approved_count',
  'approved_total',
  'void_count',
  'void_total',
  'refund_count',
  'refund_total',
  'net_total',
  'declined_count',
] as const;

/** CSV lines (terminal lines, then one `*` line per currency), amounts in minor units. */
export function merchantDayCsvRecords(statement: MerchantDayStatement): string[][] {
  const line = (terminal: string, t: StatementTotals) => [
    statement.merchantId,
    statement.businessDate,
    terminal,
    t.currency,
    String(t.approvedCount),
    String(t.approvedTotal),
    String(t.voidCount),
    String(t.voidTotal),
    String(t.refundCount),
    String(t.refundTotal),
    String(t.netTotal),
    String(t.declinedCount),
  ];
  return [...statement.terminals.map((t) => line(t.terminalId, t)), ...statement.totals.map((t) => line('*', t))];
}
