// Settlement figures (S1-S5), each next to its baseline in the same run, on a throwaway
// PostgreSQL cluster (durable settings, as a server runs):
//   S1 ingest of a day into PostgreSQL (verification included) vs verify-export of the same day
//   S2 the detection pass of that day with ten days' worth of rows held vs that day's ingest
//   S3 re-ingest of the held day (nothing written) vs its ingest
//   S4 account statement for a month over the rows held: p99
//   S5 peak RSS of an ingest (fresh process) as the day grows tenfold
// The extra days held for S2/S4 are copies of the ingested day under other terminal keys and
// license serials, written by SQL (re-verifying them would add nothing to what is measured).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { verifyExport } from '../../src-main/export/verify-export';
import { parseTrustEntry } from '../../src-main/verification/trust-store';
import { openPostgres } from '../../src-settlement/db/pg';
import type { Database } from '../../src-settlement/db/port';
import { detectDay } from '../../src-settlement/detect/detect-day';
import { ingestDay } from '../../src-settlement/ingest/ingest-day';
import { migrate } from '../../src-settlement/migrations/migrate';
import { accountStatement } from '../../src-settlement/statements/account';
import { addAuthorityKey } from '../../src-settlement/store/authorities';
import { enrolTerminal } from '../../src-settlement/store/terminals';
import { readdirSync } from 'node:fs';
import { startPostgres } from '../../tests/support/postgres';
import { exportFixtureDay, type ExportedDay } from '../../tests/support/settlement-day';
import { verdictOf, type Figure } from './figures';
import { mb, ms, percentile, ratio, x } from './stats';

const run = promisify(execFile);
const HERE = import.meta.dirname;

export const GOAL_INGEST_RATIO = 1.4;
export const GOAL_DETECT_RATIO = 0.5;
export const GOAL_REINGEST_RATIO = 0.1;
export const GOAL_STATEMENT_P99_MS = 20;
export const GOAL_FLAT_RATIO = 1.25;

export interface SettlementSizes {
  dayAttempts: number;
  /** Rows held for S2 and S4 (the day's rows copied until there are this many). */
  heldRows: number;
  phones: number;
  statements: number;
}

export const SETTLEMENT_SIZES = {
  quick: { dayAttempts: 10_000, heldRows: 100_000, phones: 500, statements: 200 },
  full: { dayAttempts: 100_000, heldRows: 1_000_000, phones: 2_000, statements: 1_000 },
} as const satisfies Record<'quick' | 'full', SettlementSizes>;

const manifestOf = (folder: string): string => join(folder, readdirSync(folder).find((n) => n.endsWith('.manifest.json')) ?? '');

async function prepared(db: Database, day: ExportedDay): Promise<void> {
  await migrate(db);
  for (const entry of day.trustEntries) await addAuthorityKey(db, entry);
  await enrolTerminal(db, day.enrolment);
}

