// The chain-head file beside the ledger (`<ledger>.head`): the sequence number and hash of the
// last row this terminal committed, rewritten after every commit. A ledger file restored from an
// older copy, or shortened at its tail, is behind this file; a ledger rewritten from some row on
// holds another hash at the head's sequence number. Either is refused at open.
//
// Written with rename but no fsync of its own: it is written only after SQLite's commit has
// reached the disk (WAL, synchronous=FULL), so whatever version of it survives a power cut names
// a row the ledger holds. It may be one or more commits stale, never ahead (docs/ledger.md).
import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic-file';
import { toHex } from './canonical';
import { LedgerError } from './errors';
import { prepared } from './prepared';
import { readHead } from './writer';

export const HEAD_FILE_FORMAT = 'nfc-cashier-ledger-head/1';

const HeadFileSchema = z
  .object({
    format: z.literal(HEAD_FILE_FORMAT),
    ledgerId: z.string().min(1).max(64),
    seq: z.number().int().min(0),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

export type HeadFile = z.infer<typeof HeadFileSchema>;

export interface LedgerHead {
  seq: number;
  hash: string; // lowercase hex
}

/** Where the head file of a ledger file lives. */
export function headFilePath(ledgerPath: string): string {
  return `${ledgerPath}.head`;
}

/** The head file, or undefined when there is none. An unreadable or malformed file is LEDGER_HEAD_UNREADABLE. */
export function readHeadFile(path: string): HeadFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new LedgerError('LEDGER_HEAD_UNREADABLE', `cannot read the chain-head file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LedgerError('LEDGER_HEAD_UNREADABLE', `the chain-head file ${path} is not valid JSON`);
  }
  const parsed = HeadFileSchema.safeParse(json);
  if (!parsed.success) throw new LedgerError('LEDGER_HEAD_UNREADABLE', `the chain-head file ${path} is not a ${HEAD_FILE_FORMAT} file`);
  return parsed.data;
}

/**
 * Replaces the head file (a reader sees the old head or the new one). The temporary name is per
 * process: two processes writing the same ledger never write into each other's file.
 */
export function writeHeadFile(path: string, head: HeadFile): void {
  writeFileAtomic(path, `${JSON.stringify(head)}\n`, 0o644, { durable: false });
}

export function headOf(ledgerId: string, seq: number, hash: Uint8Array): HeadFile {
  return { format: HEAD_FILE_FORMAT, ledgerId, seq, hash: toHex(hash) };
}

/**
 * Compares the ledger with its head file: null when the ledger holds the head's row (it may be
 * further on), else the coded reason it must not be written to.
 */
export function headProblem(
  path: string,
  file: HeadFile,
  ledger: { ledgerId: string; head: LedgerHead; hashAt(seq: number): string | undefined },
): LedgerError | null {
  const theirs = `seq ${file.seq} ${file.hash}`;
  const ours = `seq ${ledger.head.seq} ${ledger.head.hash}`;
  if (file.ledgerId !== ledger.ledgerId) {
    return new LedgerError(
      'LEDGER_MISMATCH',
      `${path} holds ledger ${ledger.ledgerId}, but its chain-head file names ledger ${file.ledgerId}`,
    );
  }
  if (ledger.head.seq < file.seq) {
    return new LedgerError(
      'LEDGER_ROLLED_BACK',
      `${path} is behind its chain-head file: the ledger ends at ${ours}, the terminal had committed ${theirs} (restored from an older copy, or rows removed at the end)`,
    );
  }
  if (file.seq > 0 && ledger.hashAt(file.seq) !== file.hash) {
    return new LedgerError(
      'LEDGER_ROLLED_BACK',
      `${path} was rewritten: row ${file.seq} hashes to ${ledger.hashAt(file.seq) ?? 'nothing'}, the terminal had committed ${theirs} (ledger head now ${ours})`,
    );
  }
  return null;
}

/** The ledger's last row (seq 0 and the genesis hash when empty). */
export function ledgerHead(db: Database.Database): LedgerHead {
  const head = readHead(db);
  return { seq: head.seq, hash: toHex(head.hash) };
}

function hashAt(db: Database.Database, seq: number): string | undefined {
  const hash = prepared(db, 'SELECT hash FROM entries WHERE seq = ?').pluck().get(seq) as Uint8Array | undefined;
  return hash === undefined ? undefined : toHex(hash);
}

/** The head file compared with the ledger: the coded problem, or null (also when there is no head file). */
export function checkHeadFile(db: Database.Database, ledgerPath: string, ledgerId: string): LedgerError | null {
  const file = readHeadFile(headFilePath(ledgerPath));
  if (file === undefined) return null;
  return headProblem(ledgerPath, file, { ledgerId, head: ledgerHead(db), hashAt: (seq) => hashAt(db, seq) });
}

/**
 * Before anything is written: the ledger must hold the row its head file names. A missing head
 * file is written now from the ledger's own head, unless the caller relies on it being there.
 */
export function anchorLedger(db: Database.Database, ledgerPath: string, ledgerId: string, requireHeadFile: boolean): void {
  const path = headFilePath(ledgerPath);
  if (readHeadFile(path) === undefined) {
    const head = ledgerHead(db);
    if (requireHeadFile && head.seq > 0) {
      throw new LedgerError(
        'LEDGER_HEAD_MISSING',
        `the chain-head file ${path} is missing, so ${ledgerPath} (head seq ${head.seq} ${head.hash}) cannot be checked for a rollback; adopt it with the manager PIN if it is the right ledger`,
      );
    }
    writeHeadFile(path, { format: HEAD_FILE_FORMAT, ledgerId, ...head });
    return;
  }
  const problem = checkHeadFile(db, ledgerPath, ledgerId);
  if (problem) throw problem;
}

export interface Adoption {
  at: number;
  operator: string;
  reason: string;
  /** The ledger id the terminal had before (its settings), when it differs from this file's. */
  replacedLedgerId?: string;
}

/**
 * Takes this file as the terminal's ledger on purpose (a backup restored, a head file lost):
 * records the adoption in the ledger with the head it replaces, then rewrites the head file.
 * Runs after migrations (the adoptions table is migration 006's).
 */
export function adoptLedger(db: Database.Database, ledgerPath: string, ledgerId: string, adoption: Adoption): void {
  const path = headFilePath(ledgerPath);
  let previous: HeadFile | undefined;
  try {
    previous = readHeadFile(path);
  } catch {
    previous = undefined; // a torn head file is what is being replaced
  }
  const head = ledgerHead(db);
  const replacedId = previous?.ledgerId !== undefined && previous.ledgerId !== ledgerId ? previous.ledgerId : adoption.replacedLedgerId;
  db.prepare(
    `INSERT INTO adoptions (adopted_at, operator, reason, head_seq, head_hash, replaced_ledger_id, replaced_head_seq, replaced_head_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    adoption.at,
    adoption.operator,
    adoption.reason,
    head.seq,
    head.hash,
    replacedId === ledgerId ? null : (replacedId ?? null),
    previous?.seq ?? null,
    previous?.hash ?? null,
  );
  writeHeadFile(path, { format: HEAD_FILE_FORMAT, ledgerId, ...head });
}

export interface AdoptionRecord {
  adoptedAt: number;
  operator: string;
  reason: string;
  head: LedgerHead;
  replacedLedgerId: string | null;
  replacedHead: LedgerHead | null;
}

export function listAdoptions(db: Database.Database): AdoptionRecord[] {
  const rows = prepared(
    db,
    `SELECT adopted_at, operator, reason, head_seq, head_hash, replaced_ledger_id, replaced_head_seq, replaced_head_hash
       FROM adoptions ORDER BY id`,
  ).all() as {
    adopted_at: number;
    operator: string;
    reason: string;
    head_seq: number;
    head_hash: string;
    replaced_ledger_id: string | null;
    replaced_head_seq: number | null;
    replaced_head_hash: string | null;
  }[];
  return rows.map((r) => ({
    adoptedAt: r.adopted_at,
    operator: r.operator,
    reason: r.reason,
    head: { seq: r.head_seq, hash: r.head_hash },
    replacedLedgerId: r.replaced_ledger_id,
    replacedHead:
      r.replaced_head_seq === null || r.replaced_head_hash === null ? null : { seq: r.replaced_head_seq, hash: r.replaced_head_hash },
  }));
}
