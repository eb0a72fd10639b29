import { migration001 } from './001-entries';
import { migration002 } from './002-line-items';
import { migration003 } from './003-append-only';
import { migration004 } from './004-day-voids';
import { migration007 } from './007-refunds';
import type { Migration } from './types';

/**
 * Every migration, in order of version. Never edit a released one: add a file. (Numbers are given
 * out per change in progress, so one may be missing until the change that owns it lands.)
 */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration007];

export const LATEST_VERSION = MIGRATIONS.reduce((latest, migration) => Math.max(latest, migration.version), 0);

export type { Migration };
