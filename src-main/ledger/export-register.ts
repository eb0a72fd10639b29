// The ledger's register of its exports: the SHA-256 of every manifest written, so the next
// business day's manifest can name the previous day's (settlement links the days by it).
import type Database from 'better-sqlite3';
import { openDatabase } from './database';
import { prepared } from './prepared';

export interface PreviousDay {
  businessDate: string;
  /** SHA-256 (hex) of the newest manifest of that day exported from this ledger; null when never exported. */
  manifestSha256: string | null;
}

export interface ExportNote {
  businessDate: string;
  manifestSha256: string;
  generatedAt: string;
  lastSeq: number | null;
  notedAt: number;
}

/** The business day with rows just before `businessDate`, with its newest export; null when there is none. */
export function previousDay(db: Database.Database, businessDate: string): PreviousDay | null {
  const date = prepared(db, 'SELECT max(business_date) FROM entries WHERE business_date < ?').pluck().get(businessDate) as string | null;
  if (date === null) return null;
  const sha = prepared(db, 'SELECT manifest_sha256 FROM exports WHERE business_date = ? ORDER BY id DESC LIMIT 1').pluck().get(date) as
    string | undefined;
  return { businessDate: date, manifestSha256: sha ?? null };
}

/**
 * Notes a written export in the ledger. Opens its own connection; throws LedgerError (for
 * instance LEDGER_READ_ONLY on read-only media, where the export is still complete).
 */
export function noteExport(ledgerPath: string, note: ExportNote): void {
  const { db } = openDatabase({ path: ledgerPath });
  try {
    db.prepare('INSERT INTO exports (business_date, manifest_sha256, generated_at, last_seq, noted_at) VALUES (?, ?, ?, ?, ?)').run(
      note.businessDate,
      note.manifestSha256,
      note.generatedAt,
      note.lastSeq,
      note.notedAt,
    );
  } finally {
    db.close();
  }
}
