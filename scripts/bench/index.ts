// `npm run bench [-- --quick] [--only=1,2] [--no-write] [--render]`: measures the terminal's speed goals,
// each next to a baseline run in the same process run, prints a table and writes
// docs/benchmarks.md. Exits 1 only when a figure could not be measured (never on a timing).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failed, type Figure } from './figures';
import { describeMachine, loadAverage } from './machine';
import { mergeFigures, renderMarkdown, renderTable, type Run } from './report';
import { hostTapFigure, measureHostTap } from './host-tap';
import { ledgerCommitFigure, measureLedgerCommit } from './ledger-commit';
import { measureVerification, verificationFigure } from './verification';
import { measurePcsc, pcscFigure } from './pcsc';
import { rendererFigures } from './renderer';
import { exportFigures, measureExports, type ExportSizes } from './export';
import { ledgerOpenFigure, measureLedgerOpen } from './ledger-open';
import { SETTLEMENT_SIZES, settlementFigures, type SettlementSizes } from './settlement';
import { measureUploads, uploadFigure, type UploadSizes } from './settlement-http';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');

export interface Sizes {
  verifyTaps: number;
  stubTaps: number;
  commits: number;
  pcscTaps: number;
  pageLoads: number;
  export: ExportSizes;
  settlement: SettlementSizes;
  uploads: UploadSizes;
}

export const SIZES: Record<'quick' | 'full', Sizes> = {
  quick: {
    verifyTaps: 1000,
    stubTaps: 300,
    commits: 300,
    pcscTaps: 6,
    pageLoads: 5,
    export: { dayAttempts: 10_000, ledgerAttempts: 100_000, phones: 500 },
    settlement: SETTLEMENT_SIZES.quick,
    uploads: { terminals: 20, attemptsPerDay: 20 },
  },
  full: {
    verifyTaps: 2000,
    stubTaps: 1000,
    commits: 1000,
    pcscTaps: 40,
    pageLoads: 20,
    export: { dayAttempts: 100_000, ledgerAttempts: 1_000_000, phones: 2_000 },
    settlement: SETTLEMENT_SIZES.full,
    uploads: { terminals: 20, attemptsPerDay: 200 },
  },
};

interface Step {
  id: string;
  title: string;
  goal: string;
  run(context: { sizes: Sizes; quick: boolean; figures: Figure[]; commands: string[] }): Promise<Figure[]>;
}

const STEPS: Step[] = [
  {
    id: '1',
    title: 'Verification per tap',
    goal: 'p99 <= 12 ms',
    run: async ({ sizes }) => [verificationFigure(measureVerification({ taps: sizes.verifyTaps, warmup: 100 }))],
  },
  {
    id: '2',
    title: 'Host time per tap, stub reader',
    goal: 'p99 <= 15 ms',
    run: async ({ sizes, figures }) => {
      const verification = figures.find((f) => f.id === '1')?.data.p99Ms;
      return [
        hostTapFigure(
          await measureHostTap({ taps: sizes.stubTaps, warmup: 20 }),
          typeof verification === 'number' ? verification : undefined,
        ),
      ];
    },
  },
  {
    id: '3',
    title: 'Tap through pcscd + virtual phone',
    goal: 'host overhead <= 20 ms',
    run: async ({ sizes, quick }) => [pcscFigure(await measurePcsc({ taps: sizes.pcscTaps, warmup: 1 }), quick)],
  },
  {
    id: '4',
    title: 'Ledger commit',
    goal: 'ratio <= 1.5',
    run: async ({ sizes }) => [ledgerCommitFigure(measureLedgerCommit({ commits: sizes.commits, warmup: 20 }))],
  },
  {
    id: '5',
    title: 'Export, verify-export and main-process memory (5a-5c, 6, 8)',
    goal: '<= 2x sqlite3; >= 5,000 tx/s; <= 200 MB',
    run: async ({ sizes, quick, commands }) => {
      const measured = await measureExports(sizes.export, (line) => console.log(`\n  ${line}`));
      commands.push(...measured.commands);
      return exportFigures(measured, quick);
    },
  },
  {
    id: 'L',
    title: 'Ledger open with quick_check',
    goal: '<= 300 ms on the start path, else after it',
    run: async ({ sizes, quick, commands }) => {
      commands.push(
        "# L: Ledger opened read-only, then the app's background quick_check (src-main/ledger/background-check.ts) on the export bench's large ledger",
      );
      return [ledgerOpenFigure(await measureLedgerOpen(sizes.export, (line) => console.log(`\n  ${line}`)), quick)];
    },
  },
  {
    id: 'S',
    title: 'Settlement: ingest, detection, re-ingest, account statement, memory (S1-S5)',
    goal: '<= 1.4x verify-export; <= 0.5x; <= 0.1x; p99 <= 20 ms; flat',
    run: async ({ sizes, commands }) => {
      commands.push(
        '# settlement: scripts/bench/settlement.ts on a throwaway PostgreSQL 15 cluster (tests/support/postgres.ts, durable settings)',
      );
      return settlementFigures(sizes.settlement, (line) => console.log(`\n  ${line}`));
    },
  },
  {
    id: '7',
    title: 'Renderer bundle and page load to interactive checkout',
    goal: '<= 250 KB gzipped; <= 1 s',
    run: async ({ sizes, commands }) => {
      commands.push(
        '# renderer: ensureRendererBuilt() of tests/harness/build-renderer.ts (the renderer section of `npx electron-vite build`) -> out/renderer, served to /usr/bin/chromium',
      );
      return rendererFigures(sizes.pageLoads, (line) => console.log(`\n  ${line}`));
    },
  },
  {
    id: 'S6',
    title: 'Settlement: 20 terminals uploading at once over HTTP',
    goal: 'all stored; throughput >= 1x one upload',
    run: async ({ sizes, commands }) => {
      commands.push(
        '# S6: createSettlementServer() (what `npm run settlement -- serve` runs) on 127.0.0.1:0, days sent by src-main/export/send-day.ts',
      );
      return [uploadFigure(await measureUploads(sizes.uploads, (line) => console.log(`\n  ${line}`)))];
    },
  },
];

