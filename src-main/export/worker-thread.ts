// Starts one of the export's worker modules (verify-worker, day-part-worker) next to the code that
// runs it: the .js file beside a bundle (out/main/, the bench's bundle), or the .ts source.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export type WorkerModule = 'verify-worker' | 'day-part-worker';
export type StartWorker = (module: WorkerModule, workerData: unknown) => Worker;

/** File URL of tsx's ESM API ("tsx/esm/api", import condition), read from tsx's exports map. */
function tsxEsmApi(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(manifestPath), manifest.exports['./esm/api']?.import.default ?? 'dist/esm/api/index.mjs')).href;
}

/**
 * From TypeScript source (tsx, tests) the worker first loads tsx's ESM API and imports the worker
 * module through it: Node 20 does not carry loader hooks into workers.
 */
export function startWorker(module: WorkerModule, workerData: unknown): Worker {
  // tsx's tsImport adds a query to the module URL: look at the path alone.
  if (!new URL(import.meta.url).pathname.endsWith('.ts')) return new Worker(new URL(`./${module}.js`, import.meta.url), { workerData });
  const api = tsxEsmApi();
  const entry = new URL(`./${module}.ts`, import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(code, { eval: true, workerData });
}
