// Faults in the middle of an ingest never leave a partial day or a row twice: PostgreSQL stopped
// at once and started again during the COPY, and the service killed with SIGKILL at random
// points, dozens of times; each time the next upload stores the day whole, once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../../src-settlement/db/pg';
import type { Database } from '../../../src-settlement/db/port';
import { SettlementError } from '../../../src-settlement/errors';
import { ingestDay } from '../../../src-settlement/ingest/ingest-day';
import { migrate } from '../../../src-settlement/migrations/migrate';
import { addAuthorityKey } from '../../../src-settlement/store/authorities';
import { enrolTerminal } from '../../../src-settlement/store/terminals';
import { startPostgres, type PostgresCluster } from '../../support/postgres';
import { exportFixtureDay, type ExportedDay } from '../../support/settlement-day';
import { wholeDayOrNothing } from './engines';

const REPO = join(import.meta.dirname, '..', '..', '..');
const KILLS = Number(process.env.SETTLEMENT_KILLS ?? 24);
const CHILD_APP = 'settlement-faults-child';

let dir: string;
let cluster: PostgresCluster;
let day: ExportedDay;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'settlement-faults-'));
  // Durable: an immediate restart of a server with synchronous_commit off loses commits it
  // already acknowledged (the enrolment, say), which is not the fault under test.
  [cluster, day] = await Promise.all([
    startPostgres({ durable: true }),
    exportFixtureDay(dir, { name: 'settle-faults', attemptsPerDay: [6000], phones: 200, genuine: 'all' }, 0),
  ]);
}, 300_000);
afterAll(async () => {
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function prepared(name: string): Promise<{ url: string; db: Database }> {
  const url = await cluster.createDatabase(name);
  const db = await openPostgres(url);
  await migrate(db);
  for (const entry of day.trustEntries) await addAuthorityKey(db, entry);
  await enrolTerminal(db, day.enrolment);
  return { url, db };
}

/** Either nothing of the day, or all of it exactly once. */
const wholeOrNothing = (db: Database): Promise<'none' | 'whole'> => wholeDayOrNothing(db, day.rows);

describe('settlement faults on PostgreSQL', () => {
  it('a PostgreSQL restart during the COPY answers DATABASE_UNAVAILABLE; the retry stores the day once', async () => {
    const { db } = await prepared('restart_mid_ingest');
    const watcher = await openPostgres(cluster.url);
    const ingest = ingestDay(db, { folder: day.folder }, { workers: 1 }).then(
      () => null,
      (e: unknown) => e,
    );
    // Restart as soon as the day's COPY is running on the server.
    for (let i = 0; i < 600; i++) {
      const [copying] = await watcher.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'COPY entries%'`,
      );
      if ((copying?.n ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await watcher.close().catch(() => undefined);
    await cluster.restart('immediate');
    const error = await ingest;
    expect(error).toBeInstanceOf(SettlementError);
    expect((error as SettlementError).code).toBe('DATABASE_UNAVAILABLE');
    expect(await wholeOrNothing(db)).toBe('none');
    const retried = await ingestDay(db, { folder: day.folder }, { workers: 1 });
    expect(retried.status).toBe('stored');
    expect(await wholeOrNothing(db)).toBe('whole');
    expect((await ingestDay(db, { folder: day.folder }, { workers: 1 })).status).toBe('already_held');
    await db.close();
  }, 300_000);

  it(`the service killed with SIGKILL mid-ingest ${KILLS} times never leaves a partial day`, async () => {
    // The exit promise exists from the spawn on: a child that finished before its kill has
    // already emitted 'exit', and a listener added afterwards would wait for ever.
    const ingestChild = (database: string): { child: ChildProcess; exited: Promise<void> } => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src-settlement/cli/index.ts', 'ingest', day.folder, '--db', database, '--workers', '0', '--json'],
        { cwd: REPO, stdio: 'ignore', env: { ...process.env, PGAPPNAME: CHILD_APP } },
      );
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      return { child, exited };
    };
    // How long one whole ingest takes from process start, to spread the kills over it.
    const timing = await prepared('sigkill_timing');
    await timing.db.close();
    const t0 = Date.now();
    await ingestChild(timing.url).exited;
    // The kills are spread over 1.1 times that. A kill that came after the commit (the machine got
    // faster than when it was timed) shrinks the spread, and the loop goes on in a fresh database.
    let scale = Date.now() - t0;
    let target = await prepared('sigkill_loop_0');
    const outcomes = { none: 0, whole: 0 };
    for (let i = 0; i < KILLS; i++) {
      const run = ingestChild(target.url);
      const delay = Math.floor(((i + 0.5) / KILLS) * scale * 1.1);
      await Promise.race([run.exited, new Promise((resolve) => setTimeout(resolve, delay))]);
      run.child.kill('SIGKILL');
      await run.exited;
      // A killed client's transaction ends when the server sees its connection close.
      await untilChildSessionsGone(target.db);
      const outcome = await wholeOrNothing(target.db);
      outcomes[outcome] += 1;
      if (outcome === 'whole') {
        scale = delay * 0.8;
        await target.db.close();
        target = await prepared(`sigkill_loop_${i + 1}`);
      }
    }
    expect(outcomes.none + outcomes.whole).toBe(KILLS);
    expect(outcomes.none).toBeGreaterThan(KILLS / 2);
    const last = await ingestDay(target.db, { folder: day.folder }, { workers: 1 });
    expect(['stored', 'already_held']).toContain(last.status);
    expect(await wholeOrNothing(target.db)).toBe('whole');
    await target.db.close();
  }, 600_000);
});

/** Polls the server until no session of a killed child is left, with a deadline. */
async function untilChildSessionsGone(db: Database): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [CHILD_APP]);
    if ((row?.n ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error(`${row?.n} sessions of a killed ingest still open after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
