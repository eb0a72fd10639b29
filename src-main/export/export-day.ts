// Writes one business day into a folder, streaming rows from the ledger in constant memory:
// <terminal>-<date>.csv, <terminal>-<date>-items.csv, <terminal>-<date>.jsonl, and last the
// signed <terminal>-<date>.manifest.json. The whole set is written into a staging folder beside
// them (.<terminal>-<date>.partial/) and moved in only once its manifest is written: an export
// that is interrupted leaves the previous export of the day as it was, and the switch removes
// the old manifest first, so the folder never holds a manifest that does not match its files.
//
// A big day is written on two threads: this one writes the first part of the rows into the
// files, a worker writes the rest into files of its own, which are then copied onto the end (the
// SHA-256 of each file runs over its bytes in order, so the copy goes through this thread's hash).
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { isBusinessDate } from '../ledger/business-day';
import type { ChainBreak } from '../ledger/chain';
import { openDayReader } from '../ledger/day-reader';
import { isLedgerError, LedgerError, toLedgerError } from '../ledger/errors';
import { noteExport } from '../ledger/export-register';
import { joinDayParts, writeDayPart, type DayPartSummary } from './day-part';
import type { DayPartJob, DayPartReply } from './day-part-worker';
import { FileSink } from './file-sink';
import { MANIFEST_FORMAT, manifestFileText, signManifest, type Manifest } from './manifest';
import type { TerminalKey } from './terminal-key';
import { startWorker, type StartWorker } from './worker-thread';

export interface ExportDayOptions {
  ledgerPath: string;
  businessDate: string;
  outDir: string;
  terminalKey: TerminalKey;
  terminalId: string;
  merchantId: string;
  timeZone: string;
  now?: number;
  /** Write part of the day on a worker thread; by default only for days of PARALLEL_FROM_ROWS rows or more. */
  parallel?: boolean;
  /** Where worker threads come from (tests give one that cannot load). */
  startWorker?: StartWorker;
  /** Told when the new set is complete in the staging folder, before it replaces anything. */
  onStaged?: () => void;
}

export interface ExportResult {
  businessDate: string;
  folder: string;
  manifestPath: string;
  /** Absolute paths: csv, items csv, jsonl, manifest. */
  files: string[];
  rows: number;
  zNumber: number | null;
  /** The first row whose chain link or hash is wrong (the export then fails verify-export). */
  chainBreak: ChainBreak | null;
  /** SHA-256 (hex) of the manifest file: what the next day's manifest names as `previousDay`. */
  manifestSha256: string;
  /** False when the ledger could not note the export (read-only media): the next day then names no manifest. */
  registered: boolean;
}

