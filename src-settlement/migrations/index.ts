// Every migration of the settlement schema, in order.
import type { Migration } from './migration';
import { migration001 } from './001-terminals';
import { migration002 } from './002-authorities';
import { migration003 } from './003-days';
import { migration004 } from './004-findings';
import { migration005 } from './005-refunds';
import { migration006 } from './006-ledger-heads';
import { migration007 } from './007-held-sales';

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
];
