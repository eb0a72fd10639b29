// `npm run test:stress -- --runs N`: runs the whole suite (scripts/test-all.sh) N times, every
// second run with the other core kept busy by `stress-ng --cpu 1`, and reports every test that
// failed at least once with its count. Each run's log and the running report are kept in
// test-results/stress/ (report.md is rewritten after every run, so an interrupted series still
// says exactly what finished). `--resume` goes on with an interrupted series of the same commit
// from its next run, so that a series longer than one sitting stays one series.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { stressReport, type StressRun } from './test-report/stress-table';

const REPO = path.resolve(import.meta.dirname, '..');
const OUT = path.join(REPO, 'test-results', 'stress');
const FAILURES = path.join(REPO, 'test-results', 'failures.json');
const SERIES = path.join(OUT, 'series.json');

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, resume: { type: 'boolean', default: false } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`test:stress: --runs must be a whole number of at least 1, not "${values.runs}"`);
  process.exit(2);
}

const FailureList = z.array(
  z.object({ where: z.string(), title: z.string(), project: z.string().optional(), message: z.string().optional() }),
);
const Series = z.object({
  commit: z.string(),
  plannedRuns: z.number(),
  runs: z.array(
    z.object({
      run: z.number(),
      loaded: z.boolean(),
      closingLine: z.string(),
      exitCode: z.number(),
      seconds: z.number(),
      load: z.object({ mean: z.number(), max: z.number() }),
      failures: FailureList,
    }),
  ),
});
type Series = z.infer<typeof Series>;

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();

/** The interrupted series to go on with, refused when it is of another commit or length. */
function seriesToResume(): Series {
  if (!existsSync(SERIES)) {
    console.error(`test:stress: --resume: no series to go on with (${path.relative(REPO, SERIES)} is missing)`);
    process.exit(2);
  }
  const series = Series.parse(JSON.parse(readFileSync(SERIES, 'utf8')));
  if (series.commit !== commit || series.plannedRuns !== runs) {
    console.error(
      `test:stress: --resume: the series held is of commit ${series.commit} with ${series.plannedRuns} runs; this is ${commit} with ${runs}`,
    );
    process.exit(2);
  }
  return series;
}

let currentHog: ChildProcess | undefined;
// An interrupted series leaves no hog behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (currentHog && currentHog.exitCode === null) signalHog(currentHog);
    process.exit(130);
  });
}

/** Starts the CPU hog on one core; resolves once it runs. */
async function startHog(): Promise<ChildProcess> {
  // Its own process group: stress-ng forks a stressor parent and a worker, and SIGTERM to the
  // first alone leaves the worker running.
  const hog = spawn('stress-ng', ['--cpu', '1', '--quiet'], { stdio: 'ignore', detached: true });
  await new Promise<void>((resolve, reject) => {
    hog.once('spawn', () => resolve());
    hog.once('error', (error) => reject(new Error(`stress-ng could not start (scripts/setup.sh installs it): ${error.message}`)));
  });
  return hog;
}

/** Stops the hog's process group (the group id is the hog's process id) and waits for it. */
function signalHog(hog: ChildProcess): void {
  if (hog.pid !== undefined) process.kill(-hog.pid, 'SIGTERM');
}

async function stopHog(hog: ChildProcess): Promise<void> {
  if (hog.exitCode !== null || hog.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => hog.once('exit', () => resolve()));
  signalHog(hog);
  await exited;
}

/** One whole-suite run, its output teed to the terminal and to run-N.log. */
async function runSuite(run: number, loaded: boolean): Promise<StressRun> {
  const log = createWriteStream(path.join(OUT, `run-${run}.log`));
  const hog = loaded ? await startHog() : undefined;
  currentHog = hog;
  const started = Date.now();
  const loads = [loadavg()[0] ?? 0];
  const sampler = setInterval(() => loads.push(loadavg()[0] ?? 0), 30_000);
  rmSync(FAILURES, { force: true });
  let tail = '';
  const exitCode = await new Promise<number>((resolve, reject) => {
    const suite = spawn('bash', ['scripts/test-all.sh'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    suite.stdout.on('data', (chunk: Buffer) => {
      log.write(chunk);
      tail = (tail + chunk.toString()).slice(-4_000);
    });
    suite.stderr.on('data', (chunk: Buffer) => log.write(chunk));
    suite.once('error', reject);
    suite.once('close', (code) => resolve(code ?? 1));
  }).finally(async () => {
    clearInterval(sampler);
    if (hog) await stopHog(hog);
    currentHog = undefined;
  });
  const load = { mean: loads.reduce((sum, value) => sum + value, 0) / loads.length, max: Math.max(...loads) };
  const seconds = (Date.now() - started) / 1000;
  await new Promise<void>((resolve) => log.end(resolve));
  const lastLine =
    tail
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .at(-1) ?? '';
  const closingLine = /^\d+ passed, \d+ failed/.test(lastLine) ? lastLine : `no closing line (last: ${lastLine})`;
  let failures: StressRun['failures'] = [];
  if (existsSync(FAILURES)) {
    failures = FailureList.parse(JSON.parse(readFileSync(FAILURES, 'utf8')));
    copyFileSync(FAILURES, path.join(OUT, `run-${run}-failures.json`));
  } else {
    failures = [{ where: 'scripts/test-all.sh', title: '', message: closingLine }];
  }
  return { run, loaded, closingLine, exitCode, seconds, load, failures };
}

const done: StressRun[] = values.resume ? seriesToResume().runs : [];
if (!values.resume) rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
for (let run = done.length + 1; run <= runs; run++) {
  // Alternate, so that idle and loaded runs see the same share of the machine's other load.
  const loaded = run % 2 === 0;
  console.log(`test:stress: run ${run} of ${runs}, other core ${loaded ? 'loaded (stress-ng --cpu 1)' : 'not loaded'}`);
  const result = await runSuite(run, loaded);
  done.push(result);
  console.log(`test:stress: run ${run}: ${result.closingLine} (${(result.seconds / 60).toFixed(1)} min)`);
  writeFileSync(SERIES, `${JSON.stringify({ commit, plannedRuns: runs, runs: done })}\n`);
  writeFileSync(path.join(OUT, 'report.md'), stressReport(done, runs, commit));
}
const report = stressReport(done, runs, commit);
console.log(`\n${report}`);
process.exit(done.every((run) => run.exitCode === 0) ? 0 : 1);
