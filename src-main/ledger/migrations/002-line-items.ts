import type { Migration } from './types';

/** Line items of a sale (the checkout's bill), one row per item, in the order the cashier entered them. */
export const migration002: Migration = {
  version: 2,
  name: 'line-items',
  up(db) {
    db.exec(`
      CREATE TABLE line_items (
        entry_seq INTEGER NOT NULL REFERENCES entries (seq),
        position INTEGER NOT NULL CHECK (position >= 1),
        description TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity >= 1),
        unit_price INTEGER NOT NULL,
        PRIMARY KEY (entry_seq, position)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
