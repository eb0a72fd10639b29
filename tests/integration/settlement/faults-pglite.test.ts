// The embedded database under SIGKILL: PGlite runs inside the service's process, so killing the
// service kills the database with it. A child `settlement ingest --db <folder>` is killed at
// points spread over an ingest's work, SETTLEMENT_PGLITE_KILLS times (4 by default: each kill
// costs a process start, about 9 s on a loaded machine); after each kill the same folder is
// opened again (PGlite recovers it as PostgreSQL does after a crash) and holds nothing of the
// day or all of it once, and the next ingest stores the day whole.
//
// Every wait has a deadline, and the child's exit is watched from its spawn on, so an exit that
// happens before the kill (or before the test waits for it) is never missed.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../../src-settlement/db/pglite';
import type { Database } from '../../../src-settlement/db/port';
import { ingestDay } from '../../../src-settlement/ingest/ingest-day';
import { migrate } from '../../../src-settlement/migrations/migrate';
import { addAuthorityKey } from '../../../src-settlement/store/authorities';
import { enrolTerminal } from '../../../src-settlement/store/terminals';
import { exportFixtureDay, type ExportedDay } from '../../support/settlement-day';
import { wholeDayOrNothing } from './engines';

const REPO = join(import.meta.dirname, '..', '..', '..');
const KILLS = Number(process.env.SETTLEMENT_PGLITE_KILLS ?? 4);
/** Longest a child ingest, or an open of the folder, may take on a loaded machine. */
const DEADLINE_MS = 120_000;

let dir: string;
let day: ExportedDay;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'settlement-faults-pglite-'));
  day = await exportFixtureDay(dir, { name: 'settle-faults-pglite', attemptsPerDay: [600], phones: 60, genuine: 'all' }, 0);
}, 300_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `promise`, or a rejection naming `what` once `ms` have passed. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Opens the PGlite folder, runs `work` on it and closes it (a folder is one process's at a time). */
async function withFolder<T>(folder: string, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await within(openPglite(folder), DEADLINE_MS, `opening ${folder}`);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** A folder migrated, with the authority and the terminal enrolled, closed: copied for each use (creating one is slow). */
let template: string | undefined;
async function preparedFolder(name: string): Promise<string> {
  if (!template) {
    const made = join(dir, 'template');
    await withFolder(made, async (db) => {
      await migrate(db);
      for (const entry of day.trustEntries) await addAuthorityKey(db, entry);
      await enrolTerminal(db, day.enrolment);
    });
    template = made;
  }
  const folder = join(dir, name);
  cpSync(template, folder, { recursive: true });
  return folder;
}

/** A child ingest into `folder`; its exit is awaited from the spawn on. */
function ingestChild(folder: string): { child: ChildProcess; exited: Promise<void> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src-settlement/cli/index.ts', 'ingest', day.folder, '--db', folder, '--workers', '0', '--json'],
    { cwd: REPO, stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited };
}

/** Either nothing of the day, or all of it exactly once. */
const wholeOrNothing = (db: Database): Promise<'none' | 'whole'> => wholeDayOrNothing(db, day.rows);

describe('settlement killed mid-ingest on PGlite', () => {
  it(`the service and its embedded database killed with SIGKILL ${KILLS} times never leave a partial day`, async () => {
    const timing = await preparedFolder('timing');
    let target = await preparedFolder('killed-0');
    // How long one whole ingest takes from process start, and how long a process takes to start
    // and answer that the day is held: the kills are spread over the ingest's own work between.
    const t0 = Date.now();
    await within(ingestChild(timing).exited, DEADLINE_MS, 'the timing ingest');
    const full = Date.now() - t0;
    const t1 = Date.now();
    await within(ingestChild(timing).exited, DEADLINE_MS, 'the timing re-ingest');
    const startup = Math.min(Date.now() - t1, full);
    expect(await withFolder(timing, wholeOrNothing)).toBe('whole');

    let end = full;
    const outcomes = { none: 0, whole: 0 };
    for (let i = 0; i < KILLS; i++) {
      const run = ingestChild(target);
      const delay = Math.floor(startup + ((i + 0.5) / KILLS) * (end - startup));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([run.exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, delay)))]);
      clearTimeout(timer);
      run.child.kill('SIGKILL');
      await within(run.exited, DEADLINE_MS, `killed ingest ${i + 1}`);
      const outcome = await withFolder(target, wholeOrNothing);
      outcomes[outcome] += 1;
      // Killed after its commit: this run was faster than the timed one (the load on the machine
      // varies), so the next kills come sooner, on a folder without the day.
      if (outcome === 'whole' && i < KILLS - 1) {
        end = delay;
        target = await preparedFolder(`killed-${i + 1}`);
      }
    }
    expect(outcomes.none + outcomes.whole).toBe(KILLS);
    expect(outcomes.none).toBeGreaterThan(0);
    await withFolder(target, async (db) => {
      const last = await ingestDay(db, { folder: day.folder }, { workers: 1 });
      expect(['stored', 'already_held']).toContain(last.status);
      expect(await wholeOrNothing(db)).toBe('whole');
    });
  }, 600_000);
});
