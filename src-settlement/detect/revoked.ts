// revoked_license_approved: an approval recorded after a revocation list that revokes its
// license (or the authority key that signed it) was issued. Checked for each new day against
// the lists held, and for each new list against the approvals held. One finding per license and
// uploaded day, with the signed list and the approvals.
import type { Queryable } from '../db/port';
import { identityText } from '../identity';
import { approvalsEvidence, licenseEvidence } from './evidence';
import type { NewFinding } from './finding';

interface Hit {
  day_id: number;
  seq: number;
  authority_id: string;
  license_serial: string;
  license_sha256: string;
  issuer_kid: string;
  sequence: number;
  issued_at: number;
  what: 'license' | 'authority_key';
}

const HITS_SELECT = `SELECT e.day_id, e.seq, e.authority_id, e.license_serial, e.license_sha256, r.issuer_kid, r.sequence, r.issued_at, 'license' AS what
  FROM entries e JOIN revoked_licenses r ON r.authority_id = e.authority_id AND r.serial = e.license_serial AND r.issued_at <= e.recorded_at`;
const KID_HITS_SELECT = `SELECT e.day_id, e.seq, e.authority_id, e.license_serial, e.license_sha256, k.issuer_kid, k.sequence, k.issued_at, 'authority_key' AS what
  FROM entries e JOIN revoked_authority_keys k ON k.kid = e.authority_kid AND k.issued_at <= e.recorded_at`;
const APPROVED = `e.kind = 'sale' AND e.status = 'approved'`;

const BY_DAY = `${HITS_SELECT} WHERE e.day_id = $1 AND ${APPROVED}
  UNION ALL ${KID_HITS_SELECT} WHERE e.day_id = $1 AND ${APPROVED}
  ORDER BY day_id, seq, issued_at`;

const BY_LIST = `${HITS_SELECT} WHERE r.issuer_kid = $1 AND r.sequence = $2 AND ${APPROVED}
  UNION ALL ${KID_HITS_SELECT} WHERE k.issuer_kid = $1 AND k.sequence = $2 AND ${APPROVED}
  ORDER BY day_id, seq, issued_at`;

async function toFindings(tx: Queryable, hits: Hit[]): Promise<NewFinding[]> {
  // The earliest list that revoked it, per approval; then grouped by license and day.
  const firstPerRow = new Map<string, Hit>();
  for (const hit of hits) {
    const key = `${hit.day_id}:${hit.seq}`;
    const held = firstPerRow.get(key);
    if (!held || hit.issued_at < held.issued_at) firstPerRow.set(key, hit);
  }
  const groups = new Map<string, Hit[]>();
  for (const hit of firstPerRow.values()) {
    const key = `${identityText({ authorityId: hit.authority_id, serial: hit.license_serial })}:day ${hit.day_id}`;
    groups.set(key, [...(groups.get(key) ?? []), hit]);
  }
  const findings: NewFinding[] = [];
  for (const [subject, group] of groups) {
    const first = group[0] as Hit;
    const lists = await tx.query<{
      issuer_kid: string;
      sequence: number;
      file: unknown;
    }>(
      `SELECT issuer_kid, sequence, file FROM revocation_lists l
         JOIN unnest($1::text[], $2::bigint[]) AS w (issuer_kid, sequence) USING (issuer_kid, sequence) ORDER BY issuer_kid, sequence`,
      [group.map((h) => h.issuer_kid), group.map((h) => h.sequence)],
    );
    const identity = {
      authorityId: first.authority_id,
      serial: first.license_serial,
    };
    findings.push({
      kind: 'revoked_license_approved',
      subject,
      dayId: first.day_id,
      authorityId: identity.authorityId,
      licenseSerial: identity.serial,
      summary: `license ${identityText(identity)} was approved ${group.length} time(s) after revocation list #${first.sequence} of ${first.issuer_kid} revoked its ${first.what === 'license' ? 'serial' : 'authority key'} (issued ${new Date(first.issued_at).toISOString()})`,
      evidence: {
        license: await licenseEvidence(tx, first.license_sha256),
        revokedBy: group.map((h) => ({
          dayId: h.day_id,
          seq: h.seq,
          issuerKid: h.issuer_kid,
          sequence: h.sequence,
          issuedAt: new Date(h.issued_at).toISOString(),
          what: h.what,
        })),
        revocationLists: lists.map((l) => ({
          issuerKid: l.issuer_kid,
          sequence: l.sequence,
          file: l.file,
        })),
        approvals: await approvalsEvidence(tx, group),
      },
      rows: group.map((h) => ({ dayId: h.day_id, seq: h.seq })),
    });
  }
  return findings;
}

export async function detectRevokedInDay(tx: Queryable, dayId: number): Promise<NewFinding[]> {
  return toFindings(tx, await tx.query<Hit>(BY_DAY, [dayId]));
}

export async function detectRevokedByList(tx: Queryable, issuerKid: string, sequence: number): Promise<NewFinding[]> {
  return toFindings(tx, await tx.query<Hit>(BY_LIST, [issuerKid, sequence]));
}
