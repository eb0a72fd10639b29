// Smoke test of `npm run bench`: every bench module runs on tiny sizes and yields well-formed
// figures, and the generated fixtures are genuine (verify-export accepts every signature). No
// timing is asserted: speed goals are judged by the bench itself, never by tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWellFormed, type Figure } from '../../../scripts/bench/figures';
import { percentile, summarize } from '../../../scripts/bench/stats';
import { measureVerification, verificationFigure } from '../../../scripts/bench/verification';
import { ledgerCommitFigure, measureLedgerCommit } from '../../../scripts/bench/ledger-commit';
import { hostTapFigure, measureHostTap } from '../../../scripts/bench/host-tap';
import { exportFigures, measureExports } from '../../../scripts/bench/export';
import { measureBundle } from '../../../scripts/bench/renderer';
import { mergeFigures, renderMarkdown, renderTable, type Run } from '../../../scripts/bench/report';
import { ledgerOpenFigure, measureLedgerOpen } from '../../../scripts/bench/ledger-open';
import { describeMachine } from '../../../scripts/bench/machine';

let cache: string;

beforeAll(() => {
  cache = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  process.env.BENCH_CACHE_DIR = cache;
});

afterAll(() => {
  delete process.env.BENCH_CACHE_DIR;
  rmSync(cache, { recursive: true, force: true });
});

function expectFigure(figure: Figure): void {
  expect(isWellFormed(figure), JSON.stringify(figure)).toBe(true);
  expect(figure.verdict).not.toBe('error');
}

describe('bench statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([3], 99)).toBe(3);
    expect(summarize([5, 1, 3])).toMatchObject({ n: 3, p50: 3, min: 1, max: 5, mean: 3 });
  });
});

describe('bench figures on tiny sizes', () => {
  it('verification per tap: pipeline next to the node:crypto floor', () => {
    const result = measureVerification({ taps: 20, warmup: 2 });
    const figure = verificationFigure(result);
    expectFigure(figure);
    expect(figure.data.taps).toBe(20);
    expect(result.product.p50).toBeLessThanOrEqual(result.product.p99);
    expect(result.floor.n).toBe(20);
  });

  it('ledger commit next to a bare insert', () => {
    const figure = ledgerCommitFigure(measureLedgerCommit({ commits: 8, warmup: 1 }));
    expectFigure(figure);
    expect(figure.data.commits).toBe(8);
  });

  it('taps through the stub reader, the controller and the ledger', async () => {
    const figure = hostTapFigure(await measureHostTap({ taps: 4, warmup: 1 }));
    expectFigure(figure);
    expect(figure.data.taps).toBe(4);
    expect(figure.data.apdusPerTap).toBeGreaterThanOrEqual(3);
  });

  it('exports, verify-export and memory on generated ledgers whose signatures verify', async () => {
    const measured = await measureExports({ dayAttempts: 200, ledgerAttempts: 400, phones: 10 }, () => undefined);
    const figures = exportFigures(measured, true);
    expect(figures.map((f) => f.id)).toEqual(['5a', '5b', '5c', '6', '8']);
    for (const figure of figures) expectFigure(figure);
    // 200 attempts + voids in the day; every approval re-verified from its raw bytes.
    expect(measured.verify.result.ok).toBe(true);
    expect(Number(measured.verify.result.transactions)).toBeGreaterThanOrEqual(200);
    expect(Number(measured.verify.result.approvalsVerified)).toBeGreaterThan(150);
    expect(measured.bigLedger.fixture.rows).toBeGreaterThan(400);
    expect(measured.dayLedger.pairs).toHaveLength(3);
  }, 180_000);

  it('sizes a bundle folder gzipped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-bundle-'));
    try {
      writeFileSync(join(dir, 'a.js'), 'console.log("hello");\n'.repeat(200));
      writeFileSync(join(dir, 'a.css'), 'body{}');
      const size = measureBundle(dir);
      expect(size.files).toHaveLength(1);
      expect(size.gzipBytes).toBeGreaterThan(0);
      expect(size.gzipBytes).toBeLessThan(size.bytes);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bench figure L (npm run bench -- --only=L)', () => {
  it("opens a generated ledger with and without the app's quick_check", async () => {
    const result = await measureLedgerOpen({ dayAttempts: 40, ledgerAttempts: 80, phones: 4 }, () => undefined);
    expect(result.rows).toBeGreaterThan(80);
    expect(result.openAndCheckMs).toBeGreaterThan(0);
    const figure = ledgerOpenFigure(result, true);
    expectFigure(figure);
    expect(figure.id).toBe('L');
  }, 180_000);
});

