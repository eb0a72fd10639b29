// Writes one business day into a folder, streaming rows from the ledger in constant memory:
// <terminal>-<date>.csv, <terminal>-<date>-items.csv, <terminal>-<date>.jsonl, and last the
// signed <terminal>-<date>.manifest.json. Files are written under temporary names and renamed
// only when complete, so a half-written export never carries the final names.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { isBusinessDate } from '../ledger/business-day';
import { checkLink, type ChainBreak } from '../ledger/chain';
import { toHex } from '../ledger/canonical';
import { openDayReader } from '../ledger/day-reader';
import { LedgerError } from '../ledger/errors';
import { CsvWriter } from './csv-writer';
import { FileSink } from './file-sink';
import { MANIFEST_FORMAT, manifestFileText, signManifest, type Manifest, type ManifestCounts } from './manifest';
import { CSV_COLUMNS, csvRecord, ITEM_COLUMNS, itemRecords, jsonRecord } from './records';
import type { TerminalKey } from './terminal-key';
import { TotalsAccumulator } from './totals';

export interface ExportDayOptions {
  ledgerPath: string;
  businessDate: string;
  outDir: string;
  terminalKey: TerminalKey;
  terminalId: string;
  merchantId: string;
  timeZone: string;
  now?: number;
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

/** Rows between two turns of the event loop, so the app keeps answering while a day is exported. */
const ROWS_PER_TURN = 1000;

export async function exportBusinessDay(options: ExportDayOptions): Promise<ExportResult> {
  const { businessDate, outDir } = options;
  if (!isBusinessDate(businessDate)) throw new LedgerError('LEDGER_INVALID_RECORD', `not a business date: ${businessDate}`);
  mkdirSync(outDir, { recursive: true });
  const base = exportBaseName(options.terminalId, businessDate);
  const names = { csv: `${base}.csv`, items: `${base}-items.csv`, jsonl: `${base}.jsonl`, manifest: `${base}.manifest.json` };

  const reader = openDayReader(options.ledgerPath);
  const sinks: FileSink[] = [];
  const counts: ManifestCounts = { rows: 0, sales: 0, approved: 0, declined: 0, voided: 0, closes: 0, demo: 0, items: 0 };
  const totals = new TotalsAccumulator();
  let first: { seq: number; prevHash: string } | null = null;
  let last: { seq: number; hash: Uint8Array } | null = null;
  let zNumber: number | null = null;
  let chainBreak: ChainBreak | null = null;
  const voids: [string, string][] = [];
  let described;
  try {
    const csvSink = new FileSink(join(outDir, names.csv), names.csv);
    sinks.push(csvSink);
    const itemsSink = new FileSink(join(outDir, names.items), names.items);
    sinks.push(itemsSink);
    const jsonl = new FileSink(join(outDir, names.jsonl), names.jsonl);
    sinks.push(jsonl);
    const csv = new CsvWriter(csvSink, CSV_COLUMNS);
    const items = new CsvWriter(itemsSink, ITEM_COLUMNS);
    for (const row of reader.rows(businessDate)) {
      // Within a day rows are consecutive; the first links to the previous day, shown in the manifest.
      const broken = checkLink(row, last ?? { seq: row.seq - 1, hash: row.prevHash });
      if (broken && !chainBreak) chainBreak = broken;
      first ??= { seq: row.seq, prevHash: toHex(row.prevHash) };
      last = { seq: row.seq, hash: row.hash };
      counts.rows += 1;
      if (row.demo) counts.demo += 1;
      totals.add(row);
      if (row.kind === 'close') {
        counts.closes += 1;
        zNumber = row.zNumber;
      } else {
        if (row.kind === 'sale') counts.sales += 1;
        if (row.status === 'approved') counts.approved += 1;
        else if (row.status === 'declined') counts.declined += 1;
        else if (row.status === 'voided') {
          counts.voided += 1;
          voids.push([row.originalTransactionId ?? '', row.transactionId ?? '']);
        }
        csv.add(csvRecord(row));
        for (const record of itemRecords(row)) {
          counts.items += 1;
          items.add(record);
        }
      }
      jsonl.write(`${JSON.stringify(jsonRecord(row))}\n`);
      if (counts.rows % ROWS_PER_TURN === 0) await nextTurn();
    }
    csv.flush();
    items.flush();
    described = { csv: csvSink.finish(), items: itemsSink.finish(), jsonl: jsonl.finish() };
  } catch (error) {
    for (const sink of sinks) sink.abandon();
    throw error;
  } finally {
    reader.close();
  }

  const { real, demo } = totals.result();
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
      totals: real,
      demoTotals: demo,
      chain: {
        firstSeq: first?.seq ?? null,
        lastSeq: last?.seq ?? null,
        firstPrevHash: first?.prevHash ?? null,
        lastHash: last ? toHex(last.hash) : null,
      },
      voids,
      files: described,
      terminalKey: { keyId: options.terminalKey.keyId, jwk: options.terminalKey.publicJwk },
    },
    options.terminalKey,
  );
  const manifestPath = join(outDir, names.manifest);
  const tempManifest = `${manifestPath}.partial`;
  writeFileSync(tempManifest, manifestFileText(manifest), { mode: 0o644 });
  fsyncPath(tempManifest);
  renameSync(tempManifest, manifestPath);
  fsyncPath(outDir);
  return {
    businessDate,
    folder: outDir,
    manifestPath,
    files: [join(outDir, names.csv), join(outDir, names.items), join(outDir, names.jsonl), manifestPath],
    rows: counts.rows,
    zNumber,
    chainBreak,
  };
}
