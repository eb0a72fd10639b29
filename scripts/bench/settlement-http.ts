// Figure S6: 20 terminals uploading their business day at once over HTTP, next to one terminal
// uploading a day of the same size alone (the baseline, same run, same server). Each terminal is
// a real ledger with its own key and its own phone (real sessions against the reference
// wallet), exported and signed; uploads go through the terminal's own client
// (src-main/export/send-day.ts) to `settlement serve`'s server on loopback, over a throwaway
// PostgreSQL cluster (PGlite when Debian's server is absent). Goal: every day stored, and the
// total throughput (rows stored per second) at least that of the single upload.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWalletCredentials, exportTrustEntry } from '../../src-main/authority/authority';
import { sendDay, type SendDayOutcome } from '../../src-main/export/send-day';
import { memoryCounterStore } from '../../src-main/wallet/counter-store';
import { createDemoEnvironment } from '../../src-main/wallet/demo';
import { PhoneWallet } from '../../src-main/wallet/phone-wallet';
import { openSettlementDatabase } from '../../src-settlement/db/open';
import { DemoTerminal } from '../../src-settlement/demo/demo-terminal';
import { createSettlementServer } from '../../src-settlement/http/server';
import { addAuthorityKey } from '../../src-settlement/store/authorities';
import { enrolTerminal } from '../../src-settlement/store/terminals';
import { postgresAvailable, startPostgres } from '../../tests/support/postgres';
import { dayFiles } from '../../tests/integration/settlement/upload-helpers';
import { verdictOf, type Figure } from './figures';

export interface UploadSizes {
  terminals: number;
  attemptsPerDay: number;
}

const EPOCH = Date.UTC(2026, 10, 23, 2, 0, 0);
const DATE = '2026-11-23';
const HOUR = 3_600_000;

interface BenchDay {
  keyId: string;
  terminalId: string;
  merchantId: string;
  folder: string;
}

/** `count` terminals, each with its own phone, each with one closed and exported day. */
async function buildDays(dir: string, count: number, attempts: number): Promise<{ days: BenchDay[]; trust: unknown[] }> {
  const env = createDemoEnvironment({ now: EPOCH, seed: 'bench-upload', offlineLimit: 100_000_000 });
  const days: BenchDay[] = [];
  for (let i = 0; i < count; i++) {
    const terminalId = `B-${String(i).padStart(2, '0')}`;
    const folder = join(dir, 'terminals', terminalId);
    mkdirSync(folder, { recursive: true });
    const terminal = new DemoTerminal({ dir: folder, terminalId, merchantId: 'M-BENCH', trustStore: env.trustStore });
    const phone = new PhoneWallet({
      credentials: createWalletCredentials(
        env.authority,
        {
          serial: `bench-${terminalId}`,
          accountId: `bench-account-${i}`,
          offlineLimit: 100_000_000,
          currency: 'CNY',
          notBefore: EPOCH - 24 * HOUR,
          notAfter: EPOCH + 365 * 24 * HOUR,
        },
        (n) => randomBytes(n),
      ),
      counter: memoryCounterStore(),
    });
    for (let n = 0; n < attempts; n++) await terminal.pay(phone, 100 + n, EPOCH + n * 1000);
    terminal.close(DATE, EPOCH + 12 * HOUR);
    const out = await terminal.exportDay(DATE, join(dir, 'exports', terminalId));
    days.push({ keyId: terminal.key.keyId, terminalId, merchantId: 'M-BENCH', folder: out });
    terminal.shutdown();
  }
  return { days, trust: [exportTrustEntry(env.authority)] };
}

export interface UploadMeasurement {
  engine: string;
  terminals: number;
  rowsPerDay: number;
  singleMs: number;
  concurrentMs: number;
  stored: number;
  refused: string[];
}

export async function measureUploads(sizes: UploadSizes, log: (line: string) => void): Promise<UploadMeasurement> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-upload-'));
  const cluster = postgresAvailable() ? await startPostgres({ durable: true }) : undefined;
  try {
    log(`building ${sizes.terminals + 1} terminals' days of ${sizes.attemptsPerDay} payments (real sessions) ...`);
    const { days, trust } = await buildDays(dir, sizes.terminals + 1, sizes.attemptsPerDay);
    const db = await openSettlementDatabase(cluster ? await cluster.createDatabase('bench_upload') : 'memory://');
    const app = await createSettlementServer({ db, operatorToken: randomBytes(24).toString('hex'), uploadDir: dir });
    try {
      for (const entry of trust) await addAuthorityKey(db, entry);
      for (const day of days) await enrolTerminal(db, { keyId: day.keyId, terminalId: day.terminalId, merchantId: day.merchantId });
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      const upload = (day: BenchDay) => sendDay({ address, files: dayFiles(day.folder), timeoutMs: 600_000 });
      const [first, ...rest] = days;
      if (!first) throw new Error('no day built');
      log('one upload alone (baseline) ...');
      let t0 = performance.now();
      const single = await upload(first);
      const singleMs = performance.now() - t0;
      log(`${rest.length} uploads at once ...`);
      t0 = performance.now();
      const outcomes: SendDayOutcome[] = await Promise.all(rest.map(upload));
      const concurrentMs = performance.now() - t0;
      const all = [single, ...outcomes];
      return {
        engine: db.engine,
        terminals: rest.length,
        rowsPerDay: single.outcome === 'stored' ? (single.day.rows ?? 0) : 0,
        singleMs,
        concurrentMs,
        stored: all.filter((o) => o.outcome === 'stored').length - 1,
        refused: all.filter((o) => o.outcome !== 'stored').map((o) => (o.outcome === 'refused' ? o.code : o.outcome)),
      };
    } finally {
      await app.close();
      await db.close();
    }
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function uploadFigure(m: UploadMeasurement): Figure {
  const singleRate = m.rowsPerDay / (m.singleMs / 1000);
  const concurrentRate = (m.rowsPerDay * m.terminals) / (m.concurrentMs / 1000);
  const ratio = concurrentRate / singleRate;
  const allStored = m.stored === m.terminals && m.refused.length === 0;
  return {
    id: 'S6',
    title: `${m.terminals} terminals uploading at once over HTTP`,
    value: `${m.stored}/${m.terminals} stored in ${(m.concurrentMs / 1000).toFixed(1)} s: ${Math.round(concurrentRate)} rows/s`,
    baseline: `one upload alone: ${(m.singleMs / 1000).toFixed(2)} s, ${Math.round(singleRate)} rows/s`,
    ratio,
    goal: 'all stored; throughput >= 1x one upload',
    verdict: verdictOf(allStored && ratio >= 1),
    notes: [
      `${m.terminals + 1} terminals with their own key and phone, one closed day of ${m.rowsPerDay} rows each, exported and signed; uploaded by the terminal's client (send-day.ts) to the fastify server on loopback over ${m.engine === 'postgres' ? 'a throwaway PostgreSQL 15 cluster (fsync on)' : 'PGlite'}; ingest verifies every approval (verify-export) and runs detection in each upload's transaction.`,
      ...(m.refused.length > 0 ? [`not stored: ${m.refused.join(', ')}`] : []),
    ],
    data: {
      engine: m.engine,
      terminals: m.terminals,
      rowsPerDay: m.rowsPerDay,
      singleMs: m.singleMs,
      concurrentMs: m.concurrentMs,
      stored: m.stored,
      ratio,
    },
  };
}
