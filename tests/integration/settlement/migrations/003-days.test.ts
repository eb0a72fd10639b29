// Migration 3: business days, their ledger rows, the licenses seen and each day's spend per license.
import { describeMigration, tableNames } from './migration-case';

describeMigration({ version: 3, present: tableNames, adds: ['days', 'entries', 'licenses', 'license_day_spend'] });
