// expired_license_approved: an approval whose terminal clock (recordedAt) lies outside its
// license's validity window or its authority key's. verify-export lets a terminal's clock be
// five minutes off; here the windows are exact, so approvals inside that allowance are shown
// too (and any further outside, which verify-export alone would refuse).
import type { Queryable } from '../db/port';
import { identityText } from '../identity';
import { approvalsEvidence, authorityEntry, licenseEvidence } from './evidence';
import type { NewFinding } from './finding';

interface Outside {
  day_id: number;
  seq: number;
  recorded_at: number;
  authority_id: string;
  license_serial: string;
  license_sha256: string;
  kid: string;
  license_window: boolean;
}

const OUTSIDE = `SELECT e.day_id, e.seq, e.recorded_at, e.authority_id, e.license_serial, e.license_sha256, l.kid,
       (e.recorded_at < l.not_before OR e.recorded_at > l.not_after) AS license_window
  FROM entries e
  JOIN licenses l ON l.sha256 = e.license_sha256
  JOIN authority_keys a ON a.kid = l.kid
 WHERE e.day_id = $1 AND e.kind = 'sale' AND e.status = 'approved'
   AND (e.recorded_at < l.not_before OR e.recorded_at > l.not_after OR e.recorded_at < a.not_before OR e.recorded_at > a.not_after)
 ORDER BY e.seq`;

export async function detectExpired(tx: Queryable, dayId: number): Promise<NewFinding[]> {
  const rows = await tx.query<Outside>(OUTSIDE, [dayId]);
  const groups = new Map<string, Outside[]>();
  for (const row of rows) groups.set(row.license_sha256, [...(groups.get(row.license_sha256) ?? []), row]);
  const findings: NewFinding[] = [];
  for (const [sha, group] of groups) {
    const first = group[0] as Outside;
    const identity = {
      authorityId: first.authority_id,
      serial: first.license_serial,
    };
    const license = await licenseEvidence(tx, sha);
    findings.push({
      kind: 'expired_license_approved',
      subject: `${identityText(identity)}:${sha.slice(0, 16)}:day ${dayId}`,
      dayId,
      authorityId: identity.authorityId,
      licenseSerial: identity.serial,
      summary: `license ${identityText(identity)} was approved ${group.length} time(s) outside ${first.license_window ? `its validity (${license?.notBefore} to ${license?.notAfter})` : `the validity of authority key ${first.kid}`} by the terminal's clock`,
      evidence: {
        license,
        authorityKey: await authorityEntry(tx, first.kid),
        approvals: await approvalsEvidence(tx, group),
      },
      rows: group.map((row) => ({ dayId: row.day_id, seq: row.seq })),
    });
  }
  return findings;
}
