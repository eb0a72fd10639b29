// Findings: one row per thing found (a stable kind, a subject that makes it unique, its evidence
// as JSON) and the ledger rows it involves.
import type { Migration } from './migration';

export const migration004: Migration = {
  version: 4,
  name: 'findings',
  statements: [
    `CREATE TABLE findings (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('counter_reuse', 'offline_limit_exceeded', 'ledger_fork', 'ledger_gap', 'revoked_license_approved', 'expired_license_approved')),
      subject text NOT NULL,
      day_id bigint REFERENCES days (id),
      authority_id text,
      license_serial text,
      key_id text,
      summary text NOT NULL,
      evidence jsonb NOT NULL,
      found_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (kind, subject)
    )`,
    `CREATE TABLE finding_rows (
      finding_id bigint NOT NULL REFERENCES findings (id),
      day_id bigint NOT NULL,
      seq bigint NOT NULL,
      PRIMARY KEY (finding_id, day_id, seq),
      FOREIGN KEY (day_id, seq) REFERENCES entries (day_id, seq)
    )`,
  ],
};
