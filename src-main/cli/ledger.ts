// `npm run cli -- ledger <subcommand>`: the terminal's ledger from the command line (integrity
// check, X report, business-day export, terminal key). Reads <data dir>/ledger.sqlite read-only
// and never creates a data folder, a ledger or a key; `adopt` is the one subcommand that writes.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportBusinessDay } from '../export/export-day';
import { loadTerminalKey } from '../export/terminal-key';
import { isLedgerError } from '../ledger/errors';
import { Ledger } from '../ledger/ledger';
import { parseArgsMessage, usageError } from './usage';

export const help = `usage: npm run cli -- ledger <subcommand> [--data-dir DIR] [--file LEDGER.sqlite] [options]

  check                      SQLite integrity_check (every page and index), append-only
                             triggers, the whole hash chain and the chain-head file;
                             one line per problem, exit 0 only when intact
  report [--date YYYY-MM-DD] X report of a business day (default: the open day) as JSON
  days                       business days with their row counts and Z numbers
  export --date YYYY-MM-DD --out DIR
                             write the day's CSV, items CSV, JSONL and signed manifest into DIR
  key                        the terminal key id and fingerprint that signs exports
  adopt --reason TEXT (--pin PIN | --new-pin PIN --confirm-ledger ID) [--country CC] [--merchant-name NAME]
                             take the folder's ledger as the terminal's own after restoring a
                             backup on purpose, or rebuild a lost settings.json from it (needs
                             --country); recorded in the ledger. Without a PIN file: --new-pin and
                             the ledger id typed out (offline recovery, docs/app-services.md)

Exit codes: 0 done (check: intact), 1 check or export found a problem, 2 usage, a missing data
folder, or a file that is missing, unreadable or not what it should be (named in the message).
The data folder is --data-dir, else $CASHIER_DATA_DIR, else ~/.local/share/nfc-cashier.
Terminal id, merchant id, time zone and cut-off come from its settings.json; override them with
--terminal ID --merchant ID --time-zone ZONE --cutoff HOUR.`;

/** The data folder outside Electron: CASHIER_DATA_DIR, else ~/.local/share/nfc-cashier. */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.CASHIER_DATA_DIR && env.CASHIER_DATA_DIR !== '' ? env.CASHIER_DATA_DIR : join(homedir(), '.local', 'share', 'nfc-cashier');
}

const OPTIONS = {
  'data-dir': { type: 'string' },
  file: { type: 'string' },
  date: { type: 'string' },
  out: { type: 'string' },
  terminal: { type: 'string' },
  merchant: { type: 'string' },
  'time-zone': { type: 'string' },
  cutoff: { type: 'string' },
  pin: { type: 'string' },
  'new-pin': { type: 'string' },
  'confirm-ledger': { type: 'string' },
  country: { type: 'string' },
  'merchant-name': { type: 'string' },
  reason: { type: 'string' },
} as const;

/** Wrong usage or a setup problem (exit code 2). */
class SetupProblem extends Error {}

interface Context {
  dataDir: string;
  terminalKeyId: string | undefined;
  ledgerPath: string;
  terminalId: string;
  merchantId: string;
  timeZone: string;
  cutoffHour: number;
}

async function context(values: Record<string, string | undefined>): Promise<Context> {
  const dataDir = values['data-dir'] ?? dataDirFromEnv();
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) throw new SetupProblem(`no data folder at ${dataDir}`);
  let fromSettings: { terminalId?: string; merchantId?: string; timeZone?: string; cutoffHour?: number; terminalKeyId?: string } = {};
  const { openSettings } = await import('../app/settings');
  const settings = openSettings(dataDir);
  if (settings.exists()) {
    const s = settings.get();
    const profile = settings.profile();
    fromSettings = {
      terminalId: s.terminalId,
      merchantId: s.merchantId,
      timeZone: profile.timeZone,
      cutoffHour: profile.cutoffHour,
      terminalKeyId: s.terminalKeyId,
    };
  }
  return {
    dataDir,
    terminalKeyId: fromSettings.terminalKeyId,
    ledgerPath: values.file ?? join(dataDir, 'ledger.sqlite'),
    terminalId: values.terminal ?? (fromSettings.terminalId || 'terminal'),
    merchantId: values.merchant ?? (fromSettings.merchantId || 'merchant'),
    timeZone: values['time-zone'] ?? fromSettings.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    cutoffHour: values.cutoff !== undefined ? Number(values.cutoff) : (fromSettings.cutoffHour ?? 0),
  };
}

