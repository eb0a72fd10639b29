// Runs one measured job in its own process, so its peak RSS is its own: the bench bundles this
// file (esbuild, packages external, as electron-vite bundles the main process) and runs it with
// plain node. Prints one JSON line: elapsed ms, peak RSS (getrusage maxrss) and the job's result.
//   child.mjs idle
//   child.mjs export <ledger> <businessDate> <outDir> <keyDir>
//   child.mjs verify <manifest> <workers>
//   child.mjs export-steps <ledger> <businessDate> <outDir> <keyDir>   (where an export's time goes)
//   child.mjs terminal <ledger> <businessDate> <outDir> <keyDir>
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { exportBusinessDay } from '../../src-main/export/export-day';
import { csvLine } from '../../src-main/export/csv-writer';
import { csvRecord, itemRecords, jsonLine } from '../../src-main/export/records';
import { checkLink } from '../../src-main/ledger/chain';
import { openDayReader, type DayRow } from '../../src-main/ledger/day-reader';
import { loadOrCreateTerminalKey } from '../../src-main/export/terminal-key';
import { verifyExport } from '../../src-main/export/verify-export';
import { openLedger } from '../../src-main/ledger/ledger';
import { createWorld, MERCHANT_ID, TERMINAL_ID } from './world';
import { SETTINGS } from './fixtures';

export interface ChildReport {
  job: string;
  ms: number;
  maxRssBytes: number;
  /** CPU time of the whole process (all threads, start-up included), ms. */
  cpuMs: number;
  /** RSS when the job finished (after the export, with the ledger still open for 'terminal'). */
  rssBytes: number;
  result: Record<string, unknown>;
}

async function exportDay(ledgerPath: string, businessDate: string, outDir: string, keyDir: string) {
  mkdirSync(keyDir, { recursive: true });
  const result = await exportBusinessDay({
    ledgerPath,
    businessDate,
    outDir,
    terminalKey: loadOrCreateTerminalKey(keyDir),
    terminalId: TERMINAL_ID,
    merchantId: MERCHANT_ID,
    timeZone: SETTINGS.timeZone,
  });
  return { rows: result.rows, manifestPath: result.manifestPath, chainBreak: result.chainBreak };
}

/** When the timed part began (jobs reset it after untimed preparation). */
let timerStart = 0;

/**
 * Where an export's time goes, each pass a full read of the day on one thread with no files
 * written, in CPU time (blind to other processes' load): read rows; + check each hash link; +
 * build the CSV, items and JSONL text. Then the product's export, warm, in wall time and in CPU
 * time of both its threads.
 */
async function exportSteps(ledgerPath: string, businessDate: string, outDir: string, keyDir: string): Promise<Record<string, unknown>> {
  const reader = openDayReader(ledgerPath);
  const cpu = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  const span = reader.span(businessDate) ?? { firstSeq: 1, lastSeq: 0 };
  const pass = (work: (row: DayRow, previous: DayRow | null) => void): number => {
    const t0 = cpu();
    let previous: DayRow | null = null;
    for (const row of reader.rows(businessDate, { fromSeq: span.firstSeq, throughSeq: span.lastSeq, dayLastSeq: span.lastSeq })) {
      work(row, previous);
      previous = row;
    }
    return cpu() - t0;
  };
  try {
    let sink = 0;
    pass(() => undefined); // warm-up: JIT and SQLite's page cache, as for every layer after it
    const read = pass(() => undefined);
    const link = pass((row, previous) => {
      if (checkLink(row, previous ?? { seq: row.seq - 1, hash: row.prevHash })) sink += 1;
    });
    const text = pass((row, previous) => {
      if (checkLink(row, previous ?? { seq: row.seq - 1, hash: row.prevHash })) sink += 1;
      if (row.kind !== 'close') {
        sink += csvLine(csvRecord(row)).length;
        for (const item of itemRecords(row)) sink += csvLine(item).length;
      }
      sink += jsonLine(row).length;
    });
    mkdirSync(outDir, { recursive: true });
    const e0 = cpu();
    const w0 = performance.now();
    await exportDay(ledgerPath, businessDate, join(outDir, 'export'), keyDir);
    return {
      readMs: read,
      readAndLinkMs: link,
      readLinkAndTextMs: text,
      warmExportCpuMs: cpu() - e0,
      warmExportWallMs: performance.now() - w0,
      sink,
    };
  } finally {
    reader.close();
  }
}

async function job(args: string[]): Promise<Record<string, unknown>> {
  const [name, a, b, c, d] = args;
  switch (name) {
    case 'idle':
      return {};
    case 'export':
      return exportDay(a as string, b as string, c as string, d as string);
    case 'verify': {
      // The trust store is what settlement loads from a file; building it is not timed.
      const { env } = createWorld();
      const authorities = ['main', 'retired', 'revoked'].flatMap((kid) => env.trustStore.find(`demo-${kid}`) ?? []);
      timerStart = performance.now();
      const result = await verifyExport(a as string, { trustStore: env.trustStore, authorities, workers: Number(b ?? 0) });
      return {
        ok: result.ok,
        transactions: result.transactions,
        rows: result.rows,
        approvalsVerified: result.approvalsVerified,
        licenses: result.licenses,
        problemCount: result.problemCount,
        firstProblems: result.problems.slice(0, 3),
      };
    }
    case 'export-steps':
      return exportSteps(a as string, b as string, c as string, d as string);
    case 'terminal': {
      // The main process's ledger stays open (as the app holds it) while the day is exported.
      const ledger = openLedger({ path: a as string, terminalId: TERMINAL_ID, merchantId: MERCHANT_ID, ...SETTINGS });
      try {
        const days = ledger.businessDays().length;
        const report = ledger.xReport(b);
        const exported = await exportDay(a as string, b as string, c as string, d as string);
        return { days, reportRows: JSON.stringify(report).length, ...exported, rssWithLedgerOpen: process.memoryUsage().rss };
      } finally {
        ledger.close();
      }
    }
    default:
      throw new Error(`unknown job ${String(name)}`);
  }
}

/**
 * Peak RSS of this process. On Linux getrusage's maxrss survives fork + exec, so a child
 * reports at least the RSS its parent had when it was spawned; VmHWM belongs to the address
 * space exec made, so it measures the child alone.
 */
function peakRssBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // Not Linux: fall through to getrusage.
  }
  return process.resourceUsage().maxRSS * 1024;
}

timerStart = performance.now();
job(process.argv.slice(2)).then(
  (result) => {
    const report: ChildReport = {
      job: process.argv[2] ?? '',
      ms: performance.now() - timerStart,
      maxRssBytes: peakRssBytes(),
      cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
      rssBytes: process.memoryUsage().rss,
      result,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
