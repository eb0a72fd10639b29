// Migration 1: enrolled terminal keys and their retirements.
import { describeMigration, tableNames } from './migration-case';

describeMigration({ version: 1, present: tableNames, adds: ['terminal_keys', 'terminal_key_retirements'] });
