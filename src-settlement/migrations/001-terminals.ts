// Enrolled terminal keys (key id + merchant, as `ledger key` prints it for pinning) and their
// retirements. A retirement is its own row: enrolment rows are never updated.
import type { Migration } from './migration';

export const migration001: Migration = {
  version: 1,
  name: 'terminals',
  statements: [
    `CREATE TABLE terminal_keys (
      key_id text PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{64}$'),
      terminal_id text NOT NULL CHECK (length(terminal_id) BETWEEN 1 AND 64),
      merchant_id text NOT NULL CHECK (length(merchant_id) BETWEEN 1 AND 64),
      enrolled_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE terminal_key_retirements (
      key_id text PRIMARY KEY REFERENCES terminal_keys (key_id),
      retired_at timestamptz NOT NULL DEFAULT now(),
      reason text NOT NULL
    )`,
  ],
};
