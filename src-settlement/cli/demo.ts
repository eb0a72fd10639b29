// `settlement demo`: three demo terminals' business days built with the reference wallet (a
// cloned phone at two terminals, a revoked and an expired license approved by a terminal without
// the list, a ledger restored from an old copy), ingested into an in-memory database, findings
// printed. No server, no files kept unless --keep.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite } from '../db/pglite';
import { listFindings } from '../detect/list-findings';
import { ingestDay } from '../ingest/ingest-day';
import { migrate } from '../migrations/migrate';
import { draftRevocationLists } from '../revocations/draft';
import { importRevocationList } from '../revocations/import-list';
import { merchantDayStatement } from '../statements/merchant-day';
import { addAuthorityKey } from '../store/authorities';
import { enrolTerminal } from '../store/terminals';
import { buildDemoWorld } from '../demo/demo-world';
import { parseArgs } from 'node:util';
import { command, COMMON_OPTIONS, printJson } from './options';
import { formatMinor } from '../../src-main/ledger/money';

export const help = `usage: npm run settlement -- demo [--keep DIR] [--json]

Builds three demo terminals' business days with the reference wallet, ingests them into an
in-memory database and prints the findings (every kind appears) and a statement. --keep DIR
keeps the terminals and their export folders in DIR (try \`settlement ingest\` on them).`;

export async function run(args: string[]): Promise<number> {
  return command(help, async () => {
    const { values } = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, keep: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const dir = values.keep ?? (await mkdtemp(join(tmpdir(), 'settlement-demo-')));
    const say = (text: string) => {
      if (!values.json) console.log(text);
    };
    try {
      say("building three terminals' days with the reference wallet ...");
      const world = await buildDemoWorld(dir);
      const db = await openPglite('memory://');
      try {
        await migrate(db);
        for (const entry of world.trustEntries) await addAuthorityKey(db, entry);
        for (const t of world.terminals) await enrolTerminal(db, t);
        say(
          `enrolled ${world.terminals.map((t) => `${t.terminalId} (${t.merchantId})`).join(', ')}; ${world.trustEntries.length} authority keys`,
        );
        const ingests = [];
        for (const day of world.days) {
          const result = await ingestDay(db, { folder: day.folder }, { workers: 0 });
          ingests.push({ folder: day.folder, ...result });
          say(
            `ingest ${day.terminalId} ${day.businessDate}: ${result.status === 'stored' ? `stored, ${result.rows} rows, ${result.findings.length} finding(s)` : 'already held'}`,
          );
        }
        const again = await ingestDay(db, { folder: world.days[0]?.folder ?? '' }, { workers: 0 });
        say(
          `ingest ${world.days[0]?.terminalId} ${world.days[0]?.businessDate} again: ${again.status === 'already_held' ? 'already held, nothing written' : again.status}`,
        );
        const imported = await importRevocationList(db, world.revocationFile);
        say(`revocation list #${imported.sequence} of ${imported.issuerKid} imported: ${imported.findings.length} finding(s)`);
        const findings = await listFindings(db);
        const statement = await merchantDayStatement(db, 'M-100', world.days[0]?.businessDate ?? '');
        const drafts = await draftRevocationLists(db);
        if (values.json) {
          printJson({
            dir: values.keep ?? null,
            ingests,
            findings,
            statement,
            drafts,
          });
          return 0;
        }
        say('');
        say(`findings (${findings.length}):`);
        for (const f of findings) say(`  #${f.id} ${f.kind}: ${f.summary}`);
        const kinds = new Set(findings.map((f) => f.kind));
        say(`kinds found: ${[...kinds].sort().join(', ')}`);
        say('');
        say(`statement of merchant ${statement.merchantId} for ${statement.businessDate}:`);
        for (const t of statement.totals)
          say(
            `  ${t.currency}: approved ${formatMinor(t.approvedTotal, t.currency)}, voided ${formatMinor(t.voidTotal, t.currency)}, net ${formatMinor(t.netTotal, t.currency)}`,
          );
        say('');
        for (const d of drafts)
          say(
            `draft revocation list #${d.sequence} of ${d.issuerKid}: ${d.added.map((a) => a.serial).join(', ')} added; sign with: ${d.command.join(' ')}`,
          );
        say('');
        say(
          `evidence of a finding: npm run settlement -- demo --keep DIR, then ingest DIR/exports/* into a database and \`findings evidence <id>\``,
        );
        return 0;
      } finally {
        await db.close();
      }
    } finally {
      if (!values.keep) await rm(dir, { recursive: true, force: true });
    }
  });
}
