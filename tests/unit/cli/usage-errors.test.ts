// Command-line usage errors: one line on stderr saying what is wrong and how to get help (never
// the whole help), exit code 2; `charge` takes the same largest amount as the keypad.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
const dirs: string[] = [];

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(join(root, 'node_modules/.bin/tsx'), ['src-main/cli/index.ts', ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toContain('usage:');
  return lines[0] ?? '';
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('usage errors', () => {
  it('--amount -5 says that amounts are positive', { timeout: 60_000 }, async () => {
    for (const args of [['--amount', '-5'], ['--amount=-5'], ['--minor', '-500']]) {
      const result = await cli('charge', ...args);
      expect(result.code).toBe(2);
      const line = oneLine(result.stderr);
      expect(line).toMatch(/^charge: amounts are positive \(got -5(00)?\)/);
      expect(line).toContain('npm run cli -- charge --help');
    }
  });

  it('an unknown option, subcommand or command is one line with where the help is', { timeout: 60_000 }, async () => {
    const cases: [string[], RegExp][] = [
      [['charge', '--amount', '1', '--bogus'], /^charge: Unknown option '--bogus'; options: npm run cli -- charge --help$/],
      [['charge'], /^charge: give --amount or --minor;/],
      [['authority', 'frobnicate'], /^authority: unknown subcommand frobnicate \(create, .*\); options: npm run cli -- authority --help$/],
      [['ledger'], /^ledger: give a subcommand;/],
      [['verify-export'], /^verify-export: give exactly one manifest file;/],
      [['nonsense'], /^unknown command: nonsense; commands: .*charge.*\(npm run cli -- --help\)$/],
    ];
    for (const [args, expected] of cases) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(oneLine(result.stderr)).toMatch(expected);
    }
  });

  it('charge refuses an amount above the largest a payment can carry, like the keypad', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cashier-cli-usage-'));
    dirs.push(dir);
    const over = await cli('charge', '--data-dir', dir, '--setup-demo', '--amount', '1000000000.00');
    expect(over.code).toBe(2);
    expect(oneLine(over.stderr)).toMatch(/^charge: the largest amount is 99999999999 minor units \(999999999\.99\);/);
    const atMax = await cli('charge', '--data-dir', dir, '--minor', '99999999999');
    // Taken and charged (the demo phone's offline limit declines it): not a usage error.
    expect(atMax.code, atMax.stderr).not.toBe(2);
    expect(JSON.parse(atMax.stdout)).toMatchObject({ amount: 99_999_999_999 });
  });
});
