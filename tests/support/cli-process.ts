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

/** Runs the CLI with `args` in the repository folder; resolves with its exit code and output. */
export function runCliProcess(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(REPO, 'src-main/cli/index.ts'), ...args],
      { cwd: REPO },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
