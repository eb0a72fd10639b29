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

/**
 * `full`: SQLite's integrity_check, which also compares every index with its table (a corrupt
 * index could let a transaction id be recorded twice); otherwise the quicker quick_check.
 */
export function checkIntegrity(db: Database.Database, { full = false }: { full?: boolean } = {}): IntegrityReport {
  const problems: string[] = [];
  const pragma = full ? 'integrity_check' : 'quick_check';
  const lines = db.pragma(pragma, { simple: false }) as Record<string, string>[];
  for (const line of lines) {
    const text = line[pragma];
    if (text !== 'ok') problems.push(`sqlite: ${String(text)}`);
  }
  const present = new Set(
    (prepared(db, "SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]).map((t) => t.name),
  );
  for (const name of REQUIRED_TRIGGERS) if (!present.has(name)) problems.push(`trigger ${name} is missing`);
  const orphans = prepared(db, 'SELECT COUNT(*) AS n FROM line_items WHERE entry_seq NOT IN (SELECT seq FROM entries)').get() as {
    n: number;
  };
  if (orphans.n > 0) problems.push(`${orphans.n} line items belong to no row`);
  const chain = verifyChain(db);
  if (chain.firstBroken) {
    problems.push(`chain broken at sequence ${chain.firstBroken.seq}: ${chain.firstBroken.problem} (${chain.firstBroken.detail})`);
  }
  return { ok: problems.length === 0, problems, chain };
}
