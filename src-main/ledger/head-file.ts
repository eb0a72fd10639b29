// The chain-head file beside the ledger (`<ledger>.head`): the sequence number and hash of the
// last row this terminal committed, written after every commit. A ledger file restored from an
// older copy, or shortened at its tail, is behind this file; a ledger rewritten from some row on
// holds another hash at the head's sequence number. Either is refused at open.
//
// Written with no fsync of its own: it is written only after SQLite's commit has reached the disk
// (WAL, synchronous=FULL), so whatever version of it survives a power cut names a row the ledger
// holds. It may be one or more commits stale, never ahead (docs/ledger.md).
//
// Format 2 holds two fixed-length records, one per 512-byte sector, each with its own checksum;
// a commit overwrites the record of its sequence number's parity in place (one positional write
// into the file kept open), so a write torn by a power cut, or read half way by another process,
// spoils only that record and the other one (the commit before) is read instead. Format 1 (one
// JSON line, replaced by rename after each commit) is still read, and becomes format 2 at the
// next commit.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { isErrno, writeFileAtomic } from '../fs/atomic-file';
import { toHex } from './canonical';
import { LedgerError } from './errors';
import { prepared } from './prepared';
import { readHead } from './writer';

export const HEAD_FILE_FORMAT = 'nfc-cashier-ledger-head/2';
const FORMAT_1 = 'nfc-cashier-ledger-head/1';
const RECORD_BYTES = 512;
const FILE_BYTES = 2 * RECORD_BYTES;

const headFields = {
  ledgerId: z.string().min(1).max(64),
  seq: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
};
const RecordSchema = z.object({ format: z.literal(HEAD_FILE_FORMAT), ...headFields, check: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
const Format1Schema = z.object({ format: z.literal(FORMAT_1), ...headFields }).strict();

/** What the head file says: the last row the terminal committed in which ledger. */
export interface HeadFile {
  ledgerId: string;
  seq: number;
  hash: string; // lowercase hex
}

export interface LedgerHead {
  seq: number;
  hash: string; // lowercase hex
}

/** Where the head file of a ledger file lives. */
export function headFilePath(ledgerPath: string): string {
  return `${ledgerPath}.head`;
}

// A record's checksum tells a whole record from one torn by a power cut or read while written.
function checkOf(head: HeadFile): string {
  return createHash('sha256').update(`${HEAD_FILE_FORMAT}\n${head.ledgerId}\n${head.seq}\n${head.hash}`).digest('hex');
}

/** One record: its JSON padded with spaces to 511 bytes and a newline, so `cat` shows two lines. */
function encodeRecord(head: HeadFile): Buffer {
  const json = JSON.stringify({ format: HEAD_FILE_FORMAT, ledgerId: head.ledgerId, seq: head.seq, hash: head.hash, check: checkOf(head) });
  const record = Buffer.alloc(RECORD_BYTES, ' ');
  // The schema's limits (ledger id <= 64 characters, a safe integer, 64 hex) keep it under 300 bytes.
  if (record.write(json, 'utf8') !== Buffer.byteLength(json))
    throw new Error(`chain-head record longer than ${RECORD_BYTES} bytes: ${json}`);
  record[RECORD_BYTES - 1] = 0x0a;
  return record;
}

function decodeRecord(bytes: Buffer): HeadFile | undefined {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = RecordSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const head = { ledgerId: parsed.data.ledgerId, seq: parsed.data.seq, hash: parsed.data.hash };
  return checkOf(head) === parsed.data.check ? head : undefined;
}

/** The file's bytes as the head it names: the later of its intact records (format 2), or its one line (format 1). */
function parseHeadFile(path: string, bytes: Buffer): HeadFile {
  if (bytes.length === FILE_BYTES) {
    const [first, second] = [bytes.subarray(0, RECORD_BYTES), bytes.subarray(RECORD_BYTES)].map(decodeRecord);
    if (first === undefined || second === undefined) {
      const intact = first ?? second;
      if (intact === undefined) {
        throw new LedgerError('LEDGER_HEAD_UNREADABLE', `the chain-head file ${path} has no intact record (both checksums fail)`);
      }
      return intact;
    }
    if (first.ledgerId !== second.ledgerId) {
      throw new LedgerError(
        'LEDGER_HEAD_UNREADABLE',
        `the chain-head file ${path} names two ledgers (${first.ledgerId} and ${second.ledgerId})`,
      );
    }
    return first.seq >= second.seq ? first : second;
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new LedgerError('LEDGER_HEAD_UNREADABLE', `the chain-head file ${path} is neither a ${HEAD_FILE_FORMAT} file nor valid JSON`);
  }
  const parsed = Format1Schema.safeParse(json);
  if (!parsed.success) throw new LedgerError('LEDGER_HEAD_UNREADABLE', `the chain-head file ${path} is not a ${HEAD_FILE_FORMAT} file`);
  return { ledgerId: parsed.data.ledgerId, seq: parsed.data.seq, hash: parsed.data.hash };
}

/** The head file, or undefined when there is none. An unreadable or malformed file is LEDGER_HEAD_UNREADABLE. */
export function readHeadFile(path: string): HeadFile | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw new LedgerError('LEDGER_HEAD_UNREADABLE', `cannot read the chain-head file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseHeadFile(path, bytes);
}

/**
 * Replaces the head file with a new one whose two records both name `head` (a reader sees the
 * old file or the new one): at open, at an adoption, and when a commit finds no file in format 2.
 */
export function writeHeadFile(path: string, head: HeadFile): void {
  const record = encodeRecord(head);
  writeFileAtomic(path, Buffer.concat([record, record]), 0o644, { durable: false });
}

/**
 * The ledger's writer of the head file after each commit: the file stays open and each commit
 * overwrites the record of its parity in place. The temporary file of a whole new file is named
 * per process, so two processes writing the same ledger never write into each other's file; a
 * file deleted or renamed over since it was opened (another process adopting the ledger) is
 * opened again, so the commit lands in the file that readers see.
 */
export class HeadFileWriter {
  private fd: number | undefined;

  constructor(private readonly path: string) {}

  write(head: HeadFile): void {
    try {
      const fd = this.open(head);
      if (fd === undefined) return;
      const written = writeSync(fd, encodeRecord(head), 0, RECORD_BYTES, (head.seq % 2) * RECORD_BYTES);
      if (written !== RECORD_BYTES) throw new Error(`short write to ${this.path}: ${written} of ${RECORD_BYTES} bytes`);
    } catch (error) {
      this.close();
      throw error;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }

  /** The open file to write the record into, or undefined when a whole new file holding `head` was written instead. */
  private open(head: HeadFile): number | undefined {
    if (this.fd !== undefined) {
      if (fstatSync(this.fd).nlink > 0) return this.fd;
      this.close();
    }
    let fd: number | undefined;
    try {
      fd = openSync(this.path, 'r+');
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
    }
    if (fd !== undefined && fstatSync(fd).size === FILE_BYTES) {
      this.fd = fd;
      return fd;
    }
    if (fd !== undefined) closeSync(fd);
    writeHeadFile(this.path, head);
    this.fd = openSync(this.path, 'r+');
    return undefined;
  }
}

export function headOf(ledgerId: string, seq: number, hash: Uint8Array): HeadFile {
  return { ledgerId, seq, hash: toHex(hash) };
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
    writeHeadFile(path, { ledgerId, ...head });
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
  writeHeadFile(path, { ledgerId, ...head });
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
