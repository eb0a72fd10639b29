// Worker thread of a day export: writes the day's later part (src-main/export/day-part.ts) to
// files of its own, which the main thread copies onto the end of the real ones. It says first
// that it loaded (until then a failure means "write that part yourself"), then answers once
// with the part's summary or the LedgerError's code and detail.
import { basename } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { openDayReader, type DayReader } from '../ledger/day-reader';
import { toLedgerError, type LedgerErrorCode } from '../ledger/errors';
import { writeDayPart, type DayPartRange, type DayPartSummary } from './day-part';
import { FileSink } from './file-sink';

export interface DayPartJob {
  ledgerPath: string;
  range: DayPartRange;
  paths: { csv: string; items: string; jsonl: string };
}

export type DayPartReply = { loaded: true } | { ok: true; summary: DayPartSummary } | { ok: false; code: LedgerErrorCode; detail: string };

async function run(job: DayPartJob): Promise<DayPartSummary> {
  const sinks: FileSink[] = [];
  let reader: DayReader | null = null;
  try {
    reader = openDayReader(job.ledgerPath);
    const open = (path: string) => {
      const sink = new FileSink(path, basename(path));
      sinks.push(sink);
      return sink;
    };
    const summary = await writeDayPart(reader, job.range, {
      csv: open(job.paths.csv),
      items: open(job.paths.items),
      jsonl: open(job.paths.jsonl),
    });
    for (const sink of sinks) sink.finish({ durable: false });
    return summary;
  } catch (error) {
    for (const sink of sinks) sink.abandon();
    throw error;
  } finally {
    reader?.close();
  }
}

const job = workerData as DayPartJob;
parentPort?.postMessage({ loaded: true } satisfies DayPartReply);
run(job).then(
  (summary) => parentPort?.postMessage({ ok: true, summary } satisfies DayPartReply),
  (error: unknown) => {
    const failure = toLedgerError(error, `export the later part of ${job.range.businessDate}`);
    parentPort?.postMessage({ ok: false, code: failure.code, detail: failure.detail } satisfies DayPartReply);
  },
);
