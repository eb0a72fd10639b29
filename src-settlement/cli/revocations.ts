// `settlement revocations`: the draft of the next list for the authorities to sign, the import of
// a signed list, and the newest signed lists (what terminals take back).
import { readFile, writeFile } from 'node:fs/promises';
import { SettlementError } from '../errors';
import { draftRevocationLists } from '../revocations/draft';
import { importRevocationList, latestRevocationLists } from '../revocations/import-list';
import { parseArgs } from 'node:util';
import { command, COMMON_OPTIONS, printJson, UsageError, withDatabase } from './options';

export const help = `usage: npm run settlement -- revocations draft [--json]
       npm run settlement -- revocations import <signed-list.json>...
       npm run settlement -- revocations latest [--out FILE] [--json]

draft: per authority, the licenses behind counter_reuse and offline_limit_exceeded findings that
its newest list does not revoke yet, with the command that signs the next list
(\`npm run cli -- authority revoke\`). import: a list signed by an authority (verified against the
authority keys held); approvals already held that it catches become findings. latest: the newest
signed list of each authority, as signed (a file terminals import).`;

export async function run(args: string[]): Promise<number> {
  return command(help, async () => {
    const { values, positionals } = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, out: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const [what, ...files] = positionals;
    return withDatabase(values.db, async (db) => {
      if (what === 'draft') {
        const drafts = await draftRevocationLists(db);
        if (values.json) printJson(drafts);
        else if (drafts.length === 0) console.log('nothing to revoke: no finding names a license the newest lists do not already revoke');
        else {
          for (const d of drafts) {
            console.log(
              `authority ${d.issuerKid}: list #${d.sequence} would revoke ${d.licenseSerials.length} serial(s), new: ${d.added.map((a) => `${a.serial} (findings ${a.findings.map((f) => `#${f.id} ${f.kind}`).join(', ')})`).join('; ')}`,
            );
            console.log(`  sign with: ${d.command.join(' ')}`);
          }
        }
        return 0;
      }
      if (what === 'import') {
        if (files.length === 0) throw new UsageError(`name the signed list file\n\n${help}`);
        for (const file of files) {
          let json: unknown;
          try {
            json = JSON.parse(await readFile(file, 'utf8')) as unknown;
          } catch (error) {
            throw new SettlementError('BAD_REVOCATION_LIST', `${file}: ${(error as Error).message}`);
          }
          const imported = await importRevocationList(db, json);
          if (values.json) printJson({ file, ...imported });
          else {
            console.log(
              `${file}: ${imported.status === 'stored' ? 'stored' : 'already held'}: list #${imported.sequence} of ${imported.issuerKid} (${imported.licenseSerials} serial(s), ${imported.authorityKids} key(s))`,
            );
            for (const f of imported.findings) console.log(`  #${f.id} ${f.kind}: ${f.summary}`);
          }
        }
        return 0;
      }
      if (what === 'latest') {
        const lists = await latestRevocationLists(db);
        if (values.out) {
          if (lists.length !== 1)
            throw new SettlementError('NOT_FOUND', `--out writes one list; ${lists.length} authorities have lists (use --json)`);
          await writeFile(values.out, `${JSON.stringify(lists[0]?.file, null, 2)}\n`);
          console.log(`list #${lists[0]?.sequence} of ${lists[0]?.issuerKid} written to ${values.out}`);
        } else if (values.json) printJson(lists);
        else if (lists.length === 0) console.log('no signed revocation list held');
        else for (const l of lists) console.log(`${l.issuerKid}: list #${l.sequence} issued ${l.issuedAt}`);
        return 0;
      }
      throw new UsageError(help);
    });
  });
}
