// `npm run cli -- ...` as a child process, the way the tests run it: `node --import tsx` on the
// CLI's entry, one process (the tsx launcher and npx each add another Node start per call).
import { execFile } from 'node:child_process';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** How long one CLI run may take before it is killed (the result then says so). */
const CLI_DEADLINE_MS = 120_000;

/**
 * Runs the CLI with `args` in the repository folder; resolves with its exit code and output. A
 * run past the deadline is killed and resolves with code -1.
 */
export function runCliProcess(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(REPO, 'src-main/cli/index.ts'), ...args],
      { cwd: REPO, timeout: CLI_DEADLINE_MS },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * `ledger check` of the ledger file `path` in the data folder `dir`, in the test ledgers' zone and
 * cut-off (tests/unit/ledger/fixtures.ts), with `extra` arguments after them.
 */
export function ledgerCheckArgs(path: string, dir: string, extra: readonly string[] = []): string[] {
  return ['ledger', 'check', '--file', path, '--data-dir', dir, '--time-zone', 'Asia/Shanghai', '--cutoff', '4', ...extra];
}
