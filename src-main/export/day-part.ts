// One part of a day export: a run of the day's rows, from `fromSeq` to `throughSeq`, written as
// the text of the three files (CSV, items CSV, JSONL), with what the manifest needs to know of
// it. A day is one part, or two parts written side by side on two threads and joined
// (export-day.ts): the summary is plain data, so it crosses from a worker thread as it is.
import { checkLink, type ChainBreak } from '../ledger/chain';
import { toHex } from '../ledger/canonical';
import type { DayReader } from '../ledger/day-reader';
import type { CurrencyTotals } from '../ledger/reports';
import { CsvWriter, type TextSink } from './csv-writer';
import type { ManifestCounts } from './manifest';
import { CSV_COLUMNS, csvRecord, ITEM_COLUMNS, itemRecords, jsonLine } from './records';
import { TotalsAccumulator } from './totals';

export interface DayPartRange {
  businessDate: string;
  fromSeq: number;
  throughSeq: number;
  /** The day's last row (of the whole export): voids up to it mark the sales they cancel. */
  dayLastSeq: number;
  /** Start the CSV files with their header line (the day's first part). */
  header: boolean;
}

export interface DayPartSinks {
  csv: TextSink;
  items: TextSink;
  jsonl: TextSink;
}

export interface DayPartSummary {
  counts: ManifestCounts;
  totals: { real: CurrencyTotals[]; demo: CurrencyTotals[] };
  /** hex */
  first: { seq: number; prevHash: string } | null;
  last: { seq: number; hash: string } | null;
  /** The part's first row that does not link or hash; its first row is checked against its own prevHash. */
  chainBreak: ChainBreak | null;
  zNumber: number | null;
  /** [sale, void] transaction ids, in ledger order. */
  voids: [string, string][];
  /** [sale, refund, amount] of the refund rows, in ledger order. */
  refunds: [string, string, number][];
}

/** Rows between calls to `pause` (the main thread gives the event loop a turn there). */
const ROWS_PER_PAUSE = 1000;

export async function writeDayPart(
  reader: DayReader,
  range: DayPartRange,
  sinks: DayPartSinks,
  pause?: () => Promise<void>,
): Promise<DayPartSummary> {
  const counts: ManifestCounts = { rows: 0, sales: 0, approved: 0, declined: 0, voided: 0, refunded: 0, closes: 0, demo: 0, items: 0 };
  const totals = new TotalsAccumulator();
  const voids: [string, string][] = [];
  const refunds: [string, string, number][] = [];
  let first: { seq: number; prevHash: string } | null = null;
  let last: { seq: number; hash: Uint8Array } | null = null;
  let chainBreak: ChainBreak | null = null;
  let zNumber: number | null = null;
  const csv = new CsvWriter(sinks.csv, range.header ? CSV_COLUMNS : null);
  const items = new CsvWriter(sinks.items, range.header ? ITEM_COLUMNS : null);
  for (const row of reader.rows(range.businessDate, range)) {
    // Rows are consecutive; the part's first row links to what came before it (checked on joining).
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
      else if (row.status === 'refunded') {
        counts.refunded += 1;
        refunds.push([row.originalTransactionId ?? '', row.transactionId ?? '', row.amount ?? 0]);
      } else if (row.status === 'voided') {
        counts.voided += 1;
        voids.push([row.originalTransactionId ?? '', row.transactionId ?? '']);
      }
      csv.add(csvRecord(row));
      for (const record of itemRecords(row)) {
        counts.items += 1;
        items.add(record);
      }
    }
    sinks.jsonl.write(jsonLine(row));
    if (pause && counts.rows % ROWS_PER_PAUSE === 0) await pause();
  }
  return {
    counts,
    totals: totals.result(),
    first,
    last: last && { seq: last.seq, hash: toHex(last.hash) },
    chainBreak,
    zNumber,
    voids,
    refunds,
  };
}

/** The summary of part `a` followed by part `b`: counts and totals added, the chain checked across the seam. */
export function joinDayParts(a: DayPartSummary, b: DayPartSummary): DayPartSummary {
  if (!a.last || !b.first) return a.last ? a : b;
  let seam: ChainBreak | null = null;
  if (b.first.seq !== a.last.seq + 1) {
    seam = { seq: b.first.seq, problem: 'sequence_gap', detail: `expected sequence ${a.last.seq + 1}, found ${b.first.seq}` };
  } else if (b.first.prevHash !== a.last.hash) {
    seam = { seq: b.first.seq, problem: 'link_broken', detail: `previous hash ${b.first.prevHash} != ${a.last.hash}` };
  }
  const counts = { ...a.counts };
  for (const key of Object.keys(counts) as (keyof ManifestCounts)[]) counts[key] += b.counts[key];
  return {
    counts,
    totals: TotalsAccumulator.sum(a.totals, b.totals),
    first: a.first,
    last: b.last,
    chainBreak: a.chainBreak ?? seam ?? b.chainBreak,
    zNumber: b.zNumber ?? a.zNumber,
    voids: [...a.voids, ...b.voids],
    refunds: [...a.refunds, ...b.refunds],
  };
}
