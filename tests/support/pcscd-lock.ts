// Exclusive use of the machine's one pcscd and its two virtual readers. Every test run (from any
// checkout of the repository) that uses pcscd holds the lock file below with flock(1), the same
// lock people take by hand with `flock /tmp/pcscd.lock npx vitest run ...`, so that two runs
// never start, stop or tap the same readers at once.
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

export const PCSCD_LOCK = '/tmp/pcscd.lock';

export interface LockOptions {
  /** The lock file (tests of this helper use their own). */
  file?: string;
  /** How long to wait for another run to finish with pcscd before failing, saying why. */
  waitSeconds?: number;
  log?: (line: string) => void;
}

export interface PcscdLock {
  /** True when a parent process (`flock /tmp/pcscd.lock npx vitest ...`) holds it already. */
  readonly inherited: boolean;
  /** Gives the lock back (nothing to do for an inherited one). */
  release(): Promise<void>;
}

/** This process and its parents, up to init. */
function ancestry(): Set<number> {
  const pids = new Set<number>();
  for (let pid = process.pid; pid > 1 && !pids.has(pid);) {
    pids.add(pid);
    // /proc/PID/stat: "pid (comm) state ppid ..."; comm may itself hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  }
  return pids;
}

/**
 * True when a parent process holds the lock, as `flock /tmp/pcscd.lock npx vitest ...` does:
 * waiting for it would wait forever. /proc/locks names the process that took each flock(2) lock
 * and the file's device and inode (lines with "->" are waiters, not holders).
 */
function heldByParent(file: string): boolean {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return false;
  }
  const major = (stat.dev >> 8) & 0xfff;
  const minor = (stat.dev & 0xff) | ((stat.dev >> 12) & 0xfff00);
  const device = `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}`;
  const parents = ancestry();
  return readFileSync('/proc/locks', 'utf8')
    .split('\n')
    .some((line) => {
      const lock = /^\d+: FLOCK\s+ADVISORY\s+WRITE\s+(\d+)\s+([0-9a-f]+:[0-9a-f]+):(\d+)\s/.exec(line);
      return lock !== null && parents.has(Number(lock[1])) && lock[2] === device && Number(lock[3]) === stat.ino;
    });
}

function exitCode(child: ReturnType<typeof spawn>): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/**
 * Holds the pcscd lock until release() or until this process exits: a child `flock` runs `cat`
 * on a pipe from this process, so the lock goes away with the process even when it crashes.
 */
async function takeLock(file: string, waitSeconds: number, log: (line: string) => void): Promise<PcscdLock> {
  const attempt = async (flockArgs: string[]): Promise<PcscdLock | undefined> => {
    const holder = spawn('flock', [...flockArgs, '-x', file, '-c', 'echo locked && exec cat'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = exitCode(holder);
    const locked = await new Promise<boolean>((resolve, reject) => {
      holder.stdout.once('data', () => resolve(true));
      exited.then(() => resolve(false), reject);
    });
    if (!locked) return undefined;
    return {
      inherited: false,
      async release() {
        holder.stdin.end();
        await exited;
      },
    };
  };
  const now = await attempt(['-n']);
  if (now) return now;
  log(`waiting for ${file}: another test run is using pcscd (at most ${waitSeconds} s)`);
  const later = await attempt(['-w', String(waitSeconds)]);
  if (later) return later;
  throw new Error(`${file} stayed locked for ${waitSeconds} s: another test run still uses pcscd`);
}

export async function lockPcscd(options: LockOptions = {}): Promise<PcscdLock> {
  const file = options.file ?? PCSCD_LOCK;
  if (heldByParent(file)) return { inherited: true, release: async () => undefined };
  return takeLock(file, options.waitSeconds ?? 20 * 60, options.log ?? console.log);
}
