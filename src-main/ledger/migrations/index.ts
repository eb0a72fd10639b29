import { migration001 } from './001-entries';
import { migration002 } from './002-line-items';
import { migration003 } from './003-append-only';
import { migration004 } from './004-day-voids';
import { migration005 } from './005-license-identity';
import { migration006 } from './006-anchors';
import { migration007 } from './007-refunds';
import { migration008 } from './008-transaction-ids';
import type { Migration } from './types';

/**
 * Every migration, in order of `version`. Never edit a released one: add a file. Versions are
 * numbered per branch while several are written at once, so the list may skip a number.
 */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export type { Migration };
