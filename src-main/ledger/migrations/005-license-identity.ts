import type { Migration } from './types';

/**
 * A license is (authority, serial), not a serial alone (docs/protocol.md §10, "Authority id"):
 * rows gain the authority id of the trust-store key that the license named, and the per-license
 * look-ups (counter, offline spend) get an index on the pair. Rows written before this have no
 * authority_id and stay as they are (the table is append-only and their hashes cover what they
 * hold): their authority is their authority_kid, the meaning a trust-store entry without an
 * authority id has. LICENSE_AUTHORITY in queries.ts is that rule; this index is on the same
 * expression so the look-ups use it.
 */
export const migration005: Migration = {
  version: 5,
  name: 'license-identity',
  up(db) {
    db.exec(`
      ALTER TABLE entries ADD COLUMN authority_id TEXT;
      DROP INDEX entries_by_license;
      CREATE INDEX entries_by_license_identity
        ON entries (license_serial, COALESCE(authority_id, authority_kid), currency)
        WHERE license_serial IS NOT NULL AND kind = 'sale' AND status = 'approved';
    `);
  },
};
