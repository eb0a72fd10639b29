// Walks the hash chain from the first row and reports the first row that does not link or hash.
import type Database from 'better-sqlite3';
import { GENESIS_HASH, hashesEqual, rowHash, toHex } from './canonical';
import type { LedgerRow } from './row';
import { fromDb, ROW_COLUMNS } from './store';

export type ChainProblem = 'sequence_gap' | 'link_broken' | 'hash_mismatch';

export interface ChainBreak {
  seq: number;
  problem: ChainProblem;
  detail: string;
}

export interface ChainCheck {
  ok: boolean;
  rows: number;
  head: { seq: number; hash: string } | null;
  firstBroken: ChainBreak | null;
}

/** Checks one row against its predecessor; null when it links and hashes. */
export function checkLink(row: LedgerRow, previous: { seq: number; hash: Uint8Array } | null): ChainBreak | null {
  const expectedSeq = previous ? previous.seq + 1 : 1;
  if (row.seq !== expectedSeq) {
    return { seq: row.seq, problem: 'sequence_gap', detail: `expected sequence ${expectedSeq}, found ${row.seq}` };
  }
  const expectedPrev = previous ? previous.hash : GENESIS_HASH;
  if (!hashesEqual(row.prevHash, expectedPrev)) {
    return { seq: row.seq, problem: 'link_broken', detail: `previous hash ${toHex(row.prevHash)} != ${toHex(expectedPrev)}` };
  }
  const computed = rowHash(row);
  if (!hashesEqual(computed, row.hash)) {
    return { seq: row.seq, problem: 'hash_mismatch', detail: `stored ${toHex(row.hash)}, content hashes to ${toHex(computed)}` };
  }
  return null;
}

export function verifyChain(db: Database.Database): ChainCheck {
  let previous: { seq: number; hash: Uint8Array } | null = null;
  let rows = 0;
  for (const raw of db.prepare(`SELECT ${ROW_COLUMNS} FROM entries e ORDER BY e.seq`).raw(true).iterate() as IterableIterator<unknown[]>) {
    const row = fromDb(raw);
    const broken = checkLink(row, previous);
    if (broken) return { ok: false, rows, head: previous && { seq: previous.seq, hash: toHex(previous.hash) }, firstBroken: broken };
    rows += 1;
    previous = { seq: row.seq, hash: row.hash };
  }
  return { ok: true, rows, head: previous && { seq: previous.seq, hash: toHex(previous.hash) }, firstBroken: null };
}
