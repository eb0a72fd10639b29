// Reading findings back: the list (oldest first, by kind) and one finding's evidence file.
import type { Queryable } from '../db/port';
import { SettlementError } from '../errors';
import type { FindingKind } from './finding';

export interface FindingListItem {
  id: number;
  kind: FindingKind;
  summary: string;
  dayId: number | null;
  authorityId: string | null;
  licenseSerial: string | null;
  keyId: string | null;
  foundAt: string;
  rows: { dayId: number; seq: number }[];
}

interface FindingRow {
  id: number;
  kind: FindingKind;
  summary: string;
  day_id: number | null;
  authority_id: string | null;
  license_serial: string | null;
  key_id: string | null;
  found_at: Date;
  rows: { day_id: number; seq: number }[] | null;
}

const SELECT = `SELECT f.id, f.kind, f.summary, f.day_id, f.authority_id, f.license_serial, f.key_id, f.found_at,
       (SELECT json_agg(json_build_object('day_id', r.day_id, 'seq', r.seq) ORDER BY r.day_id, r.seq) FROM finding_rows r WHERE r.finding_id = f.id) AS rows
  FROM findings f`;

export async function listFindings(
  db: Queryable,
  filter: { kind?: FindingKind; afterId?: number; limit?: number } = {},
): Promise<FindingListItem[]> {
  const rows = await db.query<FindingRow>(`${SELECT} WHERE ($1::text IS NULL OR f.kind = $1) AND f.id > $2 ORDER BY f.id LIMIT $3`, [
    filter.kind ?? null,
    filter.afterId ?? 0,
    filter.limit ?? 1000,
  ]);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    summary: row.summary,
    dayId: row.day_id,
    authorityId: row.authority_id,
    licenseSerial: row.license_serial,
    keyId: row.key_id,
    foundAt: row.found_at.toISOString(),
    rows: (row.rows ?? []).map((r) => ({ dayId: r.day_id, seq: r.seq })),
  }));
}

/** The evidence file of a finding (docs/settlement.md, "Evidence files"). */
export async function findingEvidence(db: Queryable, id: number): Promise<Record<string, unknown>> {
  const [row] = await db.query<{ evidence: Record<string, unknown> }>('SELECT evidence FROM findings WHERE id = $1', [id]);
  if (!row) throw new SettlementError('NOT_FOUND', `no finding ${id}`);
  return row.evidence;
}
