// The ledger's own health check: SQLite structure, the append-only triggers, the hash chain.
import type Database from 'better-sqlite3';
import { verifyChain, type ChainCheck } from './chain';
import { prepared } from './prepared';

export const REQUIRED_TRIGGERS = [
  'entries_no_update',
  'entries_no_delete',
  'entries_seq_gap_free',
  'entries_no_replace',
  'line_items_no_replace',
  'meta_no_replace',
  'line_items_no_update',
  'line_items_no_delete',
  'meta_no_update',
  'meta_no_delete',
  'exports_no_update',
  'exports_no_delete',
  'adoptions_no_update',
  'adoptions_no_delete',
] as const;

export interface IntegrityReport {
  ok: boolean;
  problems: string[]; // one line per problem, first chain break included
  chain: ChainCheck;
}

export function checkIntegrity(db: Database.Database): IntegrityReport {
  const problems: string[] = [];
  const quick = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
  for (const line of quick) if (line.quick_check !== 'ok') problems.push(`sqlite: ${line.quick_check}`);
  const present = new Set(
    (prepared(db, "SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]).map((t) => t.name),
  );
  for (const name of REQUIRED_TRIGGERS) if (!present.has(name)) problems.push(`trigger ${name} is missing`);
  const orphans = prepared(db, 'SELECT COUNT(*) AS n FROM line_items WHERE entry_seq NOT IN (SELECT seq FROM entries)')
    .get() as { n: number };
  if (orphans.n > 0) problems.push(`${orphans.n} line items belong to no row`);
  const chain = verifyChain(db);
  if (chain.firstBroken) {
    problems.push(`chain broken at sequence ${chain.firstBroken.seq}: ${chain.firstBroken.problem} (${chain.firstBroken.detail})`);
  }
  return { ok: problems.length === 0, problems, chain };
}
