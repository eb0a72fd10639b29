import type { Migration } from './types';

/** The chained, append-only table of every attempt, void and day close, plus the ledger identity. */
export const migration001: Migration = {
  version: 1,
  name: 'entries',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE entries (
        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
        kind TEXT NOT NULL CHECK (kind IN ('sale', 'void', 'close')),
        business_date TEXT NOT NULL CHECK (business_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        recorded_at INTEGER NOT NULL,
        local_time TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        merchant_id TEXT NOT NULL,
        transaction_id TEXT UNIQUE,
        status TEXT NOT NULL CHECK (status IN ('approved', 'declined', 'voided', 'closed')),
        reason TEXT,
        detail TEXT,
        amount INTEGER,
        currency TEXT,
        account_id TEXT,
        license_serial TEXT,
        authority_kid TEXT,
        app_counter INTEGER,
        started_at INTEGER,
        finished_at INTEGER,
        apdu_count INTEGER,
        demo INTEGER NOT NULL CHECK (demo IN (0, 1)),
        original_transaction_id TEXT,
        note TEXT,
        operator TEXT,
        z_number INTEGER UNIQUE,
        report TEXT,
        payment_request BLOB,
        payment_response BLOB,
        license_cose BLOB,
        deduction_request BLOB,
        authorization_cose BLOB,
        payment_authorization BLOB,
        prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
        hash BLOB NOT NULL CHECK (length(hash) = 32),
        CHECK (
          (kind = 'sale' AND status IN ('approved', 'declined') AND transaction_id IS NOT NULL
            AND amount IS NOT NULL AND currency IS NOT NULL AND (status = 'approved') = (reason IS NULL))
          OR (kind = 'void' AND status = 'voided' AND transaction_id IS NOT NULL
            AND original_transaction_id IS NOT NULL AND amount IS NOT NULL AND currency IS NOT NULL)
          OR (kind = 'close' AND status = 'closed' AND transaction_id IS NULL AND z_number IS NOT NULL)
        )
      ) STRICT;

      CREATE INDEX entries_by_day ON entries (business_date, seq);
      CREATE INDEX entries_by_license ON entries (license_serial, currency) WHERE license_serial IS NOT NULL;
      CREATE UNIQUE INDEX entries_void_once ON entries (original_transaction_id) WHERE kind = 'void';
    `);
  },
};