/** File names never carry path separators or odd characters from a terminal id. */
export function exportBaseName(terminalId: string, businessDate: string): string {
  return `${terminalId.replace(/[^A-Za-z0-9._-]/g, '_')}-${businessDate}`;
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Below this a worker thread's start-up (tens of ms) costs more than it saves. */
export const PARALLEL_FROM_ROWS = 5000;
/**
 * The worker's share of a big day's rows. The worker loads its modules first and this thread
 * copies the worker's files onto its own at the end; these about cancel out (npm run bench).
 */
const WORKER_SHARE = 0.5;

/** The last row this thread writes of a day split in two; the worker writes the rest. */
export function splitSeq(firstSeq: number, lastSeq: number): number {
  return lastSeq - Math.max(1, Math.floor((lastSeq - firstSeq + 1) * WORKER_SHARE));
}

/**
 * Writes a later part of the day on a worker thread; settles when its files are complete, or
 * with null when the worker could not even load (this thread then writes that part itself).
 */
function runWorkerPart(job: DayPartJob, start: StartWorker): Promise<DayPartSummary | null> {
  return new Promise((resolve, reject) => {
    const worker = start('day-part-worker', job);
    let loaded = false;
    let answered = false;
    worker.on('message', (reply: DayPartReply) => {
      if ('loaded' in reply) {
        loaded = true;
        return;
      }
      answered = true;
      if (reply.ok) resolve(reply.summary);
      else reject(new LedgerError(reply.code, reply.detail));
    });
    worker.once('error', (error) => {
      answered = true;
      if (loaded) reject(toLedgerError(error, `export the later part of ${job.range.businessDate}`));
      else resolve(null);
    });
    worker.once('exit', (code) => {
      if (answered) return;
      if (loaded) reject(new LedgerError('LEDGER_INTERNAL', `the export worker stopped (exit code ${code})`));
      else resolve(null);
    });
  });
}

export async function exportBusinessDay(options: ExportDayOptions): Promise<ExportResult> {
  const { businessDate, outDir } = options;
  if (!isBusinessDate(businessDate)) throw new LedgerError('LEDGER_INVALID_RECORD', `not a business date: ${businessDate}`);
  mkdirSync(outDir, { recursive: true });
  const base = exportBaseName(options.terminalId, businessDate);
  const names = { csv: `${base}.csv`, items: `${base}-items.csv`, jsonl: `${base}.jsonl`, manifest: `${base}.manifest.json` };

  // What an earlier interrupted export left is dropped; the set in the folder itself is not touched.
  const staging = join(outDir, `.${base}.partial`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  const partial = (name: string) => join(staging, name);
  const workerPart = (name: string) => join(staging, `${name}.part2`);
  const files = [names.csv, names.items, names.jsonl] as const;

  const reader = openDayReader(options.ledgerPath);
  const sinks: FileSink[] = [];
  let worker: Promise<DayPartSummary | null> | null = null;
  let summary: DayPartSummary;
  let described;
  let ledgerHead;
  let previousDay;
  try {
    ledgerHead = reader.head();
    previousDay = reader.previousDay(businessDate);
    const span = reader.span(businessDate) ?? { firstSeq: 1, lastSeq: 0 };
    const dayRows = span.lastSeq - span.firstSeq + 1;
    const parallel = dayRows > 1 && (options.parallel ?? dayRows >= PARALLEL_FROM_ROWS);
    const split = parallel ? splitSeq(span.firstSeq, span.lastSeq) : span.lastSeq;
    const laterRange = { businessDate, fromSeq: split + 1, throughSeq: span.lastSeq, dayLastSeq: span.lastSeq, header: false };
    let workerFailed = false;
    if (parallel) {
      worker = runWorkerPart(
        {
          ledgerPath: options.ledgerPath,
          range: laterRange,
          paths: { csv: workerPart(names.csv), items: workerPart(names.items), jsonl: workerPart(names.jsonl) },
        },
        options.startWorker ?? startWorker,
      );
      worker.catch(() => (workerFailed = true));
    }
    const [csv, items, jsonl] = files.map((name) => {
      const sink = new FileSink(partial(name), name);
      sinks.push(sink);
      return sink;
    }) as [FileSink, FileSink, FileSink];
    const range = { businessDate, fromSeq: span.firstSeq, throughSeq: split, dayLastSeq: span.lastSeq, header: true };
    // Each pause gives the app's event loop a turn, and stops early once the worker has failed.
    const pause = async () => {
      await nextTurn();
      if (workerFailed) await worker;
    };
    summary = await writeDayPart(reader, range, { csv, items, jsonl }, pause);
    if (worker) {
      const later = await worker;
      if (later) {
        summary = joinDayParts(summary, later);
        csv.append(workerPart(names.csv));
        items.append(workerPart(names.items));
        jsonl.append(workerPart(names.jsonl));
      } else {
        summary = joinDayParts(summary, await writeDayPart(reader, laterRange, { csv, items, jsonl }, pause));
      }
    }
    described = { csv: csv.finish(), items: items.finish(), jsonl: jsonl.finish() };
  } catch (error) {
    for (const sink of sinks) sink.abandon();
    await worker?.catch(() => undefined);
    rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    reader.close();
    for (const name of files) rmSync(workerPart(name), { force: true });
  }

  const { counts, totals, first, last, chainBreak, zNumber, voids, refunds } = summary;
  const manifest: Manifest = signManifest(
    {
      format: MANIFEST_FORMAT,
      terminalId: options.terminalId,
      merchantId: options.merchantId,
      ledgerId: reader.ledgerId,
      businessDate,
      timeZone: options.timeZone,
      zNumber,
      generatedAt: new Date(options.now ?? Date.now()).toISOString(),
      counts,
      totals: totals.real,
      demoTotals: totals.demo,
      chain: {
        firstSeq: first?.seq ?? null,
        lastSeq: last?.seq ?? null,
        firstPrevHash: first?.prevHash ?? null,
        lastHash: last?.hash ?? null,
      },
      ledgerHead,
      previousDay,
      voids,
      refunds,
      files: described,
      terminalKey: { keyId: options.terminalKey.keyId, jwk: options.terminalKey.publicJwk },
    },
    options.terminalKey,
  );
  const manifestPath = join(outDir, names.manifest);
  const manifestText = manifestFileText(manifest);
  writeFileSync(partial(names.manifest), manifestText, { mode: 0o644 });
  fsyncPath(partial(names.manifest));
  fsyncPath(staging);
  options.onStaged?.();
  // The switch: old manifest out first, then the data files, the new manifest last.
  rmSync(manifestPath, { force: true });
  fsyncPath(outDir);
  for (const name of files) renameSync(partial(name), join(outDir, name));
  renameSync(partial(names.manifest), manifestPath);
  fsyncPath(outDir);
  rmSync(staging, { recursive: true, force: true });

  const manifestSha256 = createHash('sha256').update(manifestText, 'utf8').digest('hex');
  let registered = true;
  try {
    noteExport(options.ledgerPath, {
      businessDate,
      manifestSha256,
      generatedAt: manifest.generatedAt,
      lastSeq: last?.seq ?? null,
      notedAt: options.now ?? Date.now(),
    });
  } catch (error) {
    // Read-only media: the export is complete; only the next day's link to it is lost.
    if (!isLedgerError(error) || error.code !== 'LEDGER_READ_ONLY') throw error;
    registered = false;
  }
  return {
    businessDate,
    folder: outDir,
    manifestPath,
    files: [join(outDir, names.csv), join(outDir, names.items), join(outDir, names.jsonl), manifestPath],
    rows: counts.rows,
    zNumber,
    chainBreak,
    manifestSha256,
    registered,
  };
}
