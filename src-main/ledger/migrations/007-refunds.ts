import type Database from 'better-sqlite3';
import type { Migration } from './types';

// The CHECK constraints of `entries` as migration 001 wrote them, and what they become. SQLite
// cannot alter a CHECK constraint, so the table is rebuilt from its own stored definition with
// these three texts replaced (columns other migrations added stay as they are).
const CHECKS: readonly (readonly [string, string])[] = [
  ["kind IN ('sale', 'void', 'close')", "kind IN ('sale', 'void', 'close', 'refund')"],
  ["status IN ('approved', 'declined', 'voided', 'closed')", "status IN ('approved', 'declined', 'voided', 'closed', 'refunded')"],
  [
    "OR (kind = 'close' AND status = 'closed' AND transaction_id IS NULL AND z_number IS NOT NULL)",
    "OR (kind = 'close' AND status = 'closed' AND transaction_id IS NULL AND z_number IS NOT NULL)\n" +
      "          OR (kind = 'refund' AND status = 'refunded' AND transaction_id IS NOT NULL\n" +
      '            AND original_transaction_id IS NOT NULL AND amount IS NOT NULL AND amount > 0 AND currency IS NOT NULL\n' +
      '            AND operator IS NOT NULL)',
  ],
];

function refundableDefinition(sql: string): string {
  let next = sql;
  for (const [from, to] of CHECKS) {
    const at = next.indexOf(from);
    if (at < 0 || next.indexOf(from, at + 1) >= 0)
      throw new Error(`migration 007: the entries table does not have the constraint "${from}" once`);
    next = next.replace(from, to);
  }
  return next;
}

/**
 * Refund rows (kind 'refund', status 'refunded'): a row of their own kind that names the sale,
 * carries the refunded amount, reason (note) and who authorised it (operator). The rebuild keeps
 * every row byte for byte, in order; indexes and triggers are re-created from their stored SQL.
 * A sale's refunds are found through a partial index, so its remainder is derived, never stored.
 */
export const migration007: Migration = {
  version: 7,
  name: 'refunds',
  up(db: Database.Database) {
    const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'entries'").pluck().get() as string;
    const definition = refundableDefinition(table).replace(/^CREATE TABLE entries\b/, 'CREATE TABLE entries_rebuilt');
    // Every trigger (they name entries in their bodies) and the indexes of entries, to re-create.
    const dependents = db
      .prepare(
        `SELECT type, name, sql FROM sqlite_schema
          WHERE sql IS NOT NULL AND (type = 'trigger' OR (type = 'index' AND tbl_name = 'entries'))
          ORDER BY type, name`,
      )
      .all() as { type: 'index' | 'trigger'; name: string; sql: string }[];
    for (const d of dependents) db.exec(`DROP ${d.type.toUpperCase()} ${d.name}`);
    // SQLite's own recipe for changing a table's constraints (migrate() runs with foreign keys
    // off and checks them before COMMIT): line_items keeps referencing "entries" by name.
    db.exec(definition);
    db.exec('INSERT INTO entries_rebuilt SELECT * FROM entries ORDER BY seq');
    db.exec('DROP TABLE entries');
    db.exec('ALTER TABLE entries_rebuilt RENAME TO entries');
    for (const d of dependents.filter((x) => x.type === 'index')) db.exec(d.sql);
    db.exec(`CREATE INDEX entries_refunds_of ON entries (original_transaction_id) WHERE kind = 'refund';`);
    for (const d of dependents.filter((x) => x.type === 'trigger')) db.exec(d.sql);
  },
};
