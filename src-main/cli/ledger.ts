// `npm run cli -- ledger <subcommand>`: the terminal's ledger from the command line (integrity
// check, X report, business-day export, terminal key). Reads <data dir>/ledger.sqlite read-only.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportBusinessDay } from '../export/export-day';
import { loadOrCreateTerminalKey } from '../export/terminal-key';
import { isLedgerError } from '../ledger/errors';
import { Ledger } from '../ledger/ledger';
import { parseArgsMessage, usageError } from './usage';

export const help = `usage: npm run cli -- ledger <subcommand> [--data-dir DIR] [--file LEDGER.sqlite] [options]

  check                      SQLite structure, append-only triggers and the whole hash chain;
                             one line per problem, exit 0 only when intact
  report [--date YYYY-MM-DD] X report of a business day (default: the open day) as JSON
  days                       business days with their row counts and Z numbers
  export --date YYYY-MM-DD --out DIR
                             write the day's CSV, items CSV, JSONL and signed manifest into DIR
  key                        the terminal key id and fingerprint that signs exports

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
} as const;

interface Context {
  dataDir: string;
  ledgerPath: string;
  terminalId: string;
  merchantId: string;
  timeZone: string;
  cutoffHour: number;
}

async function context(values: Record<string, string | undefined>): Promise<Context> {
  const dataDir = values['data-dir'] ?? dataDirFromEnv();
  let fromSettings: { terminalId?: string; merchantId?: string; timeZone?: string; cutoffHour?: number } = {};
  const needSettings = !values.terminal || !values.merchant || !values['time-zone'] || values.cutoff === undefined;
  if (needSettings) {
    const { openSettings } = await import('../app/settings');
    const settings = openSettings(dataDir);
    if (settings.exists()) {
      const s = settings.get();
      const profile = settings.profile();
      fromSettings = { terminalId: s.terminalId, merchantId: s.merchantId, timeZone: profile.timeZone, cutoffHour: profile.cutoffHour };
    }
  }
  return {
    dataDir,
    ledgerPath: values.file ?? join(dataDir, 'ledger.sqlite'),
    terminalId: values.terminal ?? (fromSettings.terminalId || 'terminal'),
    merchantId: values.merchant ?? (fromSettings.merchantId || 'merchant'),
    timeZone: values['time-zone'] ?? fromSettings.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    cutoffHour: values.cutoff !== undefined ? Number(values.cutoff) : (fromSettings.cutoffHour ?? 0),
  };
}

function openReadOnly(ctx: Context): Ledger {
  return new Ledger({ path: ctx.ledgerPath, readOnly: true, terminalId: ctx.terminalId, merchantId: ctx.merchantId, timeZone: ctx.timeZone, cutoffHour: ctx.cutoffHour });
}

async function runSubcommand(name: string, ctx: Context, values: Record<string, string | undefined>): Promise<number> {
  switch (name) {
    case 'check': {
      const ledger = openReadOnly(ctx);
      try {
        const report = ledger.integrityCheck();
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
        for (const day of ledger.businessDays()) console.log(`${day.businessDate}  ${day.rows} rows${day.zNumber ? `  Z ${day.zNumber}` : ''}`);
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
        terminalKey: loadOrCreateTerminalKey(ctx.dataDir),
        terminalId: ctx.terminalId,
        merchantId: ctx.merchantId,
        timeZone: ctx.timeZone,
      });
      for (const file of result.files) console.log(file);
      if (result.chainBreak) {
        console.error(`ledger export: chain broken at row ${result.chainBreak.seq} (${result.chainBreak.problem}); the export will not verify`);
        return 1;
      }
      console.log(`${result.rows} rows exported${result.zNumber ? `, Z ${result.zNumber}` : ', day not closed'}`);
      return 0;
    }
    case 'key': {
      const key = loadOrCreateTerminalKey(ctx.dataDir);
      console.log(`key id:      ${key.keyId}\nfingerprint: ${key.fingerprint}\nfile:        ${key.path}`);
      return 0;
    }
    default:
      return usageError('ledger', `unknown subcommand ${name}`);
  }
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
    return await runSubcommand(name, await context(values), values);
  } catch (error) {
    console.error(`ledger ${name}: ${isLedgerError(error) ? error.message : (error as Error).message}`);
    return 1;
  }
}
