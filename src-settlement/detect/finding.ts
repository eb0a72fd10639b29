// A finding as the detectors hand it over, and how it is recorded: one row per (kind, subject),
// so finding the same thing again (a re-check, the other side of a pair) adds nothing, plus the
// ledger rows it involves.
import type { Queryable } from '../db/port';

export const FINDING_KINDS = [
  'counter_reuse',
  'offline_limit_exceeded',
  'ledger_fork',
  'ledger_gap',
  'revoked_license_approved',
  'expired_license_approved',
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

export const EVIDENCE_FORMAT = 'nfc-settlement-evidence/1';

export interface RowRef {
  dayId: number;
  seq: number;
}

export interface NewFinding {
  kind: FindingKind;
  /** What makes it unique within its kind (e.g. license and counter and the two transactions). */
  subject: string;
  dayId: number | null;
  authorityId?: string | null;
  licenseSerial?: string | null;
  keyId?: string | null;
  summary: string;
  evidence: Record<string, unknown>;
  rows: RowRef[];
}

export interface RecordedFinding {
  id: number;
  kind: FindingKind;
  summary: string;
}

export async function recordFinding(tx: Queryable, finding: NewFinding): Promise<RecordedFinding | null> {
  const evidence = {
    format: EVIDENCE_FORMAT,
    kind: finding.kind,
    subject: finding.subject,
    summary: finding.summary,
    ...finding.evidence,
  };
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO findings (kind, subject, day_id, authority_id, license_serial, key_id, summary, evidence)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (kind, subject) DO NOTHING RETURNING id`,
    [
      finding.kind,
      finding.subject,
      finding.dayId,
      finding.authorityId ?? null,
      finding.licenseSerial ?? null,
      finding.keyId ?? null,
      finding.summary,
      JSON.stringify(evidence),
    ],
  );
  if (!row) return null;
  await tx.query(
    `INSERT INTO finding_rows (finding_id, day_id, seq) SELECT $1::bigint, r.day_id, r.seq FROM unnest($2::bigint[], $3::bigint[]) AS r (day_id, seq)
     ON CONFLICT DO NOTHING`,
    [row.id, finding.rows.map((r) => r.dayId), finding.rows.map((r) => r.seq)],
  );
  return { id: row.id, kind: finding.kind, summary: finding.summary };
}
