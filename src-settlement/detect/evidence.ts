// The pieces evidence files are made of, read back from what was stored: an approval with its
// full ledger record (raw exchange bytes as base64url, docs/ledger.md "JSONL record"), a license,
// a day's signed manifest, an authority's trust entry.
import type { Queryable } from '../db/port';

export interface ApprovalEvidence {
  dayId: number;
  terminalKeyId: string;
  /** The JSONL record exactly as exported and signed (through the manifest) by the terminal. */
  record: Record<string, unknown>;
}

export interface StoredRowKey {
  day_id: number;
  seq: number;
}

export async function approvalsEvidence(tx: Queryable, rows: readonly StoredRowKey[]): Promise<ApprovalEvidence[]> {
  if (rows.length === 0) return [];
  const found = await tx.query<{
    day_id: number;
    seq: number;
    key_id: string;
    record: string;
  }>(
    `SELECT e.day_id, e.seq, e.key_id, e.record FROM entries e
       JOIN unnest($1::bigint[], $2::bigint[]) AS r (day_id, seq) ON e.day_id = r.day_id AND e.seq = r.seq
      ORDER BY e.recorded_at, e.day_id, e.seq`,
    [rows.map((r) => r.day_id), rows.map((r) => r.seq)],
  );
  return found.map((row) => ({
    dayId: row.day_id,
    terminalKeyId: row.key_id,
    record: JSON.parse(row.record) as Record<string, unknown>,
  }));
}

export interface LicenseEvidence {
  authorityId: string;
  serial: string;
  kid: string;
  accountId: string;
  offlineLimit: number;
  currency: string;
  notBefore: string;
  notAfter: string;
  /** The license COSE_Sign1 as the phone sent it, base64url. */
  cose: string;
}

export async function licenseEvidence(tx: Queryable, sha256: string): Promise<LicenseEvidence | null> {
  const [row] = await tx.query<{
    authority_id: string;
    serial: string;
    kid: string;
    account_id: string;
    offline_limit: number;
    currency: string;
    not_before: number;
    not_after: number;
    cose: string;
  }>('SELECT authority_id, serial, kid, account_id, offline_limit, currency, not_before, not_after, cose FROM licenses WHERE sha256 = $1', [
    sha256,
  ]);
  if (!row) return null;
  return {
    authorityId: row.authority_id,
    serial: row.serial,
    kid: row.kid,
    accountId: row.account_id,
    offlineLimit: row.offline_limit,
    currency: row.currency,
    notBefore: new Date(row.not_before).toISOString(),
    notAfter: new Date(row.not_after).toISOString(),
    cose: row.cose,
  };
}

export async function authorityEntry(tx: Queryable, kid: string): Promise<unknown> {
  const [row] = await tx.query<{ entry: unknown }>('SELECT entry FROM authority_keys WHERE kid = $1', [kid]);
  return row?.entry ?? null;
}

export async function dayManifest(tx: Queryable, dayId: number): Promise<unknown> {
  const [row] = await tx.query<{ manifest: string }>('SELECT manifest FROM days WHERE id = $1', [dayId]);
  return row ? (JSON.parse(row.manifest) as unknown) : null;
}
