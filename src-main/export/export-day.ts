// Writes one business day into a folder, streaming rows from the ledger in constant memory:
// <terminal>-<date>.csv, <terminal>-<date>-items.csv, <terminal>-<date>.jsonl, and last the
// signed <terminal>-<date>.manifest.json. Files are written under temporary names and renamed
// only when complete, so a half-written export never carries the final names.
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, createWriteStream, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { isBusinessDate } from '../ledger/business-day';
import { checkLink, type ChainBreak } from '../ledger/chain';
import { toHex } from '../ledger/canonical';
import { openDayReader } from '../ledger/day-reader';
import { LedgerError } from '../ledger/errors';
import type { CurrencyTotals } from '../ledger/reports';
import { MANIFEST_FORMAT, signManifest, type Manifest, type ManifestCounts, type ManifestFile } from './manifest';
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

interface Sink {
  input: Writable;
  done: Promise<void>;
  describe(): ManifestFile;
  tempPath: string;
  finalPath: string;
}

/** Joins the many small chunks (one per CSV record or JSON line) into ~256 KiB writes. */
function coalesce(size = 256 * 1024): Transform {
  let parts: Buffer[] = [];
  let length = 0;
  return new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      parts.push(buffer);
      length += buffer.length;
      if (length < size) return callback();
      const joined = Buffer.concat(parts, length);
      parts = [];
      length = 0;
      callback(null, joined);
    },
    flush(callback) {
      callback(null, length > 0 ? Buffer.concat(parts, length) : undefined);
    },
  });
}

function hashingSink(source: Writable & NodeJS.ReadableStream, finalPath: string, name: string): Sink {
  const tempPath = `${finalPath}.partial`;
  const hash: Hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const done = pipeline(source, coalesce(), tap, createWriteStream(tempPath, { mode: 0o644 }));
  return {
    input: source,
    done,
    tempPath,
    finalPath,
    describe: () => ({ name, bytes, sha256: hash.digest('hex') }),
  };
}

async function put(stream: Writable, chunk: unknown): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export async function exportBusinessDay(options: ExportDayOptions): Promise<ExportResult> {
  const { businessDate, outDir } = options;
  if (!isBusinessDate(businessDate)) throw new LedgerError('LEDGER_INVALID_RECORD', `not a business date: ${businessDate}`);
  mkdirSync(outDir, { recursive: true });
  const base = exportBaseName(options.terminalId, businessDate);
  const names = { csv: `${base}.csv`, items: `${base}-items.csv`, jsonl: `${base}.jsonl`, manifest: `${base}.manifest.json` };

  const reader = openDayReader(options.ledgerPath);
  const csv = hashingSink(stringify({ header: true, columns: [...CSV_COLUMNS] }), join(outDir, names.csv), names.csv);
  const items = hashingSink(stringify({ header: true, columns: [...ITEM_COLUMNS] }), join(outDir, names.items), names.items);
  const jsonl = hashingSink(new PassThrough(), join(outDir, names.jsonl), names.jsonl);
  const sinks = [csv, items, jsonl];

  const counts: ManifestCounts = { rows: 0, sales: 0, approved: 0, declined: 0, voided: 0, closes: 0, demo: 0, items: 0 };
  const totals = new TotalsAccumulator();
  let first: { seq: number; prevHash: string } | null = null;
  let last: { seq: number; hash: Uint8Array } | null = null;
  let zNumber: number | null = null;
  let chainBreak: ChainBreak | null = null;
  try {
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
        else if (row.status === 'voided') counts.voided += 1;
        await put(csv.input, csvRecord(row));
        for (const record of itemRecords(row)) {
          counts.items += 1;
          await put(items.input, record);
        }
      }
      await put(jsonl.input, `${JSON.stringify(jsonRecord(row))}\n`);
    }
    for (const sink of sinks) sink.input.end();
    await Promise.all(sinks.map((s) => s.done));
  } catch (error) {
    for (const sink of sinks) {
      sink.input.destroy();
      rmSync(sink.tempPath, { force: true });
    }
    throw error;
  } finally {
    reader.close();
  }

  const described = { csv: csv.describe(), items: items.describe(), jsonl: jsonl.describe() };
  for (const sink of sinks) {
    fsyncPath(sink.tempPath);
    renameSync(sink.tempPath, sink.finalPath);
  }
  const { real, demo } = totals.result() as { real: CurrencyTotals[]; demo: CurrencyTotals[] };
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
      files: described,
      terminalKey: { keyId: options.terminalKey.keyId, jwk: options.terminalKey.publicJwk },
    },
    options.terminalKey,
  );
  const manifestPath = join(outDir, names.manifest);
  const tempManifest = `${manifestPath}.partial`;
  writeFileSync(tempManifest, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o644 });
  fsyncPath(tempManifest);
  renameSync(tempManifest, manifestPath);
  fsyncPath(outDir);
  return {
    businessDate,
    folder: outDir,
    manifestPath,
    files: [csv.finalPath, items.finalPath, jsonl.finalPath, manifestPath],
    rows: counts.rows,
    zNumber,
    chainBreak,
  };
}
