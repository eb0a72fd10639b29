// The JSON line `charge --ref` (a reference already used) and `status --ref` print for a payment
// the ledger holds: the same members as a fresh charge's line, taken from the recorded row.
import type { LedgerRow } from '../ledger/row';

export function recordedPaymentLine(row: LedgerRow, reference: string, reader?: string): Record<string, unknown> {
  return {
    outcome: row.status,
    ...(row.status === 'declined' ? { reason: row.reason, detail: row.detail } : {}),
    transactionId: row.transactionId,
    amount: row.amount,
    currency: row.currency,
    seq: row.seq,
    businessDate: row.businessDate,
    recordedAt: row.recordedAt,
    ...(row.apduCount !== null ? { apduCount: row.apduCount } : {}),
    ...(reader ? { reader } : {}),
    ...(row.demo ? { demo: true } : {}),
    ref: reference,
    recorded: true,
  };
}

/** charge's and status's exit code for a recorded sale: 0 approved, 1 declined. */
export function exitCodeOf(row: LedgerRow): number {
  return row.status === 'approved' ? 0 : 1;
}
