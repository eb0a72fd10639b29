// offline_limit_exceeded: a license's approved spend across every terminal (approvals less the
// ones voided, and refunds) above the offline limit its license carries. Each terminal only
// counts its own; here the days' per-license sums (license_day_spend) add up all of them, and
// only a license over its limit has its approvals read.
import type { Queryable } from '../db/port';
import { formatMinor } from '../../src-main/ledger/money';
import { identityText } from '../identity';
import { approvalsEvidence, authorityEntry, licenseEvidence } from './evidence';
import type { NewFinding } from './finding';

const OVER_LIMIT = `SELECT t.authority_id, t.serial, t.currency, sum(s.approved - s.voided - s.refunded) AS spent, l.offline_limit, l.sha256
  FROM license_day_spend t
  JOIN license_day_spend s ON s.authority_id = t.authority_id AND s.serial = t.serial AND s.currency = t.currency
  JOIN LATERAL (SELECT offline_limit, sha256 FROM licenses
                 WHERE authority_id = t.authority_id AND serial = t.serial AND currency = t.currency
                 ORDER BY offline_limit, sha256 LIMIT 1) l ON true
 WHERE t.day_id = $1
 GROUP BY t.authority_id, t.serial, t.currency, l.offline_limit, l.sha256
HAVING sum(s.approved - s.voided - s.refunded) > l.offline_limit`;

/**
 * Every counted approval of the license and every refund to it (a negative amount), in the order
 * they were made (terminal clocks). Both through partial indexes: entries_license_counter and
 * entries_license_refunds.
 */
const MOVEMENTS = `SELECT e.day_id, e.seq, e.kind, CASE WHEN e.kind = 'refund' THEN -e.amount ELSE e.amount END AS amount, e.transaction_id, e.recorded_at
  FROM entries e
 WHERE e.authority_id = $1 AND e.license_serial = $2 AND e.currency = $3 AND NOT e.demo
   AND ((e.kind = 'sale' AND e.status = 'approved'
         AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.kind = 'void' AND v.original_transaction_id = e.transaction_id AND v.key_id = e.key_id))
        OR e.kind = 'refund')
 ORDER BY e.recorded_at, e.day_id, e.seq`;

export async function detectOfflineLimit(tx: Queryable, dayId: number): Promise<NewFinding[]> {
  const over = await tx.query<{
    authority_id: string;
    serial: string;
    currency: string;
    spent: number;
    offline_limit: number;
    sha256: string;
  }>(OVER_LIMIT, [dayId]);
  const findings: NewFinding[] = [];
  for (const license of over) {
    const identity = {
      authorityId: license.authority_id,
      serial: license.serial,
    };
    const movements = await tx.query<{
      day_id: number;
      seq: number;
      kind: 'sale' | 'refund';
      amount: number;
      transaction_id: string;
      recorded_at: number;
    }>(MOVEMENTS, [license.authority_id, license.serial, license.currency]);
    let running = 0;
    const crossing: { day_id: number; seq: number }[] = [];
    for (const movement of movements) {
      running += movement.amount;
      if (movement.kind === 'sale' && running > license.offline_limit && movement.day_id === dayId) crossing.push(movement);
    }
    if (crossing.length === 0) continue;
    const licenseFacts = await licenseEvidence(tx, license.sha256);
    findings.push({
      kind: 'offline_limit_exceeded',
      subject: `${identityText(identity)}:${license.currency}:day ${dayId}`,
      dayId,
      authorityId: identity.authorityId,
      licenseSerial: identity.serial,
      summary: `license ${identityText(identity)} spent ${formatMinor(license.spent, license.currency)} ${license.currency} across terminals, over its offline limit of ${formatMinor(license.offline_limit, license.currency)}; ${crossing.length} approval(s) of this day beyond it`,
      evidence: {
        license: licenseFacts,
        authorityKey: licenseFacts ? await authorityEntry(tx, licenseFacts.kid) : null,
        offlineLimit: license.offline_limit,
        currency: license.currency,
        spent: license.spent,
        countedApprovals: movements.map((a) => ({
          dayId: a.day_id,
          seq: a.seq,
          kind: a.kind,
          transactionId: a.transaction_id,
          amount: a.amount,
          recordedAt: a.recorded_at,
        })),
        approvals: await approvalsEvidence(tx, crossing),
      },
      rows: crossing.map((row) => ({ dayId: row.day_id, seq: row.seq })),
    });
  }
  return findings;
}
