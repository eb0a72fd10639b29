// Opening the ledger file: refuse what is not ours, never create over an existing file, set the
// durability pragmas, bring the schema up to date.
import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { LedgerError, toLedgerError } from './errors';
import { headFilePath } from './head-file';
import { LATEST_VERSION, MIGRATIONS } from './migrations/index';

// URI file names, for `immutable=1` on read-only media (below). better-sqlite3 reads this once,
// when its native addon loads at the first connection of the process, which this module makes.
// Plain paths are unaffected: only a name starting with "file:" is read as a URI.
process.env.SQLITE_USE_URI ??= '1';

/** SQLite header field `application_id` of every ledger file: "NFCL". */
export const LEDGER_APPLICATION_ID = 0x4e46434c;
const SQLITE_HEADER = 'SQLite format 3\0';

export interface OpenDatabaseOptions {
  path: string;
  /** Create a new ledger when the file does not exist (or is empty). Never replaces an existing ledger. */
  create?: boolean;
  readOnly?: boolean;
  busyTimeoutMs?: number;
  /** Refuse the file unless its ledger id is this one (the app keeps the id in its settings). */
  expectLedgerId?: string;
  /** Runs on an identified ledger before anything is written to it (migrations); throws to refuse it. */
  beforeWrite?: (db: Database.Database, ledgerId: string) => void;
  /** Wall clock for the creation time stored in `meta`. */
  now?: number;
}

export interface OpenedDatabase {
  db: Database.Database;
  ledgerId: string;
  createdAt: number;
  created: boolean;
}

