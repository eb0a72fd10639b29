// Test helper for the real PC/SC stack: pcscd with vsmartcard's virtual reader driver (vpcd).
// Starts pcscd when none runs, uses (and never stops) one somebody else started, and stops
// only the processes it started itself, by their process id.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';

export const VPCD_CONFIG = '/etc/reader.conf.d/vpcd';
export const VPCD_READERS = ['Virtual PCD 00 00', 'Virtual PCD 00 01'] as const;
/** vpcd listens for virtual cards on its configured port and the next one, one per reader slot. */
export const VPCD_PORTS = [35963, 35964] as const;

const SOCKET = process.env.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm';
const REPO = path.resolve(import.meta.dirname, '..', '..');

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 50 ms until it is true; rejects with `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** True when pcscd accepts connections on its client socket. */
export function pcscdReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(SOCKET);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** True when something listens on TCP `port` (read from /proc, so no connection is made). */
function tcpListening(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(hex) && fields[3] === '0A') return true;
    }
  }
  return false;
}

/** pcscd is up and its vpcd reader slots accept virtual cards. */
export async function vpcdReady(): Promise<boolean> {
  return (await pcscdReachable()) && VPCD_PORTS.every(tcpListening);
}

export interface Pcscd {
  /** True when this helper started pcscd (and may therefore stop and restart it). */
  readonly owned: boolean;
  readonly pid: number | undefined;
  /** Stops the pcscd this helper started (refuses when it did not start it). */
  stop(): Promise<void>;
  /** Starts pcscd again after stop(). */
  start(): Promise<void>;
  /** Stops what the helper started; leaves a foreign pcscd running. */
  release(): Promise<void>;
}

class PcscdProcess implements Pcscd {
  private child: ChildProcess | undefined;
  readonly owned: boolean;

  constructor(owned: boolean) {
    this.owned = owned;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    if (!this.owned) throw new Error('pcscd was started by someone else; this helper does not control it');
    if (this.child && this.child.exitCode === null) return;
    if (!existsSync(VPCD_CONFIG)) {
      throw new Error(`${VPCD_CONFIG} is missing: install vsmartcard-vpcd (scripts/setup.sh)`);
    }
    const child = spawn('pcscd', ['--foreground'], { stdio: 'ignore' });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`pcscd exited with code ${child.exitCode}`);
      return vpcdReady();
    }, 'pcscd and its virtual readers');
  }

  async stop(): Promise<void> {
    if (!this.owned) throw new Error('pcscd was started by someone else; this helper does not stop it');
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid, 'SIGTERM');
    await Promise.race([exited, sleep(5_000)]);
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, 'SIGKILL');
      await exited;
    }
    await waitFor(async () => !(await pcscdReachable()), 'pcscd to stop');
  }

  async release(): Promise<void> {
    if (this.owned) await this.stop();
  }
}

/**
 * pcscd with the vpcd readers, ready for virtual cards: the running one if any (not owned),
 * else one this helper starts (owned).
 */
export async function usePcscd(): Promise<Pcscd> {
  if (await pcscdReachable()) {
    await waitFor(vpcdReady, 'the vpcd readers of the running pcscd');
    return new PcscdProcess(false);
  }
  const pcscd = new PcscdProcess(true);
  await pcscd.start();
  return pcscd;
}

export interface VirtualPhoneProcess {
  readonly pid: number;
  /** Lines the phone printed on stdout (JSON events). */
  readonly output: string[];
  /** Takes the phone away (kills the process by its pid) and waits for it to exit. */
  stop(): Promise<void>;
}

export interface VirtualPhoneOptions {
  scenario?: string;
  wallet?: string;
  /** Serve the demo world of the terminal in this data folder. */
  dataDir?: string;
  port?: number;
  /** Extra arguments for `wallet serve`. */
  args?: string[];
}

/**
 * Runs `npm run cli -- wallet serve --vpcd ...` as a child process and resolves once the phone
 * is in the reader's field (it prints a JSON line with "event":"present").
 */
export async function startVirtualPhone(options: VirtualPhoneOptions = {}): Promise<VirtualPhoneProcess> {
  // `node --import tsx` (not the tsx launcher, which forks a second process): the pid we
  // kill is the phone itself.
  const args = ['--import', 'tsx', path.join(REPO, 'src-main/cli/index.ts'), 'wallet', 'serve', '--vpcd'];
  if (options.scenario) args.push('--scenario', options.scenario);
  if (options.wallet) args.push('--wallet', options.wallet);
  if (options.dataDir) args.push('--data-dir', options.dataDir);
  if (options.port) args.push('--port', String(options.port));
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    output.push(...lines.filter((line) => line.length > 0));
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the virtual phone');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`virtual phone exited (${child.exitCode}): ${stderr}`);
        return output.some((line) => line.includes('"event":"present"'));
      },
      'the virtual phone to enter the field',
      60_000,
    );
  } catch (error) {
    if (child.exitCode === null) process.kill(pid, 'SIGKILL');
    throw error;
  }
  return {
    pid,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(pid, 'SIGTERM');
      await exited;
    },
  };
}
