// What the service trusts and what the authorities published: authority keys (trust-store
// entries, as `authority export-trust` writes them) and signed revocation lists, kept whole and
// also as one row per revoked serial or key, for the detection joins.
import type { Migration } from './migration';

export const migration002: Migration = {
  version: 2,
  name: 'authorities',
  statements: [
    `CREATE TABLE authority_keys (
      kid text PRIMARY KEY,
      authority_id text NOT NULL,
      not_before bigint NOT NULL,
      not_after bigint NOT NULL,
      entry jsonb NOT NULL,
      added_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE TABLE revocation_lists (
      issuer_kid text NOT NULL REFERENCES authority_keys (kid),
      sequence bigint NOT NULL CHECK (sequence >= 0),
      issued_at bigint NOT NULL,
      file jsonb NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (issuer_kid, sequence)
    )`,
    `CREATE TABLE revoked_licenses (
      issuer_kid text NOT NULL,
      sequence bigint NOT NULL,
      authority_id text NOT NULL,
      serial text NOT NULL,
      issued_at bigint NOT NULL,
      PRIMARY KEY (issuer_kid, sequence, serial),
      FOREIGN KEY (issuer_kid, sequence) REFERENCES revocation_lists (issuer_kid, sequence)
    )`,
    `CREATE INDEX revoked_licenses_identity ON revoked_licenses (authority_id, serial, issued_at)`,
    `CREATE TABLE revoked_authority_keys (
      issuer_kid text NOT NULL,
      sequence bigint NOT NULL,
      kid text NOT NULL,
      issued_at bigint NOT NULL,
      PRIMARY KEY (issuer_kid, sequence, kid),
      FOREIGN KEY (issuer_kid, sequence) REFERENCES revocation_lists (issuer_kid, sequence)
    )`,
    `CREATE INDEX revoked_authority_keys_kid ON revoked_authority_keys (kid, issued_at)`,
  ],
};
