// What each signed manifest says about its ledger beyond the day's own rows: the ledger's last row
// when it was exported (`ledgerHead`), when it was made (`generatedAt`, the terminal's clock) and
// the business day before it (`previousDay`). Generated from the manifest kept byte for byte, so
// no row is ever updated and days stored before this migration get them too; detection
// (ledger_fork, ledger_gap) reads them through days_key_date.
import type { Migration } from './migration';

export const migration006: Migration = {
  version: 6,
  name: 'ledger-heads',
  statements: [
    `ALTER TABLE days
       ADD COLUMN head_seq bigint GENERATED ALWAYS AS (((manifest::jsonb) #>> '{ledgerHead,seq}')::bigint) STORED,
       ADD COLUMN head_hash text GENERATED ALWAYS AS ((manifest::jsonb) #>> '{ledgerHead,hash}') STORED,
       ADD COLUMN generated_at text GENERATED ALWAYS AS ((manifest::jsonb) #>> '{generatedAt}') STORED,
       ADD COLUMN previous_business_date text GENERATED ALWAYS AS ((manifest::jsonb) #>> '{previousDay,businessDate}') STORED`,
  ],
};
