// ledger_gap: a day whose first row does not link to the last row held for that terminal key
// from the business day before it (or whose last row the next held day does not link to): rows
// or whole business days are missing between them, or the ledger was restored from an old copy.
// The later day's signed manifest names the business day before it (`previousDay`): when that is
// not the earlier day held, the evidence says which day is missing, and a gap is reported even
// where the row chain happens to link.
import type { Queryable } from '../db/port';
import { dayManifest } from './evidence';
import type { NewFinding } from './finding';

interface DayLink {
  id: number;
  key_id: string;
  business_date: string;
  first_seq: number | null;
  last_seq: number | null;
  first_prev_hash: string | null;
  last_hash: string | null;
  previous_business_date: string | null;
}

const COLUMNS = 'id, key_id, business_date, first_seq, last_seq, first_prev_hash, last_hash, previous_business_date';
const THIS_DAY = `SELECT ${COLUMNS} FROM days WHERE id = $1`;
const BEFORE = `SELECT ${COLUMNS} FROM days WHERE key_id = $1 AND business_date < $2 AND last_seq IS NOT NULL ORDER BY business_date DESC LIMIT 1`;
const AFTER = `SELECT ${COLUMNS} FROM days WHERE key_id = $1 AND business_date > $2 AND first_seq IS NOT NULL ORDER BY business_date LIMIT 1`;

async function gap(tx: Queryable, dayId: number, earlier: DayLink, later: DayLink): Promise<NewFinding | null> {
  if (earlier.last_seq === null || later.first_seq === null) return null;
  const linked = later.first_seq === earlier.last_seq + 1 && later.first_prev_hash === earlier.last_hash;
  const named = later.previous_business_date;
  const dayMissing = named !== null && named !== earlier.business_date;
  if (linked && !dayMissing) return null;
  return {
    kind: 'ledger_gap',
    subject: `${earlier.key_id}:${earlier.id}->${later.id}`,
    dayId,
    keyId: earlier.key_id,
    summary:
      `terminal key ${earlier.key_id.slice(0, 16)}…: ${later.business_date} starts at row ${later.first_seq}, ` +
      `but ${earlier.business_date} held ends at row ${earlier.last_seq}` +
      (dayMissing ? ` and its manifest names ${named} as the business day before it, not ${earlier.business_date}` : '') +
      ': rows or days between them are missing, or the ledger was restored',
    evidence: {
      terminalKeyId: earlier.key_id,
      expected: {
        firstSeq: earlier.last_seq + 1,
        firstPrevHash: earlier.last_hash,
        previousBusinessDay: earlier.business_date,
      },
      found: {
        firstSeq: later.first_seq,
        firstPrevHash: later.first_prev_hash,
        previousBusinessDay: named,
      },
      days: [
        { dayId: earlier.id, manifest: await dayManifest(tx, earlier.id) },
        { dayId: later.id, manifest: await dayManifest(tx, later.id) },
      ],
    },
    rows: [
      { dayId: earlier.id, seq: earlier.last_seq },
      { dayId: later.id, seq: later.first_seq },
    ],
  };
}

export async function detectLedgerGap(tx: Queryable, dayId: number): Promise<NewFinding[]> {
  const [day] = await tx.query<DayLink>(THIS_DAY, [dayId]);
  if (!day || day.first_seq === null) return [];
  const findings: NewFinding[] = [];
  const [before] = await tx.query<DayLink>(BEFORE, [day.key_id, day.business_date]);
  const [after] = await tx.query<DayLink>(AFTER, [day.key_id, day.business_date]);
  for (const [earlier, later] of [
    [before, day],
    [day, after],
  ] as const) {
    if (!earlier || !later) continue;
    const found = await gap(tx, dayId, earlier, later);
    if (found) findings.push(found);
  }
  return findings;
}
