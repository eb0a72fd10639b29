// One ingest in a fresh process for the memory figure: `tsx settlement-child.ts <folder> <db url>`
// ingests the folder and prints { ms, peakRssBytes, rows } as JSON (RSS sampled every 10 ms).
import { openPostgres } from '../../src-settlement/db/pg';
import { ingestDay } from '../../src-settlement/ingest/ingest-day';

const [folder, url, workers] = process.argv.slice(2);
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 10);
const db = await openPostgres(url ?? '');
const t0 = performance.now();
const result = await ingestDay(db, { folder: folder ?? '' }, { workers: Number(workers ?? 1) });
const elapsed = performance.now() - t0;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
await db.close();
console.log(JSON.stringify({ ms: elapsed, peakRssBytes: peak, rows: result.status === 'stored' ? result.rows : 0, status: result.status }));