/** Copies of a held day under other keys and serials until `target` rows are held. */
async function fillTo(db: Database, dayId: number, target: number): Promise<number> {
  let copy = 0;
  for (;;) {
    const [held] = await db.query<{ n: number }>('SELECT count(*)::bigint AS n FROM entries');
    if ((held?.n ?? 0) >= target) return held?.n ?? 0;
    copy += 1;
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO terminal_keys (key_id, terminal_id, merchant_id) SELECT encode(sha256(convert_to($1 || key_id, 'UTF8')), 'hex'), terminal_id || $1, merchant_id FROM days WHERE id = $2`,
        [`-copy-${copy}`, dayId],
      );
      const [day] = await tx.query<{ id: number }>(
        `INSERT INTO days (key_id, terminal_id, merchant_id, ledger_id, business_date, z_number, row_count, first_seq, last_seq, first_prev_hash, last_hash, manifest_sha256, manifest)
         SELECT encode(sha256(convert_to($1 || key_id, 'UTF8')), 'hex'), terminal_id || $1, merchant_id, ledger_id || $1, business_date - $3::int, z_number, row_count, first_seq, last_seq, first_prev_hash, last_hash,
                encode(sha256(convert_to($1 || manifest_sha256, 'UTF8')), 'hex'), manifest FROM days WHERE id = $2 RETURNING id`,
        [`-copy-${copy}`, dayId, copy],
      );
      await tx.query(
        `INSERT INTO entries SELECT $3::bigint, seq, encode(sha256(convert_to($1 || key_id, 'UTF8')), 'hex'), kind, status, business_date - $4::int, recorded_at - $4::bigint * 86400000,
                terminal_id || $1, merchant_id, transaction_id || $1, original_transaction_id || $1, amount, currency, account_id, authority_id, authority_kid,
                license_serial || $1, app_counter, license_sha256, demo, prev_hash, hash, record FROM entries WHERE day_id = $2`,
        [`-copy-${copy}`, dayId, day?.id, copy],
      );
      await tx.query(
        `INSERT INTO license_day_spend SELECT $3::bigint, authority_id, serial || $1, currency, approved, voided, refunded FROM license_day_spend WHERE day_id = $2`,
        [`-copy-${copy}`, dayId, day?.id],
      );
    });
  }
}

async function peakIngest(folder: string, url: string): Promise<{ ms: number; peakRssBytes: number; rows: number }> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(HERE, 'settlement-child.ts'), folder, url, '1'], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { ms: number; peakRssBytes: number; rows: number };
}

export async function settlementFigures(sizes: SettlementSizes, log: (line: string) => void): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'settlement-bench-'));
  const cluster = await startPostgres({ durable: true });
  try {
    const spec = {
      name: 'settle',
      attemptsPerDay: [Math.max(1, Math.floor(sizes.dayAttempts / 10)), sizes.dayAttempts],
      phones: sizes.phones,
      genuine: 'all' as const,
    };
    const small = await exportFixtureDay(dir, spec, 0, log);
    const day = await exportFixtureDay(dir, spec, 1, log);
    const db = await openPostgres(await cluster.createDatabase('bench'));
    await prepared(db, day);
    const authorities = day.trustEntries.map(parseTrustEntry);
    const workers = 1;

    // S1: verify-export alone, then the ingest (which runs verify-export and COPY together).
    let t0 = performance.now();
    const verified = await verifyExport(manifestOf(day.folder), {
      authorities,
      expectTerminalKeyId: day.enrolment.keyId,
      workers,
      clockSkewMs: Number.POSITIVE_INFINITY,
    });
    const verifyMs = performance.now() - t0;
    if (!verified.ok) throw new Error(`the bench day does not verify: ${verified.problems[0]}`);
    t0 = performance.now();
    const stored = await ingestDay(db, { folder: day.folder }, { workers });
    const ingestMs = performance.now() - t0;
    if (stored.status !== 'stored') throw new Error('the bench day was not stored');
    log(`ingest ${ms(ingestMs, 0)}, verify-export ${ms(verifyMs, 0)}`);

    // S3: the same day again.
    const counts = async () =>
      (
        await db.query<{ n: number }>(
          'SELECT (SELECT count(*) FROM entries) + (SELECT count(*) FROM days) + (SELECT count(*) FROM findings) AS n',
        )
      )[0]?.n;
    const before = await counts();
    t0 = performance.now();
    const again = await ingestDay(db, { folder: day.folder }, { workers });
    const reingestMs = performance.now() - t0;
    const unchanged = again.status === 'already_held' && (await counts()) === before;

    // S2: rows held up to heldRows, then the day's detection pass again (rolled back).
    const held = await fillTo(db, stored.dayId, sizes.heldRows);
    await db.query('ANALYZE');
    const detectRuns: number[] = [];
    for (let i = 0; i < 3; i++) {
      t0 = performance.now();
      await db
        .transaction(async (tx) => {
          await detectDay(tx, stored.dayId);
          throw new Error('rollback');
        })
        .catch(() => undefined);
      detectRuns.push(performance.now() - t0);
    }
    const detectMs = [...detectRuns].sort((a, b) => a - b)[1] ?? 0;
    log(`detection with ${held} rows held ${ms(detectMs, 0)}`);

    // S4: month statements of random accounts.
    const accounts = (
      await db.query<{ account_id: string }>(
        `SELECT DISTINCT account_id FROM entries WHERE kind = 'sale' AND status = 'approved' LIMIT 500`,
      )
    ).map((r) => r.account_id);
    const [span] = await db.query<{ lo: number }>(`SELECT min(recorded_at) AS lo FROM entries`);
    const from = span?.lo ?? 0;
    const samples: number[] = [];
    let lines = 0;
    for (let i = 0; i < sizes.statements; i++) {
      const account = accounts[i % accounts.length] ?? '';
      t0 = performance.now();
      const statement = await accountStatement(db, account, from, from + 31 * 86_400_000);
      samples.push(performance.now() - t0);
      lines += statement.lines.length;
    }
    samples.sort((a, b) => a - b);
    const p99 = percentile(samples, 99);

    // S5: peak RSS of an ingest in a fresh process, a day and a day ten times larger.
    const smallDb = await cluster.createDatabase('bench_small');
    const bigDb = await cluster.createDatabase('bench_big');
    for (const url of [smallDb, bigDb]) {
      const target = await openPostgres(url);
      await prepared(target, day);
      await target.close();
    }
    const smallRun = await peakIngest(small.folder, smallDb);
    const bigRun = await peakIngest(day.folder, bigDb);
    await db.close();

    const ingestRatio = ratio(ingestMs, verifyMs);
    const detectRatio = ratio(detectMs, ingestMs);
    const reingestRatio = ratio(reingestMs, ingestMs);
    const flat = ratio(bigRun.peakRssBytes, smallRun.peakRssBytes);
    const rowsNote = `${day.rows.toLocaleString('en')} rows (${sizes.dayAttempts.toLocaleString('en')} attempts, ${sizes.phones.toLocaleString('en')} phones), verify-export with ${workers} worker`;
    return [
      {
        id: 'S1',
        title: `Settlement ingest of a ${sizes.dayAttempts.toLocaleString('en')}-attempt day into PostgreSQL`,
        value: ms(ingestMs, 0),
        baseline: `verify-export ${ms(verifyMs, 0)}`,
        ratio: ingestRatio,
        goal: `<= ${GOAL_INGEST_RATIO}x verify-export`,
        verdict: verdictOf(ingestRatio <= GOAL_INGEST_RATIO),
        notes: [rowsNote, 'ingest = verify-export || COPY of every row, then detection and COMMIT (durable cluster: fsync on)'],
        data: { ingestMs, verifyMs, rows: day.rows },
      },
      {
        id: 'S2',
        title: `Detection pass of that day with ${held.toLocaleString('en')} rows held`,
        value: ms(detectMs, 0),
        baseline: `its ingest ${ms(ingestMs, 0)}`,
        ratio: detectRatio,
        goal: `<= ${GOAL_DETECT_RATIO}x the ingest`,
        verdict: verdictOf(detectRatio <= GOAL_DETECT_RATIO),
        notes: [
          `median of ${detectRuns.length} passes (${detectRuns.map((r) => ms(r, 0)).join(', ')}), each rolled back; rows held beyond the day are copies under other keys and serials`,
        ],
        data: { detectMs, heldRows: held },
      },
      {
        id: 'S3',
        title: 'Re-ingest of a day already held',
        value: ms(reingestMs, 1),
        baseline: `its ingest ${ms(ingestMs, 0)}`,
        ratio: reingestRatio,
        goal: `<= ${GOAL_REINGEST_RATIO}x the ingest, nothing written`,
        verdict: verdictOf(reingestRatio <= GOAL_REINGEST_RATIO && unchanged),
        notes: [`answer: ${again.status}; rows of days, entries and findings ${unchanged ? 'unchanged' : 'CHANGED'}`],
        data: { reingestMs, unchanged },
      },
      {
        id: 'S4',
        title: `Account statement for a month over ${held.toLocaleString('en')} rows`,
        value: `p99 ${ms(p99, 2)}`,
        baseline: `p50 ${ms(percentile(samples, 50), 2)}`,
        goal: `p99 <= ${GOAL_STATEMENT_P99_MS} ms`,
        verdict: verdictOf(p99 <= GOAL_STATEMENT_P99_MS),
        notes: [
          `${sizes.statements} statements of ${accounts.length} accounts, ${(lines / sizes.statements).toFixed(1)} lines each on average`,
        ],
        data: { p99Ms: p99, p50Ms: percentile(samples, 50) },
      },
      {
        id: 'S5',
        title: 'Ingest memory as the day grows tenfold',
        value: `peak RSS ${mb(bigRun.peakRssBytes)} (${bigRun.rows.toLocaleString('en')} rows)`,
        baseline: `${mb(smallRun.peakRssBytes)} (${smallRun.rows.toLocaleString('en')} rows)`,
        ratio: flat,
        goal: `<= ${GOAL_FLAT_RATIO}x (flat)`,
        verdict: verdictOf(flat <= GOAL_FLAT_RATIO),
        notes: ['each ingest in a fresh process (tsx), RSS sampled every 10 ms', `ratio ${x(flat)}`],
        data: { smallPeak: smallRun.peakRssBytes, bigPeak: bigRun.peakRssBytes },
      },
    ];
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
