// Migration 2: authority keys and the revocation lists the service holds.
import { describeMigration, tableNames } from './migration-case';

describeMigration({
  version: 2,
  present: tableNames,
  adds: ['authority_keys', 'revocation_lists', 'revoked_licenses', 'revoked_authority_keys'],
});
