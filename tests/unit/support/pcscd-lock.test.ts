// The pcscd lock on its own lock file: exclusive between runs, inherited from `flock FILE cmd`,
// given back when its holder dies, and a clear error after the wait deadline.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockPcscd } from '../../support/pcscd-lock';
import { waitFor } from '../../support/pcscd';

const HELPER = path.resolve(import.meta.dirname, '../../support/pcscd-lock.ts');
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pcscd-lock-'));
  file = path.join(dir, 'pcscd.lock');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** True when nobody holds the lock (a non-blocking flock of our own succeeds). */
function free(): boolean {
  return spawnSync('flock', ['-n', file, 'true']).status === 0;
}

/** A Node child that takes the lock with the helper, prints {"inherited":...} and waits for stdin. */
function lockingChild(command: string[]) {
  const script = `import { lockPcscd } from ${JSON.stringify(HELPER)};
    const lock = await lockPcscd({ file: ${JSON.stringify(file)}, waitSeconds: 5 });
    console.log(JSON.stringify({ inherited: lock.inherited }));
    process.stdin.resume();`;
  const child = spawn(
    command[0] ?? 'node',
    [...command.slice(1), process.execPath, '--import', 'tsx', '--input-type=module', '-e', script],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { child, output: () => out };
}

describe('pcscd lock', () => {
  it('lets a second run wait until the first gives the lock back', async () => {
    const first = await lockPcscd({ file });
    expect(first.inherited).toBe(false);
    expect(free()).toBe(false);
    const lines: string[] = [];
    let secondHeld = false;
    const second = lockPcscd({ file, log: (line) => lines.push(line) }).then((lock) => {
      secondHeld = true;
      return lock;
    });
    await waitFor(() => lines.some((line) => line.includes('another test run is using pcscd')), 'the second run to wait');
    expect(secondHeld).toBe(false);
    await first.release();
    const lock = await second;
    expect(free()).toBe(false);
    await lock.release();
    expect(free()).toBe(true);
  });

  it('fails with the reason once the wait deadline passes', async () => {
    const first = await lockPcscd({ file });
    try {
      await expect(lockPcscd({ file, waitSeconds: 1, log: () => undefined })).rejects.toThrow(
        `${file} stayed locked for 1 s: another test run still uses pcscd`,
      );
    } finally {
      await first.release();
    }
  });

  it('uses the lock a parent took with `flock FILE command` instead of waiting for itself', async () => {
    // Through a Node process in between, as `npx vitest` is: Node does not pass the lock's
    // descriptor on to its children, so the helper must recognise its ancestor as the holder.
    const relay = "require('node:child_process').spawnSync(process.argv[1], process.argv.slice(2), { stdio: 'inherit' })";
    const { child, output } = lockingChild(['flock', file, process.execPath, '-e', relay]);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await waitFor(() => output().includes('inherited'), 'the child to hold the lock', 30_000);
    expect(JSON.parse(output())).toEqual({ inherited: true });
    expect(free()).toBe(false);
    child.stdin.end();
    await exited;
    expect(free()).toBe(true);
  });

  it('is given back when the process holding it is killed', async () => {
    const { child, output } = lockingChild(['env']);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await waitFor(() => output().includes('inherited'), 'the child to hold the lock', 30_000);
    expect(JSON.parse(output())).toEqual({ inherited: false });
    expect(free()).toBe(false);
    if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    await exited;
    await waitFor(free, 'the lock to be given back');
  });
});
