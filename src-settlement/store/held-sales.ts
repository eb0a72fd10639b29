// The rows of earlier days a new day's refunds are judged against: the sales it refunds, their
// voids and the refunds of them already held, as the exact JSONL lines stored, in ledger order.
// verify-export books them (its refund rules, src-main/export/refund-books.ts, are the one place
// that decides); this only finds them, through the indexes of migration 7, for exactly the sales
// the day's manifest lists as refunded, never by scanning.
import type { ReadManifest } from '../../src-main/export/manifest';
import { MANIFEST_FORMAT_1 } from '../../src-main/export/manifest';
import type { Queryable } from '../db/port';

/** pg_advisory_xact_lock(class, key) class of a ledger's ingests ("NFCL"). */
const LEDGER_LOCK_CLASS = 0x4e46434c;

export const HELD_ROWS = `WITH named AS (
    SELECT day_id, seq, record FROM entries WHERE kind = 'sale' AND transaction_id = ANY($2::text[])
    UNION ALL
    SELECT day_id, seq, record FROM entries WHERE kind = 'void' AND original_transaction_id = ANY($2::text[])
    UNION ALL
    SELECT day_id, seq, record FROM entries WHERE kind = 'refund' AND original_transaction_id = ANY($2::text[]))
  SELECT n.record FROM named n JOIN days d ON d.id = n.day_id
   WHERE d.ledger_id = $1
   ORDER BY d.business_date, n.seq`;

/** The transaction ids of the sales the day refunds, once each (format 1 has no refunds). */
export function refundedSales(manifest: ReadManifest): string[] {
  return manifest.format === MANIFEST_FORMAT_1 ? [] : [...new Set(manifest.refunds.map(([sale]) => sale))];
}

/**
 * Waits for any other ingest of the same ledger to end (commit or roll back), so that two days
 * of one ledger uploaded at once cannot both refund the same remainder of a sale.
 */
export async function lockLedger(tx: Queryable, ledgerId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [LEDGER_LOCK_CLASS, ledgerId]);
}

/** The held rows of `ledgerId` that name the sales in `saleIds` (none asked, none read). */
export async function heldRowsOfSales(tx: Queryable, ledgerId: string, saleIds: readonly string[]): Promise<string[]> {
  if (saleIds.length === 0) return [];
  const rows = await tx.query<{ record: string }>(HELD_ROWS, [ledgerId, saleIds]);
  return rows.map((row) => row.record);
}
