import { migration001 } from './001-entries';
import { migration002 } from './002-line-items';
import { migration003 } from './003-append-only';
import { migration004 } from './004-day-voids';
import { migration005 } from './005-license-identity';
import type { Migration } from './types';

/** Every migration, in order; `version` equals its position + 1. Never edit a released one: add a file. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005];

export const LATEST_VERSION = MIGRATIONS.length;

export type { Migration };
