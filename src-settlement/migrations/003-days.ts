// Business days as uploaded (the signed manifest kept byte for byte), their ledger rows (the
// exact JSONL line plus the columns detection and statements read) and the licenses seen.
import type { Migration } from './migration';

export const migration003: Migration = {
  version: 3,
  name: 'days',
  statements: [
    `CREATE TABLE days (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      key_id text NOT NULL REFERENCES terminal_keys (key_id),
      terminal_id text NOT NULL,
      merchant_id text NOT NULL,
      ledger_id text NOT NULL,
      business_date date NOT NULL,
      z_number integer,
      row_count integer NOT NULL,
      first_seq bigint,
      last_seq bigint,
      first_prev_hash text,
      last_hash text,
      manifest_sha256 text NOT NULL UNIQUE,
      manifest text NOT NULL,
      ingested_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (ledger_id, business_date)
    )`,
    `CREATE INDEX days_key_date ON days (key_id, business_date)`,
    `CREATE INDEX days_merchant_date ON days (merchant_id, business_date)`,
    `CREATE TABLE entries (
      day_id bigint NOT NULL REFERENCES days (id),
      seq bigint NOT NULL,
      key_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('sale', 'void', 'close')),
      status text NOT NULL CHECK (status IN ('approved', 'declined', 'voided', 'closed')),
      business_date date NOT NULL,
      recorded_at bigint NOT NULL,
      terminal_id text NOT NULL,
      merchant_id text NOT NULL,
      transaction_id text,
      original_transaction_id text,
      amount bigint,
      currency text,
      account_id text,
      authority_id text,
      authority_kid text,
      license_serial text,
      app_counter bigint,
      license_sha256 text,
      demo boolean NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      record text NOT NULL,
      PRIMARY KEY (day_id, seq)
    )`,
    `CREATE INDEX entries_key_seq ON entries (key_id, seq)`,
    `CREATE INDEX entries_license_counter ON entries (authority_id, license_serial, app_counter) WHERE kind = 'sale' AND status = 'approved'`,
    `CREATE INDEX entries_account_time ON entries (account_id, recorded_at) WHERE kind = 'sale' AND status = 'approved'`,
    `CREATE INDEX entries_voided_sale ON entries (original_transaction_id) WHERE kind = 'void'`,
    `CREATE TABLE licenses (
      sha256 text PRIMARY KEY,
      authority_id text NOT NULL,
      serial text NOT NULL,
      kid text NOT NULL,
      account_id text NOT NULL,
      offline_limit bigint NOT NULL,
      currency text NOT NULL,
      not_before bigint NOT NULL,
      not_after bigint NOT NULL,
      cose text NOT NULL,
      first_day_id bigint NOT NULL REFERENCES days (id)
    )`,
    `CREATE INDEX licenses_identity ON licenses (authority_id, serial)`,
    // Each day's net approved spend per license, so the offline-limit check adds a few rows per
    // license instead of every approval ever held.
    `CREATE TABLE license_day_spend (
      day_id bigint NOT NULL REFERENCES days (id),
      authority_id text NOT NULL,
      serial text NOT NULL,
      currency text NOT NULL,
      approved bigint NOT NULL,
      voided bigint NOT NULL,
      refunded bigint NOT NULL,
      PRIMARY KEY (day_id, authority_id, serial, currency)
    )`,
    `CREATE INDEX license_day_spend_identity ON license_day_spend (authority_id, serial, currency)`,
  ],
};
