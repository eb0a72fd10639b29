// Refunds across business days: a day may refund a sale of an earlier day, so ingest finds that
// sale and what was already refunded or voided of it by transaction id (entries_sale_transaction,
// entries_refunded_sale; voids have entries_voided_sale), and the account statement reads an
// account's refunds by time (entries_account_refunds) next to its approvals.
import type { Migration } from './migration';

export const migration007: Migration = {
  version: 7,
  name: 'held-sales',
  statements: [
    `CREATE INDEX entries_sale_transaction ON entries (transaction_id) WHERE kind = 'sale'`,
    `CREATE INDEX entries_refunded_sale ON entries (original_transaction_id) WHERE kind = 'refund'`,
    `CREATE INDEX entries_account_refunds ON entries (account_id, recorded_at) WHERE kind = 'refund'`,
  ],
};
