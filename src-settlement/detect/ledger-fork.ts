// ledger_fork: one terminal key, one sequence number, two different row hashes in two uploaded
// days: the ledger was rolled back (restored from an old copy) or rewritten. Only days whose
// sequence ranges overlap are compared, so a normal day costs one lookup in `days`.
import type { Queryable } from '../db/port';
import { approvalsEvidence, dayManifest } from './evidence';
import type { NewFinding } from './finding';

const OVERLAPPING = `SELECT o.id FROM days n
  JOIN days o ON o.key_id = n.key_id AND o.id <> n.id AND o.first_seq <= n.last_seq AND n.first_seq <= o.last_seq
 WHERE n.id = $1 ORDER BY o.id`;

const FIRST_DIFFERENCE = `SELECT n.seq, n.hash AS new_hash, o.hash AS held_hash, n.key_id
  FROM entries n JOIN entries o ON o.day_id = $2 AND o.seq = n.seq
 WHERE n.day_id = $1 AND n.hash <> o.hash ORDER BY n.seq LIMIT 1`;

export async function detectLedgerFork(tx: Queryable, dayId: number): Promise<NewFinding[]> {
  const findings: NewFinding[] = [];
  for (const other of await tx.query<{ id: number }>(OVERLAPPING, [dayId])) {
    const [fork] = await tx.query<{
      seq: number;
      new_hash: string;
      held_hash: string;
      key_id: string;
    }>(FIRST_DIFFERENCE, [dayId, other.id]);
    if (!fork) continue;
    const [a, b] = [other.id, dayId].sort((x, y) => x - y);
    findings.push({
      kind: 'ledger_fork',
      subject: `${fork.key_id}#${fork.seq}:${a}:${b}`,
      dayId,
      keyId: fork.key_id,
      summary: `terminal key ${fork.key_id.slice(0, 16)}… has two different rows ${fork.seq} (days ${other.id} and ${dayId}): its ledger was rolled back or rewritten`,
      evidence: {
        terminalKeyId: fork.key_id,
        seq: fork.seq,
        hashes: [fork.held_hash, fork.new_hash],
        days: [
          { dayId: other.id, manifest: await dayManifest(tx, other.id) },
          { dayId, manifest: await dayManifest(tx, dayId) },
        ],
        rows: await approvalsEvidence(tx, [
          { day_id: other.id, seq: fork.seq },
          { day_id: dayId, seq: fork.seq },
        ]),
      },
      rows: [
        { dayId: other.id, seq: fork.seq },
        { dayId, seq: fork.seq },
      ],
    });
  }
  return findings;
}
