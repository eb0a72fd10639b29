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
  const recorded: RecordedFinding[] = [];
  for (const detector of DETECTORS) recorded.push(...(await recordAll(tx, await detector(tx, dayId))));
  return recorded;
}
