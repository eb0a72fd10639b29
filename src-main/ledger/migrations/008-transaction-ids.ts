import type { Migration } from './types';

/**
 * A second index of transaction ids, beside the UNIQUE constraint's own. Every row is appended
 * only after this one is asked too (ledger.ts `append`): a damaged page of the unique index that
 * no longer finds an id (a flipped byte that quick_check, which never compares indexes with their
 * table, does not see) cannot let that id be recorded twice, because the other b-tree still finds it.
 */
export const migration008: Migration = {
  version: 8,
  name: 'transaction-ids',
  up(db) {
    db.exec('CREATE INDEX entries_transaction_ids ON entries (transaction_id) WHERE transaction_id IS NOT NULL;');
  },
};