function openReadOnly(ctx: Context): Ledger {
  return new Ledger({
    path: ctx.ledgerPath,
    readOnly: true,
    terminalId: ctx.terminalId,
    merchantId: ctx.merchantId,
    timeZone: ctx.timeZone,
    cutoffHour: ctx.cutoffHour,
  });
}

async function runSubcommand(name: string, ctx: Context, values: Record<string, string | undefined>): Promise<number> {
  switch (name) {
    case 'check': {
      const ledger = openReadOnly(ctx);
      try {
        const report = ledger.integrityCheck({ full: true });
        for (const problem of report.problems) console.log(problem);
        console.log(
          `${report.ok ? 'OK' : 'FAILED'}: ${report.chain.rows} rows chained${report.chain.head ? `, head ${report.chain.head.seq} ${report.chain.head.hash}` : ''}, ${report.problems.length} problems`,
        );
        return report.ok ? 0 : 1;
      } finally {
        ledger.close();
      }
    }
    case 'report': {
      const ledger = openReadOnly(ctx);
      try {
        console.log(JSON.stringify(ledger.xReport(values.date), null, 2));
        return 0;
      } finally {
        ledger.close();
      }
    }
    case 'days': {
      const ledger = openReadOnly(ctx);
      try {
        for (const day of ledger.businessDays())
          console.log(`${day.businessDate}  ${day.rows} rows${day.zNumber ? `  Z ${day.zNumber}` : ''}`);
        return 0;
      } finally {
        ledger.close();
      }
    }
    case 'export': {
      if (!values.date || !values.out) {
        return usageError('ledger export', '--date and --out are required');
      }
      const result = await exportBusinessDay({
        ledgerPath: ctx.ledgerPath,
        businessDate: values.date,
        outDir: values.out,
        terminalKey: loadTerminalKey(ctx.dataDir, ctx.terminalKeyId),
        terminalId: ctx.terminalId,
        merchantId: ctx.merchantId,
        timeZone: ctx.timeZone,
      });
      for (const file of result.files) console.log(file);
      if (!result.registered)
        console.error("ledger export: the ledger is read-only here, so the next day's manifest will not name this export");
      if (result.chainBreak) {
        console.error(
          `ledger export: chain broken at row ${result.chainBreak.seq} (${result.chainBreak.problem}); the export will not verify`,
        );
        return 1;
      }
      console.log(`${result.rows} rows exported${result.zNumber ? `, Z ${result.zNumber}` : ', day not closed'}`);
      return 0;
    }
    case 'key': {
      const key = loadTerminalKey(ctx.dataDir, ctx.terminalKeyId);
      console.log(`key id:      ${key.keyId}\nfingerprint: ${key.fingerprint}\nfile:        ${key.path}`);
      return 0;
    }
    default:
      return usageError('ledger', `unknown subcommand ${name}`);
  }
}

async function adopt(dataDir: string, values: Record<string, string | undefined>): Promise<number> {
  if (!values.reason) throw new SetupProblem('--reason is required (it is recorded with the adoption)');
  const { adoptLedger } = await import('../app/recovery');
  const result = await adoptLedger({
    dataDir,
    reason: values.reason,
    ...(values.pin !== undefined ? { pin: values.pin } : {}),
    ...(values['new-pin'] !== undefined ? { newPin: values['new-pin'] } : {}),
    ...(values['confirm-ledger'] !== undefined ? { confirmLedgerId: values['confirm-ledger'] } : {}),
    ...(values.country !== undefined ? { country: values.country } : {}),
    ...(values['merchant-name'] !== undefined ? { merchantName: values['merchant-name'] } : {}),
  });
  console.log(JSON.stringify(result));
  return 0;
}

export async function run(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (!name) return usageError('ledger', 'give a subcommand');
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args: rest, options: OPTIONS }).values;
  } catch (error) {
    return usageError(`ledger ${name}`, parseArgsMessage(error));
  }
  try {
    // adopt is what repairs a lost or unreadable settings.json: it does not read it first.
    if (name === 'adopt') return await adopt(values['data-dir'] ?? dataDirFromEnv(), values);
    return await runSubcommand(name, await context(values), values);
  } catch (error) {
    // Whatever stopped the command before its verdict (a missing folder, a file that is not what it
    // should be, a refused PIN) is a setup problem: the message names the file.
    console.error(`ledger ${name}: ${isLedgerError(error) || error instanceof SetupProblem ? error.message : (error as Error).message}`);
    return 2;
  }
}