function fileState(path: string): 'missing' | 'empty' | 'sqlite' | 'other' {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new LedgerError('LEDGER_CANNOT_OPEN', `${path} is not a regular file`);
    size = stat.size;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return 'missing';
    throw toLedgerError(error, `cannot read ${path}`);
  }
  if (size === 0) return 'empty';
  const header = Buffer.alloc(16);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const read = readSync(fd, header, 0, 16, 0);
    return read === 16 && header.toString('latin1') === SQLITE_HEADER ? 'sqlite' : 'other';
  } catch (error) {
    throw toLedgerError(error, `cannot read ${path}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** SQLite would quietly open a write-protected file read-only; say so up front instead. */
/**
 * A read-only open in a folder this process cannot write (read-only file system, CD, a folder of
 * another user) cannot make SQLite's -shm file: it opens the file immutable instead, which reads
 * the file alone and writes nothing at all. A -wal file with content would be ignored that way,
 * so its rows would be missing: refused, with what to do.
 */
function onReadOnlyMedia(path: string): boolean {
  try {
    accessSync(dirname(path), constants.W_OK);
    return false;
  } catch {
    const wal = `${path}-wal`;
    let walBytes = 0;
    try {
      walBytes = statSync(wal).size;
    } catch {
      walBytes = 0;
    }
    if (walBytes > 0) {
      throw new LedgerError(
        'LEDGER_READ_ONLY',
        `${wal} holds transactions not yet written into ${path}, and its folder is read-only: copy the folder to writable storage (or open it once on the terminal) and run this there`,
      );
    }
    return true;
  }
}

function checkWritable(path: string, exists: boolean): void {
  for (const [target, what] of [
    ...(exists ? [[path, 'file'] as const] : []),
    [dirname(path), 'folder (SQLite writes its -wal and -shm files there)'] as const,
  ]) {
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      throw new LedgerError('LEDGER_READ_ONLY', `the ledger ${what} ${target} is not writable`, { cause: error });
    }
  }
}

/**
 * Runs `body` in an IMMEDIATE transaction with foreign keys off (SQLite's recipe for rebuilding a
 * table others reference; the pragma cannot change inside a transaction), checking every foreign
 * key before COMMIT.
 */
function schemaTransaction<T>(db: Database.Database, body: () => T): T {
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    return db
      .transaction(() => {
        const result = body();
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0)
          throw new LedgerError('LEDGER_INTERNAL', `schema change left ${broken.length} rows without the row they reference`);
        return result;
      })
      .immediate();
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
  }
}

/** Runs every migration above the file's `user_version`, each with its version bump, in one transaction. */
export function migrate(db: Database.Database, target = LATEST_VERSION): number {
  return schemaTransaction(db, () => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (const migration of MIGRATIONS) {
      if (migration.version <= current || migration.version > target) continue;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
    return db.pragma('user_version', { simple: true }) as number;
  });
}

function applyPragmas(db: Database.Database, options: OpenDatabaseOptions): void {
  if (!options.readOnly) {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new LedgerError('LEDGER_IO', `cannot switch ${options.path} to WAL (journal_mode=${String(mode)})`);
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

function initialize(db: Database.Database, now: number): void {
  schemaTransaction(db, () => {
    const tables = db.prepare('SELECT COUNT(*) AS n FROM sqlite_master').get() as { n: number };
    if (tables.n !== 0) throw new LedgerError('LEDGER_NOT_A_LEDGER', 'database is not empty');
    db.pragma(`application_id = ${LEDGER_APPLICATION_ID}`);
    for (const migration of MIGRATIONS) {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
    const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    insert.run('format', 'nfc-cashier-ledger');
    insert.run('ledger_id', randomUUID());
    insert.run('created_at', String(now));
  });
}

export function openDatabase(options: OpenDatabaseOptions): OpenedDatabase {
  const { path } = options;
  const state = fileState(path);
  const mayCreate = options.create === true && !options.readOnly;
  if (state === 'missing' && !mayCreate) {
    throw new LedgerError('LEDGER_NOT_FOUND', `no ledger at ${path} (pass create: true to start a new one)`);
  }
  if (state === 'missing') {
    try {
      if (!statSync(dirname(path)).isDirectory()) throw new Error('not a folder');
    } catch (error) {
      throw new LedgerError('LEDGER_NOT_FOUND', `folder of ${path} does not exist`, { cause: error });
    }
    // A write-ahead log without its database is what is left of a ledger whose file was removed;
    // SQLite would replay it into a new file. Refuse: the file has to be restored.
    if (fileState(`${path}-wal`) !== 'missing') {
      throw new LedgerError('LEDGER_CORRUPT', `${path} is missing but its write-ahead log ${path}-wal exists; restore the ledger file`);
    }
    // Likewise its chain-head file: a new ledger here would start over a terminal's history.
    if (fileState(headFilePath(path)) !== 'missing') {
      throw new LedgerError(
        'LEDGER_NOT_FOUND',
        `${path} is missing but its chain-head file ${headFilePath(path)} exists; restore the ledger file`,
      );
    }
  }
  if (state === 'empty' && !mayCreate) throw new LedgerError('LEDGER_NOT_A_LEDGER', `${path} is an empty file`);
  if (state === 'other') throw new LedgerError('LEDGER_CORRUPT', `${path} is not an SQLite database (bad header)`);
  if (!options.readOnly) checkWritable(path, state !== 'missing');

  const immutable = options.readOnly === true && onReadOnlyMedia(path);
  let db: Database.Database | undefined;
  try {
    db = new Database(immutable ? `file:${encodeURI(path).replace(/[?#]/g, encodeURIComponent)}?immutable=1` : path, {
      readonly: options.readOnly === true,
      fileMustExist: state !== 'missing',
    });
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    // Identify the file before any pragma that writes (journal_mode rewrites the header).
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    let created = false;
    if (applicationId !== LEDGER_APPLICATION_ID) {
      const tables = db.prepare('SELECT COUNT(*) AS n FROM sqlite_master').get() as { n: number };
      if (applicationId !== 0 || tables.n !== 0) {
        throw new LedgerError('LEDGER_NOT_A_LEDGER', `${path} is an SQLite database of another application`);
      }
      if (!mayCreate) throw new LedgerError('LEDGER_NOT_A_LEDGER', `${path} is an empty database (pass create: true)`);
      applyPragmas(db, options);
      initialize(db, options.now ?? Date.now());
      created = true;
    } else {
      applyPragmas(db, options);
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_VERSION) {
      throw new LedgerError('LEDGER_SCHEMA_TOO_NEW', `${path} has schema ${version}; this app knows up to ${LATEST_VERSION}`);
    }
    const meta = new Map(
      (db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]),
    );
    const ledgerId = meta.get('ledger_id');
    if (meta.get('format') !== 'nfc-cashier-ledger' || !ledgerId) {
      throw new LedgerError('LEDGER_NOT_A_LEDGER', `${path} has no ledger identity`);
    }
    if (options.expectLedgerId !== undefined && options.expectLedgerId !== ledgerId) {
      throw new LedgerError('LEDGER_MISMATCH', `${path} holds ledger ${ledgerId}, expected ${options.expectLedgerId}`);
    }
    // Nothing has been written to a file that is not ours yet: it is refused before migrating.
    options.beforeWrite?.(db, ledgerId);
    if (version < LATEST_VERSION) {
      if (options.readOnly) throw new LedgerError('LEDGER_READ_ONLY', `${path} needs migrating to schema ${LATEST_VERSION}`);
      migrate(db);
    }
    return { db, ledgerId, createdAt: Number(meta.get('created_at') ?? 0), created };
  } catch (error) {
    db?.close();
    throw toLedgerError(error, `cannot open ledger ${path}`);
  }
}
