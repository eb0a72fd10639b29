// `settlement enrol`: what the settlement desk registers: terminal keys (with their terminal and
// merchant), their retirement, and the authorities' trust entries.
import { readFile } from 'node:fs/promises';
import { SettlementError } from '../errors';
import { addAuthorityKey } from '../store/authorities';
import { enrolTerminal, listEnrolments, retireTerminal } from '../store/terminals';
import { parseArgs } from 'node:util';
import { command, COMMON_OPTIONS, printJson, UsageError, withDatabase } from './options';

export const help = `usage: npm run settlement -- enrol <what> [--db LOCATION]

  enrol terminal --key-id KEYID --terminal T --merchant M
        pins a terminal's key (the key id \`npm run cli -- ledger key\` prints on the terminal)
  enrol retire --key-id KEYID --reason TEXT
        refuses that key's uploads from now on (what it uploaded before stays)
  enrol authority <trust-entry.json>...
        an authority key licenses are verified against (\`npm run cli -- authority export-trust\`)
  enrol list [--json]
        the enrolled terminal keys`;

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    throw new SettlementError('BAD_INPUT', `${path}: ${(error as Error).message}`);
  }
}

export async function run(args: string[]): Promise<number> {
  return command(help, async () => {
    const { values, positionals } = parseArgs({
      args,
      options: {
        ...COMMON_OPTIONS,
        'key-id': { type: 'string' },
        terminal: { type: 'string' },
        merchant: { type: 'string' },
        reason: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    const [what, ...files] = positionals;
    return withDatabase(values.db, async (db) => {
      switch (what) {
        case 'terminal': {
          const { enrolment, created } = await enrolTerminal(db, {
            keyId: values['key-id'] ?? '',
            terminalId: values.terminal ?? '',
            merchantId: values.merchant ?? '',
          });
          if (values.json) printJson({ created, ...enrolment });
          else
            console.log(
              `${created ? 'enrolled' : 'already enrolled'}: key ${enrolment.keyId} = terminal ${enrolment.terminalId} of merchant ${enrolment.merchantId}`,
            );
          return 0;
        }
        case 'retire': {
          if (!values['key-id'] || !values.reason) throw new UsageError(`enrol retire needs --key-id and --reason\n\n${help}`);
          const enrolment = await retireTerminal(db, values['key-id'].toLowerCase(), values.reason);
          if (values.json) printJson(enrolment);
          else console.log(`retired: key ${enrolment.keyId} (${enrolment.terminalId}) since ${enrolment.retiredAt}`);
          return 0;
        }
        case 'authority': {
          if (files.length === 0) throw new UsageError(`name at least one trust entry file\n\n${help}`);
          for (const file of files) {
            const { authority, created } = await addAuthorityKey(db, await readJson(file));
            if (values.json) printJson({ file, created, kid: authority.kid });
            else console.log(`${created ? 'added' : 'already held'}: authority key ${authority.kid}`);
          }
          return 0;
        }
        case 'list': {
          const list = await listEnrolments(db);
          if (values.json) printJson(list);
          else
            for (const e of list)
              console.log(
                `${e.keyId}  ${e.terminalId}  ${e.merchantId}  enrolled ${e.enrolledAt}${e.retiredAt ? `  retired ${e.retiredAt}` : ''}`,
              );
          return 0;
        }
        default:
          throw new UsageError(help);
      }
    });
  });
}
