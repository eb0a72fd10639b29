// `npm run cli -- verify-export <manifest> [--trust FILE] [--terminal-key KEYID]`
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadTrustStore } from '../export/trust-file';
import { verifyExport } from '../export/verify-export';
import { dataDirFromEnv } from './ledger';
import { parseArgsMessage, usageError } from './usage';

export const help = `usage: npm run cli -- verify-export <manifest.json> [--trust FILE] [--terminal-key KEYID] [--previous FILE]
                                   [--max-lines N] [--workers N] [--json]

Verifies an exported business day from its files alone: the manifest signature (terminal key),
the SHA-256 of the CSV, items CSV and JSONL files, the hash chain of every row, counts and totals,
and every approval's license and authorization signatures against a trust store.

  --trust FILE          authority keys: the terminal's trust-store.json, an array of trust-store
                        entries, or one entry (default: <data dir>/trust-store.json when present)
  --terminal-key KEYID  the terminal key id (hex) settlement registered; without it the key that
                        signed is reported but not pinned
  --max-lines N         print at most N problem lines (default 1000; the count stays exact)
  --workers N           worker threads for row and signature checks (default: CPUs - 1, at least 1;
                        0 = all on one thread)
  --previous FILE       the previous business day's manifest: checks that this day's first row
                        links to its last row (no rows or days missing in between). May be given
                        again for earlier days: every refund must name a sale of this export or
                        of one given here, and stay within what that sale has left
  --json                print one JSON object instead: ok, summary, the figures, the terminal key,
                        and "problems" as [{ "code", "detail" }] (codes in docs/ledger.md)

Prints one line per problem, then a summary. Exit code 0 only when everything verifies,
1 when something does not, 2 for wrong usage.`;

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        trust: { type: 'string' },
        'terminal-key': { type: 'string' },
        'max-lines': { type: 'string' },
        workers: { type: 'string' },
        previous: { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
    });
  } catch (error) {
    return usageError('verify-export', parseArgsMessage(error));
  }
  const [manifest, ...extra] = parsed.positionals;
  if (!manifest || extra.length > 0) {
    return usageError('verify-export', 'give exactly one manifest file');
  }
  const maxLines = parsed.values['max-lines'] === undefined ? 1000 : Number(parsed.values['max-lines']);
  if (parsed.values.workers !== undefined && !/^\d+$/.test(parsed.values.workers)) {
    console.error('verify-export: --workers must be a non-negative integer');
    return 2;
  }
  if (!Number.isInteger(maxLines) || maxLines < 0) {
    console.error('verify-export: --max-lines must be a non-negative integer');
    return 2;
  }
  let trustPath = parsed.values.trust;
  if (trustPath === undefined) {
    const fallback = join(dataDirFromEnv(), 'trust-store.json');
    if (existsSync(fallback)) trustPath = fallback;
  }
  let authorities;
  if (trustPath !== undefined) {
    try {
      authorities = loadTrustStore(trustPath).authorities;
    } catch (error) {
      console.error(`verify-export: cannot use trust store ${trustPath}: ${(error as Error).message}`);
      return 2;
    }
  }
  const result = await verifyExport(manifest, {
    authorities,
    // The main thread reads and keeps the books too: one worker fewer than CPUs, at least one.
    workers: parsed.values.workers === undefined ? Math.max(1, availableParallelism() - 1) : Number(parsed.values.workers),
    expectTerminalKeyId: parsed.values['terminal-key'],
    maxProblemLines: maxLines,
    previousManifestPath: parsed.values.previous,
  });
  if (parsed.values.json) {
    // For a settlement system: the problems with their stable codes, on one line.
    const { ok, summary, rows, transactions, approvalsVerified, licenses, problemCount, issues } = result;
    const terminalKey = { id: result.terminalKeyId, fingerprint: result.terminalKeyFingerprint, pinned: result.terminalKeyPinned };
    console.log(
      JSON.stringify({ ok, summary, rows, transactions, approvalsVerified, licenses, terminalKey, problemCount, problems: issues }),
    );
    return ok ? 0 : 1;
  }
  for (const line of result.problems) console.log(line);
  if (result.problemCount > result.problems.length) console.log(`... and ${result.problemCount - result.problems.length} more problems`);
  console.log(result.summary);
  return result.ok ? 0 : 1;
}
