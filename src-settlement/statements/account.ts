// The statement an account is billed on: every approval of the account's licenses in a period,
// with merchant, terminal, time and amount, and whether a void cancelled it.
import type { Queryable } from '../db/port';

export interface AccountLine {
  recordedAt: string;
  businessDate: string;
  merchantId: string;
  terminalId: string;
  transactionId: string;
  amount: number;
  currency: string;
  authorityId: string;
  licenseSerial: string;
  voided: boolean;
}

export interface AccountStatement {
  accountId: string;
  from: string;
  to: string;
  lines: AccountLine[];
  totals: { currency: string; count: number; total: number }[];
}

const LINES = `SELECT e.recorded_at, e.business_date, e.merchant_id, e.terminal_id, e.transaction_id, e.amount, e.currency, e.authority_id, e.license_serial,
       EXISTS (SELECT 1 FROM entries v WHERE v.kind = 'void' AND v.original_transaction_id = e.transaction_id AND v.key_id = e.key_id) AS voided
  FROM entries e
 WHERE e.account_id = $1 AND e.kind = 'sale' AND e.status = 'approved' AND e.recorded_at >= $2 AND e.recorded_at < $3 AND NOT e.demo
 ORDER BY e.recorded_at, e.transaction_id`;

/** Approvals with `from <= recordedAt < to` (epoch ms). */
export async function accountStatement(db: Queryable, accountId: string, from: number, to: number): Promise<AccountStatement> {
  const rows = await db.query<{
    recorded_at: number;
    business_date: string;
    merchant_id: string;
    terminal_id: string;
    transaction_id: string;
    amount: number;
    currency: string;
    authority_id: string;
    license_serial: string;
    voided: boolean;
  }>(LINES, [accountId, from, to]);
  const lines = rows.map((row) => ({
    recordedAt: new Date(row.recorded_at).toISOString(),
    businessDate: row.business_date,
    merchantId: row.merchant_id,
    terminalId: row.terminal_id,
    transactionId: row.transaction_id,
    amount: row.amount,
    currency: row.currency,
    authorityId: row.authority_id,
    licenseSerial: row.license_serial,
    voided: row.voided,
  }));
  const totals = new Map<string, { currency: string; count: number; total: number }>();
  for (const line of lines) {
    if (line.voided) continue;
    const t = totals.get(line.currency) ?? {
      currency: line.currency,
      count: 0,
      total: 0,
    };
    t.count += 1;
    t.total += line.amount;
    totals.set(line.currency, t);
  }
  return {
    accountId,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    lines,
    totals: [...totals.values()],
  };
}
