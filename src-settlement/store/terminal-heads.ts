// Each enrolled terminal with the newest business day the service holds from it and that day's
// chain head (the hash of its last ledger row): the settlement desk's view of who has sent what.
import type { Queryable } from '../db/port';

export interface TerminalHead {
  keyId: string;
  terminalId: string;
  merchantId: string;
  enrolledAt: string;
  retiredAt: string | null;
  /** Newest business day held, null before the first upload. */
  lastBusinessDate: string | null;
  lastZNumber: number | null;
  lastSeq: number | null;
  chainHead: string | null;
  lastIngestedAt: string | null;
  days: number;
}

interface HeadRow {
  key_id: string;
  terminal_id: string;
  merchant_id: string;
  enrolled_at: Date;
  retired_at: Date | null;
  business_date: string | null;
  z_number: number | null;
  last_seq: number | null;
  last_hash: string | null;
  ingested_at: Date | null;
  days: number;
}

// One index probe per terminal (days_key_date), never a scan of the days.
const SELECT_HEADS = `SELECT k.key_id, k.terminal_id, k.merchant_id, k.enrolled_at, r.retired_at,
       d.business_date, d.z_number, d.last_seq, d.last_hash, d.ingested_at,
       (SELECT count(*) FROM days c WHERE c.key_id = k.key_id) AS days
  FROM terminal_keys k
  LEFT JOIN terminal_key_retirements r ON r.key_id = k.key_id
  LEFT JOIN LATERAL (
    SELECT business_date, z_number, last_seq, last_hash, ingested_at FROM days WHERE days.key_id = k.key_id
     ORDER BY business_date DESC LIMIT 1) d ON true
 ORDER BY k.merchant_id, k.terminal_id, k.key_id`;

export async function listTerminalHeads(db: Queryable): Promise<TerminalHead[]> {
  const rows = await db.query<HeadRow>(SELECT_HEADS);
  return rows.map((row) => ({
    keyId: row.key_id,
    terminalId: row.terminal_id,
    merchantId: row.merchant_id,
    enrolledAt: row.enrolled_at.toISOString(),
    retiredAt: row.retired_at ? row.retired_at.toISOString() : null,
    lastBusinessDate: row.business_date,
    lastZNumber: row.z_number,
    lastSeq: row.last_seq,
    chainHead: row.last_hash,
    lastIngestedAt: row.ingested_at ? row.ingested_at.toISOString() : null,
    days: Number(row.days),
  }));
}