function parseArgs(argv: string[]): { quick: boolean; only: Set<string> | null; write: boolean; render: boolean } {
  const only = argv.find((arg) => arg.startsWith('--only='));
  return {
    render: argv.includes('--render'),
    quick: argv.includes('--quick'),
    only: only
      ? new Set(
          only
            .slice('--only='.length)
            .split(',')
            .map((id) => id.trim()),
        )
      : null,
    write: !argv.includes('--no-write'),
  };
}

const DOC = join(REPO, 'docs', 'benchmarks.md');
/** The last measured run, so `--render` can rebuild the document after analysis.md changes. */
const LAST_RUN = join(REPO, 'node_modules', '.cache', 'nfc-cashier-bench', 'last-run.json');

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.render) {
    const run = JSON.parse(readFileSync(LAST_RUN, 'utf8')) as Run;
    run.analysis = readFileSync(join(HERE, 'analysis.md'), 'utf8');
    writeFileSync(DOC, renderMarkdown(run));
    console.log(`bench: re-rendered ${DOC} from the ${run.mode} run of ${run.startedAt}`);
    return 0;
  }
  const mode = args.quick ? 'quick' : 'full';
  const sizes = SIZES[mode];
  const machine = describeMachine();
  const started = Date.now();
  console.log(`bench: ${mode} mode on ${machine.cpu} (${machine.cores} cores), load ${machine.loadAtStart}`);
  const figures: Figure[] = [];
  const commands: string[] = [];
  for (const step of STEPS) {
    if (args.only && !args.only.has(step.id) && !(step.id === '5' && (args.only.has('6') || args.only.has('8')))) continue;
    const t0 = Date.now();
    process.stdout.write(`bench: ${step.id}. ${step.title} ... `);
    try {
      figures.push(...(await step.run({ sizes, quick: args.quick, figures, commands })));
    } catch (error) {
      figures.push(failed(step.id, step.title, step.goal, error));
    }
    console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  console.log('');
  console.log(renderTable(figures));
  const run: Run = {
    mode,
    startedAt: new Date(started).toISOString(),
    durationS: (Date.now() - started) / 1000,
    machine,
    loadAtEnd: loadAverage(),
    commands,
    figures,
    analysis: readFileSync(join(HERE, 'analysis.md'), 'utf8'),
  };
  if (args.write && args.only) {
    // Some figures: they replace their own rows; the rest of the last run's report stays.
    const merged = existsSync(DOC)
      ? mergeFigures(readFileSync(DOC, 'utf8'), run, ['npm run bench --', ...process.argv.slice(2)].join(' '))
      : undefined;
    writeFileSync(DOC, merged ?? renderMarkdown(run));
    if (existsSync(LAST_RUN)) {
      const last = JSON.parse(readFileSync(LAST_RUN, 'utf8')) as Run;
      const ids = new Set(figures.map((f) => f.id));
      writeFileSync(LAST_RUN, JSON.stringify({ ...last, figures: [...last.figures.filter((f) => !ids.has(f.id)), ...figures] }));
    }
    console.log(`\nbench: ${merged ? 'merged figures into' : 'wrote'} ${DOC}`);
  } else if (args.write) {
    writeFileSync(DOC, renderMarkdown(run));
    mkdirSync(dirname(LAST_RUN), { recursive: true });
    writeFileSync(LAST_RUN, JSON.stringify(run));
    console.log(`\nbench: wrote ${DOC}`);
  }
  const errors = figures.filter((f) => f.verdict === 'error');
  for (const f of errors) console.error(`bench: figure ${f.id} failed: ${f.notes.join(' ')}`);
  return errors.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
