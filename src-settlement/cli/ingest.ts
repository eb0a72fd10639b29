// `settlement ingest <folder>...`: stores terminals' business days from their export folders.
import { ingestDay, type IngestResult } from '../ingest/ingest-day';
import { SettlementError } from '../errors';
import { parseArgs } from 'node:util';
import { command, COMMON_OPTIONS, printJson, UsageError, withDatabase } from './options';

export const help = `usage: npm run settlement -- ingest <export folder>... [--workers N] [--db LOCATION] [--json]

Verifies each folder's export (the four files of one business day, signed by an enrolled
terminal key) and stores it whole, then checks it against everything held and prints what it
found. A day already held is reported as such and nothing is written. Exit 0 when every folder
was stored or already held, 1 when one was refused (its code and problems are printed).`;

function line(folder: string, result: IngestResult): string {
  if (result.status === 'already_held')
    return `${folder}: already held (day ${result.dayId}, ${result.terminalId} ${result.businessDate}, stored ${result.ingestedAt}); nothing written`;
  const found =
    result.findings.length === 0
      ? 'no findings'
      : `${result.findings.length} finding(s):\n${result.findings.map((f) => `  #${f.id} ${f.kind}: ${f.summary}`).join('\n')}`;
  return `${folder}: stored as day ${result.dayId} (${result.terminalId} ${result.businessDate}, ${result.rows} rows, ${result.approvals} approvals verified); ${found}`;
}

export async function run(args: string[]): Promise<number> {
  return command(help, async () => {
    const { values, positionals } = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, workers: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length === 0) throw new UsageError(`name at least one export folder\n\n${help}`);
    const workers = values.workers === undefined ? undefined : Number(values.workers);
    if (workers !== undefined && (!Number.isSafeInteger(workers) || workers < 0)) throw new UsageError('--workers must be a whole number');
    return withDatabase(values.db, async (db) => {
      let failed = 0;
      for (const folder of positionals) {
        try {
          const result = await ingestDay(db, { folder }, workers === undefined ? {} : { workers });
          if (values.json) printJson({ folder, ok: true, ...result });
          else console.log(line(folder, result));
        } catch (error) {
          if (!(error instanceof SettlementError)) throw error;
          failed += 1;
          if (values.json)
            printJson({
              folder,
              ok: false,
              code: error.code,
              detail: error.detail,
              problems: error.problems,
            });
          else {
            console.error(`${folder}: refused, ${error.code}: ${error.detail}`);
            for (const problem of error.problems) console.error(`  ${problem.code}: ${problem.detail}`);
          }
        }
      }
      return failed === 0 ? 0 : 1;
    });
  });
}
