// The detection pass of one stored day, inside its transaction: every detector checks the new
// day against everything held, through the indexes, and each finding is recorded once.
import type { Queryable } from '../db/port';
import { detectCounterReuse } from './counter-reuse';
import { detectExpired } from './expired';
import { recordFinding, type NewFinding, type RecordedFinding } from './finding';
import { detectLedgerFork } from './ledger-fork';
import { detectLedgerGap } from './ledger-gap';
import { detectOfflineLimit } from './offline-limit';
import { detectRevokedInDay } from './revoked';

const DETECTORS: ((tx: Queryable, dayId: number) => Promise<NewFinding[]>)[] = [
  detectCounterReuse,
  detectOfflineLimit,
  detectLedgerFork,
  detectLedgerGap,
  detectRevokedInDay,
  detectExpired,
];

export async function recordAll(tx: Queryable, findings: NewFinding[]): Promise<RecordedFinding[]> {
  const recorded: RecordedFinding[] = [];
  for (const finding of findings) {
    const row = await recordFinding(tx, finding);
    if (row) recorded.push(row);
  }
  return recorded;
}

export async function detectDay(tx: Queryable, dayId: number): Promise<RecordedFinding[]> {
  // The planner must know the day just copied in: without statistics (a fresh database, PGlite,
  // which has no autovacuum, or a day large next to what is held) every estimate is one row and
  // the counter_reuse join became a nested loop over a whole-index scan (minutes for 10,000 rows).
  // ANALYZE samples a fixed number of rows, so this costs the same however much is held.
  await tx.query('ANALYZE entries');
  const recorded: RecordedFinding[] = [];
  for (const detector of DETECTORS) recorded.push(...(await recordAll(tx, await detector(tx, dayId))));
  return recorded;
}
