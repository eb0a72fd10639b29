// ledger_fork: one terminal key, one sequence number, two different row hashes in two uploaded
// days: the ledger was rolled back (restored from an old copy) or rewritten. Only days whose
// sequence ranges overlap are compared, so a normal day costs one lookup in `days`.
//
// Each signed manifest also names the ledger's head when it was exported (`ledgerHead`, the last
// row then, which may be a later day's). A head contradicts another upload when a row held at its
// sequence has another hash, when two heads at one sequence differ, or when a later export
// (terminal clock) names an earlier head: the ledger went back. These catch a rollback whose
// rewritten rows were never uploaded next to the originals; a pair of days already shown forked by
// their rows is not reported twice.
import type { Queryable } from '../db/port';
import { approvalsEvidence, dayManifest } from './evidence';
import type { NewFinding } from './finding';

const OVERLAPPING = `SELECT o.id FROM days n
  JOIN days o ON o.key_id = n.key_id AND o.id <> n.id AND o.first_seq <= n.last_seq AND n.first_seq <= o.last_seq
 WHERE n.id = $1 ORDER BY o.id`;

const FIRST_DIFFERENCE = `SELECT n.seq, n.hash AS new_hash, o.hash AS held_hash, n.key_id
  FROM entries n JOIN entries o ON o.day_id = $2 AND o.seq = n.seq
 WHERE n.day_id = $1 AND n.hash <> o.hash ORDER BY n.seq LIMIT 1`;

/**
 * Heads against rows and heads of the terminal's other days (each day of the key through
 * days_key_date, each row through entries_key_seq). `found` is the hash the other side holds at
 * the head's sequence, null for a head that went back.
 */
const HEAD_CONFLICTS = `SELECT o.id AS other_id, 'held_head' AS which, o.head_seq AS seq, o.head_hash AS head_hash, e.hash AS found, n.key_id
  FROM days n JOIN days o ON o.key_id = n.key_id AND o.id <> n.id
  JOIN entries e ON e.key_id = n.key_id AND e.seq = o.head_seq AND e.day_id = n.id
 WHERE n.id = $1 AND e.hash <> o.head_hash
UNION ALL
SELECT e.day_id, 'new_head', n.head_seq, n.head_hash, e.hash, n.key_id
  FROM days n JOIN entries e ON e.key_id = n.key_id AND e.seq = n.head_seq AND e.day_id <> n.id
 WHERE n.id = $1 AND e.hash <> n.head_hash
UNION ALL
SELECT o.id, 'same_seq', n.head_seq, n.head_hash, o.head_hash, n.key_id
  FROM days n JOIN days o ON o.key_id = n.key_id AND o.id <> n.id AND o.head_seq = n.head_seq AND o.head_hash <> n.head_hash
 WHERE n.id = $1
UNION ALL
SELECT o.id, 'went_back', o.head_seq, o.head_hash, NULL, n.key_id
  FROM days n JOIN days o ON o.key_id = n.key_id AND o.id <> n.id
   AND ((o.generated_at < n.generated_at AND n.head_seq < o.head_seq) OR (n.generated_at < o.generated_at AND o.head_seq < n.head_seq))
 WHERE n.id = $1
 ORDER BY 1, 2`;

interface HeadConflict {
  other_id: number;
  which: 'held_head' | 'new_head' | 'same_seq' | 'went_back';
  seq: number;
  head_hash: string;
  found: string | null;
  key_id: string;
}

async function headFindings(tx: Queryable, dayId: number, forked: ReadonlySet<number>): Promise<NewFinding[]> {
  const findings: NewFinding[] = [];
  const seen = new Set<number>();
  for (const conflict of await tx.query<HeadConflict>(HEAD_CONFLICTS, [dayId])) {
    if (forked.has(conflict.other_id) || seen.has(conflict.other_id)) continue;
    seen.add(conflict.other_id);
    const [a, b] = [conflict.other_id, dayId].sort((x, y) => x - y);
    const key = conflict.key_id;
    const what = {
      held_head: `the head row ${conflict.seq} an earlier export (day ${conflict.other_id}) named is another row in day ${dayId}`,
      new_head: `the head row ${conflict.seq} this export names is another row in day ${conflict.other_id}`,
      same_seq: `two exports (days ${conflict.other_id} and ${dayId}) name different head rows ${conflict.seq}`,
      went_back: `one export (days ${conflict.other_id} and ${dayId}) names a head before the head an earlier export named`,
    }[conflict.which];
    findings.push({
      kind: 'ledger_fork',
      subject: `${key}#head:${a}:${b}`,
      dayId,
      keyId: key,
      summary: `terminal key ${key.slice(0, 16)}…: ${what}: its ledger was rolled back or rewritten`,
      evidence: {
        terminalKeyId: key,
        seq: conflict.seq,
        headConflict: conflict.which,
        heads: [
          { dayId: conflict.other_id, ledgerHead: await headOf(tx, conflict.other_id) },
          { dayId, ledgerHead: await headOf(tx, dayId) },
        ],
        ...(conflict.found === null ? {} : { hashes: [conflict.head_hash, conflict.found] }),
        days: [
          { dayId: conflict.other_id, manifest: await dayManifest(tx, conflict.other_id) },
          { dayId, manifest: await dayManifest(tx, dayId) },
        ],
      },
      // The row that contradicts a head, when one does.
      rows:
        conflict.which === 'held_head'
          ? [{ dayId, seq: conflict.seq }]
          : conflict.which === 'new_head'
            ? [{ dayId: conflict.other_id, seq: conflict.seq }]
            : [],
    });
  }
  return findings;
}

async function headOf(tx: Queryable, dayId: number): Promise<{ seq: number; hash: string; generatedAt: string } | null> {
  const [day] = await tx.query<{ head_seq: number | null; head_hash: string | null; generated_at: string | null }>(
    'SELECT head_seq, head_hash, generated_at FROM days WHERE id = $1',
    [dayId],
  );
  return day?.head_seq != null && day.head_hash !== null && day.generated_at !== null
    ? { seq: day.head_seq, hash: day.head_hash, generatedAt: day.generated_at }
    : null;
}

export async function detectLedgerFork(tx: Queryable, dayId: number): Promise<NewFinding[]> {
  const findings: NewFinding[] = [];
  const forked = new Set<number>();
  for (const other of await tx.query<{ id: number }>(OVERLAPPING, [dayId])) {
    const [fork] = await tx.query<{
      seq: number;
      new_hash: string;
      held_hash: string;
      key_id: string;
    }>(FIRST_DIFFERENCE, [dayId, other.id]);
    if (!fork) continue;
    forked.add(other.id);
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
  findings.push(...(await headFindings(tx, dayId, forked)));
  return findings;
}
