// `npm run cli -- charge` as an integrator runs it: a child process, one JSON line, exit code.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVirtualPhone, usePcscd, type Pcscd } from '../../support/pcscd';

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
let dataDir: string;
let pcscd: Pcscd;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the decision's JSON line on stdout to the process's exit. */
  exitAfterDecisionMs: number | undefined;
}

/** Runs the CLI; a process still alive `killAfterMs` after its start is killed (the test then fails on its exit code). */
function cli(args: string[], killAfterMs = 100_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'src-main/cli/index.ts'), ...args], {
      cwd: REPO,
      env: { ...process.env, CASHIER_READER: '' },
    });
    let stdout = '';
    let stderr = '';
    let decidedAt: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (decidedAt === undefined && stdout.includes('\n')) decidedAt = performance.now();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, exitAfterDecisionMs: decidedAt === undefined ? undefined : performance.now() - decidedAt });
    });
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'charge-cli-'));
  pcscd = await usePcscd();
});

afterAll(async () => {
  await pcscd.release();
  rmSync(dataDir, { recursive: true, force: true });
});

// Each case starts Node processes that compile TypeScript on the fly: allow for a busy machine.
describe('charge command', { timeout: 120_000 }, () => {
  it('sets up a demo terminal and approves with the simulated phone (exit 0)', async () => {
    const run = await cli(['charge', '--amount', '12.34', '--reader', 'stub', '--data-dir', dataDir, '--setup-demo']);
    expect(run.code, run.stderr).toBe(0);
    const line = JSON.parse(run.stdout.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ outcome: 'approved', amount: 1234, currency: 'CNY', reader: 'stub', demo: true, seq: 1 });
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('prints a decline with its reason (exit 1)', async () => {
    const run = await cli(['charge', '--minor', '500', '--reader', 'stub', '--scenario', 'expired-license', '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ outcome: 'declined', reason: 'license_expired' });
  });

  it('refuses bad input and a data folder that was never set up (exit 2)', async () => {
    expect((await cli(['charge', '--amount', '1.234', '--reader', 'stub', '--data-dir', dataDir])).code).toBe(2);
    expect((await cli(['charge', '--amount', '1', '--reader', 'nfc', '--data-dir', dataDir])).code).toBe(2);
    const fresh = mkdtempSync(path.join(tmpdir(), 'charge-cli-fresh-'));
    try {
      const run = await cli(['charge', '--amount', '1', '--reader', 'stub', '--data-dir', fresh]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/not set up/);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it("approves through pcscd with the terminal's demo phone served on the virtual reader", async () => {
    const phone = await startVirtualPhone({ dataDir, scenario: 'approve' });
    try {
      const run = await cli(['charge', '--amount', '2.50', '--reader', 'pcsc', '--data-dir', dataDir, '--timeout-ms', '60000']);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout.trim())).toMatchObject({ outcome: 'approved', amount: 250, reader: 'pcsc' });
      expect(run.exitAfterDecisionMs).toBeLessThan(2000);
    } finally {
      await phone.stop();
    }
  });

  it('exits within 2 s of its decision when the phone stops answering mid-exchange (step_timeout over pcscd)', async () => {
    const phone = await startVirtualPhone({ dataDir, scenario: 'silent' });
    try {
      const run = await cli(['charge', '--amount', '3.00', '--reader', 'pcsc', '--data-dir', dataDir, '--timeout-ms', '60000'], 60_000);
      expect(run.code, run.stderr).toBe(1);
      expect(JSON.parse(run.stdout.trim())).toMatchObject({ outcome: 'declined', reason: 'step_timeout', reader: 'pcsc' });
      expect(run.exitAfterDecisionMs).toBeLessThan(2000);
    } finally {
      await phone.stop();
    }
  });
});
