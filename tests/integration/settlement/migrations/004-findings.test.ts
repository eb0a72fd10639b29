// Migration 4: findings and the ledger rows they involve.
import { describeMigration, tableNames } from './migration-case';

describeMigration({ version: 4, present: tableNames, adds: ['findings', 'finding_rows'] });
