// Builds scripts/bench/child.ts into one ESM file and runs measured jobs in fresh processes;
// also runs command-line baselines under /usr/bin/time for their elapsed time and peak RSS.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { ChildReport } from './child';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');
/** Inside the repo's node_modules, so the bundle resolves better-sqlite3 and friends from there. */
const OUT_DIR = join(REPO, 'node_modules', '.cache', 'nfc-cashier-bench');
const OUT = join(OUT_DIR, 'child.js');

let built: Promise<string> | undefined;

export function buildChild(): Promise<string> {
  built ??= (async () => {
    mkdirSync(OUT_DIR, { recursive: true });
    // Node treats .js under node_modules as CommonJS unless told otherwise.
    writeFileSync(join(OUT_DIR, 'package.json'), '{ "type": "module" }\n');
    await build({
      // The export's workers (src-main/export/worker-thread.ts) start ./<name>.js next to the code that runs them.
      entryPoints: {
        child: join(HERE, 'child.ts'),
        'verify-worker': join(REPO, 'src-main', 'export', 'verify-worker.ts'),
        'day-part-worker': join(REPO, 'src-main', 'export', 'day-part-worker.ts'),
      },
      outdir: OUT_DIR,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    });
    return OUT;
  })();
  return built;
}

export const childCommand = (args: string[]): string => `node ${OUT.replace(REPO + '/', '')} ${args.join(' ')}`;

export async function runChild(args: string[]): Promise<ChildReport> {
  const script = await buildChild();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`child ${args[0]} exited ${code}: ${err.trim().split('\n').slice(0, 8).join(' | ')}`));
        return;
      }
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as ChildReport);
      } catch (error) {
        reject(new Error(`child ${args[0]} printed no report: ${out} ${err} ${String(error)}`));
      }
    });
  });
}

export interface TimedCommand {
  ms: number;
  maxRssBytes: number;
  /** User + system CPU time of the command, ms. */
  cpuMs: number;
}

/** getrusage(RUSAGE_CHILDREN) through Python, for machines without GNU time (python3 is in setup.sh). */
const PY_RUSAGE = [
  'import resource, subprocess, sys',
  'with open(sys.argv[1], "wb") as out:',
  '    code = subprocess.call(sys.argv[2:], stdout=out)',
  'r = resource.getrusage(resource.RUSAGE_CHILDREN)',
  'sys.stderr.write("@@bench %d %f %f\\n" % (r.ru_maxrss, r.ru_utime, r.ru_stime))',
  'sys.exit(code)',
].join('\n');

/** Runs `command args > stdoutPath`: elapsed wall time, peak RSS and CPU time (GNU time, else python3). */
export function timeCommand(command: string, args: string[], stdoutPath: string): TimedCommand {
  const started = performance.now();
  let run: SpawnSyncReturns<string>;
  if (existsSync('/usr/bin/time') && process.env.BENCH_NO_GNU_TIME === undefined) {
    const out = openSync(stdoutPath, 'w');
    try {
      run = spawnSync('/usr/bin/time', ['-f', '@@bench %M %U %S', command, ...args], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
        stdio: ['ignore', out, 'pipe'],
      });
    } finally {
      closeSync(out);
    }
  } else {
    run = spawnSync('python3', ['-c', PY_RUSAGE, stdoutPath, command, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  }
  const ms = performance.now() - started;
  const match = /@@bench (\d+) ([\d.]+) ([\d.]+)/.exec(run.stderr ?? '');
  if (run.status !== 0 || !match)
    throw new Error(`${command} failed (${String(run.status ?? run.error)}): ${(run.stderr ?? '').trim().slice(0, 400)}`);
  return { ms, maxRssBytes: Number(match[1]) * 1024, cpuMs: (Number(match[2]) + Number(match[3])) * 1000 };
}
