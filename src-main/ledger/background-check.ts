// SQLite's quick_check of the ledger file, on a worker thread with its own read-only connection.
// It reads every page: about 0.8 s per 100,000 rows with the file in the page cache, many seconds
// cold (docs/benchmarks.md, figure L), far over what a terminal's start may take, so the app runs
// it after it has started (app/terminal.ts) instead of before.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Plain JavaScript, so the same code runs from TypeScript source, the bench's bundle and the app.
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db;
try {
  db = new Database(workerData.path, { readonly: true, fileMustExist: true });
  const lines = db.pragma('quick_check').map((row) => String(row.quick_check));
  parentPort.postMessage({ lines });
} catch (error) {
  parentPort.postMessage({ lines: ['cannot check: ' + (error && error.message ? error.message : String(error))] });
} finally {
  if (db) db.close();
}
`;

export interface BackgroundCheck {
  /** quick_check's problem lines (empty: the file is sound); undefined when stopped first. */
  readonly done: Promise<string[] | undefined>;
  stop(): Promise<void>;
}

export function quickCheckInBackground(path: string): BackgroundCheck {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_CODE, { eval: true, workerData: { path, module } });
  let stopped = false;
  const done = new Promise<string[] | undefined>((resolve) => {
    worker.once('message', (message: { lines: string[] }) => resolve(message.lines.filter((line) => line !== 'ok')));
    worker.once('error', (error) => resolve([`cannot check: ${error.message}`]));
    worker.once('exit', () => resolve(stopped ? undefined : ['cannot check: the check ended without an answer']));
  });
  return {
    done,
    async stop() {
      stopped = true;
      await worker.terminate();
    },
  };
}