describe('bench report', () => {
  it('renders every figure into the table and docs/benchmarks.md', () => {
    const figures: Figure[] = [
      {
        id: '1',
        title: 'Verification',
        value: 'p99 1 ms',
        baseline: 'floor',
        ratio: 2,
        goal: 'p99 <= 12 ms',
        verdict: 'pass',
        notes: ['n'],
        data: { p99Ms: 1 },
      },
      { id: '3', title: 'pcscd', value: 'skipped', baseline: '', goal: 'x', verdict: 'skipped', notes: ['no pcscd'], data: {} },
    ];
    const table = renderTable(figures);
    expect(table).toContain('PASS');
    expect(table).toContain('SKIP');
    const markdown = renderMarkdown({
      mode: 'quick',
      startedAt: '2026-01-01T00:00:00.000Z',
      durationS: 1,
      machine: describeMachine(),
      loadAtEnd: '0 / 0 / 0',
      commands: ['sqlite3 -csv x'],
      figures,
      analysis: '## Analysis\n\ntext',
    });
    expect(markdown).toContain('| 1 | Verification |');
    expect(markdown).toContain('no pcscd');
    expect(markdown).toContain('sqlite3 -csv x');
    expect(markdown).toContain('## Analysis');
  });

  it('merges the figures of a partial run (--only) into the report, leaving the others as they were', () => {
    const figure = (id: string, value: string, note: string): Figure => ({
      id,
      title: `Figure ${id}`,
      value,
      baseline: 'b',
      goal: 'g',
      verdict: 'pass',
      notes: [note],
      data: {},
    });
    const run = (figures: Figure[]): Run => ({
      mode: 'full',
      startedAt: '2026-01-01T00:00:00.000Z',
      durationS: 1,
      machine: describeMachine(),
      loadAtEnd: '0 / 0 / 0',
      commands: [],
      figures,
      analysis: '## Analysis\n\ntext',
    });
    const full = renderMarkdown(run([figure('1', 'one', 'note of 1'), figure('L', 'old L', 'old note of L')]));
    const merged = mergeFigures(
      full,
      run([figure('L', 'new L', 'new note of L'), figure('Z', 'zed', 'note of Z')]),
      'npm run bench -- --only=L,Z',
    );
    expect(merged).toBeDefined();
    const text = merged ?? '';
    expect(text).toContain('| 1 | Figure 1 | one |');
    expect(text).toContain('  - note of 1');
    expect(text.match(/^\| L \|/gm)).toHaveLength(1);
    expect(text).toContain('| L | Figure L | new L |');
    expect(text).not.toContain('old L');
    expect(text).not.toContain('old note of L');
    expect(text).toMatch(/- \*\*L\. Figure L\*\*\n {2}- new note of L\n {2}- measured alone \(`npm run bench -- --only=L,Z`\)/);
    // A figure the report did not have yet ends its table and its notes.
    const lines = text.split('\n');
    expect(lines[lines.indexOf('| L | Figure L | new L | b | g | **PASS** |') + 1]).toMatch(/^\| Z \| Figure Z \| zed \|/);
    expect(lines.indexOf('- **Z. Figure Z**')).toBeLessThan(lines.indexOf('### Commands'));
    expect(text).toContain('## Analysis');
    expect(mergeFigures('# not a bench report', run([]), 'npm run bench -- --only=L')).toBeUndefined();
  });
});
