// Crash safety: a child process records payments and is killed with SIGKILL at random moments,
// hundreds of times. Every payment it acknowledged (after record returned) must be in the ledger
// exactly once, and the chain must verify.
//
// The child is crash-writer.ts with the real ledger code. Starting it through tsx costs ~0.4 s of
// TypeScript loading per life (more on a busy machine), so the test bundles it once with esbuild
// (the transpiler tsx itself runs on) into node_modules/.cache and starts plain `node`.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { Ledger } from '../../../src-main/ledger/ledger';
import { tempDir } from '../../unit/ledger/fixtures';

const WRITER_SOURCE = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const CACHE = fileURLToPath(new URL('../../../node_modules/.cache/ledger-tests/', import.meta.url));
const WRITER = join(CACHE, `crash-writer-${process.pid}.mjs`);
const LEDGERS = 4; // independent files, killed in parallel
const KILLS_PER_LEDGER = Number(process.env.LEDGER_CRASH_KILLS ?? 50);

interface RunOutcome {
  acked: string[];
  tried: string[];
}

/** One child life: killed after a random delay (sometimes before it even opened the ledger). */
function runOnce(path: string, runId: string, again: string[], delayMs: number): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, path, runId, ...again], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = () => child.kill('SIGKILL');
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      // Count the delay from the moment the ledger is open; negative delays kill during start-up.
      if (timer === undefined && delayMs >= 0 && out.includes('ready\n')) timer = setTimeout(kill, delayMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    if (delayMs < 0) timer = setTimeout(kill, 150 + Math.abs(delayMs) * 10);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited by itself (code ${code}): ${err}`));
      // Only complete lines count: a line cut by the kill was never fully acknowledged.
      const lines = out.split('\n').slice(0, -1);
      resolve({
        acked: lines.filter((l) => l.startsWith('ack ')).map((l) => l.slice(4)),
        tried: lines.filter((l) => l.startsWith('try ')).map((l) => l.slice(4)),
      });
    });
  });
}

describe('crash safety under SIGKILL', () => {
  const { dir, cleanup } = tempDir('ledger-crash-');
  afterAll(() => {
    cleanup();
    rmSync(WRITER, { force: true });
  });
  beforeAll(async () => {
    mkdirSync(CACHE, { recursive: true });
    // Native and npm modules stay external: the bundle sits under node_modules and resolves them there.
    await build({
      entryPoints: [WRITER_SOURCE],
      outfile: WRITER,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'error',
    });
  });

  it(`keeps every acknowledged payment exactly once across ${LEDGERS * KILLS_PER_LEDGER} kills`, async () => {
    const results = await Promise.all(
      Array.from({ length: LEDGERS }, async (_, l) => {
        const path = join(dir, `ledger-${l}.sqlite`);
        const acked = new Set<string>();
        let again: string[] = [];
        let kills = 0;
        for (let k = 0; k < KILLS_PER_LEDGER; k++) {
          // Mostly while committing; one in ten while starting (opening, creating, migrating).
          const delay = k % 10 === 3 ? -Math.floor(Math.random() * 30) : Math.floor(Math.random() * 120);
          const outcome = await runOnce(path, `l${l}-k${k}`, again, delay);
          kills += 1;
          for (const id of outcome.acked) acked.add(id);
          // Next life re-records the last acknowledged ids and the one in flight at the kill.
          again = [...outcome.acked.slice(-2), ...outcome.tried.slice(-1)];
        }
        return { path, acked, kills };
      }),
    );
    let totalAcked = 0;
    for (const { path, acked, kills } of results) {
      expect(kills).toBe(KILLS_PER_LEDGER);
      totalAcked += acked.size;
      const ledger = new Ledger({ path, terminalId: 'T-0001', merchantId: 'M-42', timeZone: 'Asia/Shanghai', cutoffHour: 4 });
      try {
        for (const id of acked) expect(ledger.getAttempt(id)?.transactionId).toBe(id);
        const integrity = ledger.integrityCheck();
        expect(integrity.problems).toEqual([]);
        expect(integrity.chain.rows).toBeGreaterThanOrEqual(acked.size);
      } finally {
        ledger.close();
      }
      const db = new Database(path, { readonly: true });
      try {
        const dup = db.prepare('SELECT transaction_id, COUNT(*) AS n FROM entries GROUP BY transaction_id HAVING n > 1').all();
        expect(dup).toEqual([]);
        const itemsOfMissingRows = db
          .prepare('SELECT COUNT(*) AS n FROM line_items WHERE entry_seq NOT IN (SELECT seq FROM entries)')
          .get();
        expect(itemsOfMissingRows).toEqual({ n: 0 });
      } finally {
        db.close();
      }
    }
    expect(totalAcked).toBeGreaterThan(LEDGERS * KILLS_PER_LEDGER);
  }, 600_000);
});
