// The statement an account is billed on: over a period, every approval of the account's licenses
// and every refund to it (a refund row carries its sale's account), with merchant, terminal, time
// and amount; whether a void cancelled an approval; the sale a refund gives money back for. Each
// line counts when it was made, so a refund of an earlier period's sale is credited in the period
// of the refund. Totals per currency: approvals (not voided) less refunds.
import type { Queryable } from '../db/port';

export interface AccountLine {
  kind: 'approval' | 'refund';
  recordedAt: string;
  businessDate: string;
  merchantId: string;
  terminalId: string;
  transactionId: string;
  /** The sale a refund gives money back for; null for an approval. */
  originalTransactionId: string | null;
  /** Minor units, positive; a refund is subtracted in the totals. */
  amount: number;
  currency: string;
  authorityId: string;
  licenseSerial: string;
  /** An approval a void cancelled (left out of the totals); false for a refund. */
  voided: boolean;
}

export interface AccountTotals {
  currency: string;
  approvedCount: number;
  approvedTotal: number;
  refundCount: number;
  refundTotal: number;
  /** approvedTotal - refundTotal */
  netTotal: number;
}

export interface AccountStatement {
  accountId: string;
  from: string;
  to: string;
  lines: AccountLine[];
  totals: AccountTotals[];
}

// Approvals through entries_account_time, refunds through entries_account_refunds (migration 7).
// Whether a void cancelled an approval is one probe of entries_voided_sale per approval (LATERAL
// ... LIMIT 1): as an EXISTS, the planner hashed every void held, a cost that grew with the table.
const LINES = `SELECT 'approval' AS kind, e.recorded_at, e.business_date, e.merchant_id, e.terminal_id, e.transaction_id,
       NULL::text AS original_transaction_id, e.amount, e.currency, e.authority_id, e.license_serial, e.seq,
       v.voided IS NOT NULL AS voided
  FROM entries e
  LEFT JOIN LATERAL (SELECT true AS voided FROM entries v
                      WHERE v.kind = 'void' AND v.original_transaction_id = e.transaction_id AND v.key_id = e.key_id LIMIT 1) v ON true
 WHERE e.account_id = $1 AND e.kind = 'sale' AND e.status = 'approved' AND e.recorded_at >= $2 AND e.recorded_at < $3 AND NOT e.demo
UNION ALL
SELECT 'refund', e.recorded_at, e.business_date, e.merchant_id, e.terminal_id, e.transaction_id,
       e.original_transaction_id, e.amount, e.currency, e.authority_id, e.license_serial, e.seq, false
  FROM entries e
 WHERE e.account_id = $1 AND e.kind = 'refund' AND e.recorded_at >= $2 AND e.recorded_at < $3 AND NOT e.demo
 ORDER BY recorded_at, seq, transaction_id`;

/** Lines with `from <= recordedAt < to` (epoch ms). */
export async function accountStatement(db: Queryable, accountId: string, from: number, to: number): Promise<AccountStatement> {
  const rows = await db.query<{
    kind: 'approval' | 'refund';
    recorded_at: number;
    business_date: string;
    merchant_id: string;
    terminal_id: string;
    transaction_id: string;
    original_transaction_id: string | null;
    amount: number;
    currency: string;
    authority_id: string;
    license_serial: string;
    voided: boolean;
  }>(LINES, [accountId, from, to]);
  const lines = rows.map((row): AccountLine => ({
    kind: row.kind,
    recordedAt: new Date(row.recorded_at).toISOString(),
    businessDate: row.business_date,
    merchantId: row.merchant_id,
    terminalId: row.terminal_id,
    transactionId: row.transaction_id,
    originalTransactionId: row.original_transaction_id,
    amount: row.amount,
    currency: row.currency,
    authorityId: row.authority_id,
    licenseSerial: row.license_serial,
    voided: row.voided,
  }));
  const totals = new Map<string, AccountTotals>();
  for (const line of lines) {
    if (line.voided) continue;
    const t = totals.get(line.currency) ?? {
      currency: line.currency,
      approvedCount: 0,
      approvedTotal: 0,
      refundCount: 0,
      refundTotal: 0,
      netTotal: 0,
    };
    if (line.kind === 'approval') {
      t.approvedCount += 1;
      t.approvedTotal += line.amount;
      t.netTotal += line.amount;
    } else {
      t.refundCount += 1;
      t.refundTotal += line.amount;
      t.netTotal -= line.amount;
    }
    totals.set(line.currency, t);
  }
  return {
    accountId,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    lines,
    totals: [...totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
  };
}

export const ACCOUNT_CSV_COLUMNS = [
  'account_id',
  'kind',
  'recorded_at',
  'business_date',
  'merchant_id',
  'terminal_id',
  'transaction_id',
  'original_transaction_id',
  'currency',
  'amount',
  'voided',
  'authority_id',
  'license_serial',
] as const;

/**
 * CSV lines, amounts in minor units: one per line of the statement (a refund's amount negative,
 * as it is credited), then one `total` line per currency with the net in `amount`.
 */
export function accountCsvRecords(statement: AccountStatement): string[][] {
  const lines = statement.lines.map((l) => [
    statement.accountId,
    l.kind,
    l.recordedAt,
    l.businessDate,
    l.merchantId,
    l.terminalId,
    l.transactionId,
    l.originalTransactionId ?? '',
    l.currency,
    String(l.kind === 'refund' ? -l.amount : l.amount),
    l.voided ? 'true' : 'false',
    l.authorityId,
    l.licenseSerial,
  ]);
  const totals = statement.totals.map((t) => [
    statement.accountId,
    'total',
    '',
    '',
    '',
    '',
    '',
    '',
    t.currency,
    String(t.netTotal),
    '',
    '',
    '',
  ]);
  return [...lines, ...totals];
}
