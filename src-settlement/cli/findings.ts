// `settlement findings`: the findings held, and one finding's evidence file.
import { writeFile } from 'node:fs/promises';
import { FINDING_KINDS, type FindingKind } from '../detect/finding';
import { findingEvidence, listFindings } from '../detect/list-findings';
import { parseArgs } from 'node:util';
import { command, COMMON_OPTIONS, printJson, UsageError, withDatabase } from './options';

export const help = `usage: npm run settlement -- findings [--kind KIND] [--db LOCATION] [--json]
       npm run settlement -- findings evidence <id> [--out FILE]

Lists the findings (kinds: ${FINDING_KINDS.join(', ')}), or writes one finding's evidence file
(JSON, checkable with docs/protocol.md and docs/ledger.md alone; see docs/settlement.md).`;

const isKind = (text: string): text is FindingKind => (FINDING_KINDS as readonly string[]).includes(text);

export async function run(args: string[]): Promise<number> {
  return command(help, async () => {
    const { values, positionals } = parseArgs({
      args,
      options: {
        ...COMMON_OPTIONS,
        kind: { type: 'string' },
        out: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    const [what, id] = positionals;
    if (values.kind !== undefined && !isKind(values.kind)) throw new UsageError(`unknown kind ${values.kind}\n\n${help}`);
    const kind = values.kind !== undefined && isKind(values.kind) ? values.kind : undefined;
    return withDatabase(values.db, async (db) => {
      if (what === 'evidence') {
        if (!id || !/^\d+$/.test(id)) throw new UsageError(`name the finding's id\n\n${help}`);
        const text = `${JSON.stringify(await findingEvidence(db, Number(id)), null, 2)}\n`;
        if (values.out) {
          await writeFile(values.out, text);
          console.log(`evidence of finding ${id} written to ${values.out}`);
        } else process.stdout.write(text);
        return 0;
      }
      if (what !== undefined) throw new UsageError(help);
      const findings = await listFindings(db, kind ? { kind } : {});
      if (values.json) printJson(findings);
      else if (findings.length === 0) console.log('no findings');
      else for (const f of findings) console.log(`#${f.id} ${f.kind}: ${f.summary}`);
      return 0;
    });
  });
}
