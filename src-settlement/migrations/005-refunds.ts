// Refund rows (the terminal's ledger migration 007): `entries` takes kind 'refund' with status
// 'refunded'. A refund carries its sale's license, account and currency, so the day's refunds per
// license (license_day_spend.refunded) and per merchant come from the day's own rows; the
// offline-limit evidence reads a license's refunds through their own partial index.
import type { Migration } from './migration';

export const migration005: Migration = {
  version: 5,
  name: 'refunds',
  statements: [
    `ALTER TABLE entries DROP CONSTRAINT entries_kind_check,
       ADD CONSTRAINT entries_kind_check CHECK (kind IN ('sale', 'void', 'close', 'refund'))`,
    `ALTER TABLE entries DROP CONSTRAINT entries_status_check,
       ADD CONSTRAINT entries_status_check CHECK (status IN ('approved', 'declined', 'voided', 'closed', 'refunded'))`,
    `CREATE INDEX entries_license_refunds ON entries (authority_id, license_serial) WHERE kind = 'refund'`,
  ],
};
