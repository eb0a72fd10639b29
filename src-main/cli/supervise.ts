// Runs a command that may talk to a PC/SC reader in a child process and ends that child once the
// command has decided. A phone that stops answering mid-exchange leaves a transmit inside PC/SC
// that nothing can cancel on a reader without its own timeout (vpcd): it holds a libuv worker
// thread, and Node's exit waits for every worker thread, so that process cannot end by itself
// (docs/readers.md, "Headless charge"). The parent prints nothing of its own: the child's output
// goes straight to the same stdout and stderr, and the parent exits with the child's exit code.
import { fork } from 'node:child_process';

/** Set in the child's environment: run the command itself, and report its exit code. */
export const SUPERVISED_CHILD_ENV = 'NFC_CASHIER_CLI_CHILD';
/** After the command has decided: how long its process may take to end before it is killed. */
export const EXIT_GRACE_MS = 500;

export interface ExitReport {
  exitCode: number;
}

/** In the child: tell the parent the command's exit code (the decision is already printed). */
export function reportExit(exitCode: number): void {
  if (process.env[SUPERVISED_CHILD_ENV] !== '1' || !process.send) return;
  const report: ExitReport = { exitCode };
  process.send(report, () => process.disconnect());
}

function isExitReport(message: unknown): message is ExitReport {
  return typeof message === 'object' && message !== null && 'exitCode' in message && Number.isInteger(message.exitCode);
}

/** In the parent: runs this script again as the child and resolves with the exit code to use. */
export function superviseSelf(): Promise<number> {
  const script = process.argv[1];
  if (script === undefined) return Promise.reject(new Error('cannot find the command-line script to run'));
  return new Promise((resolve) => {
    const child = fork(script, process.argv.slice(2), {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, [SUPERVISED_CHILD_ENV]: '1' },
    });
    let reported: number | undefined;
    let killer: NodeJS.Timeout | undefined;
    child.on('message', (message: unknown) => {
      if (!isExitReport(message) || reported !== undefined) return;
      reported = message.exitCode;
      killer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
    });
    child.on('exit', (code) => {
      clearTimeout(killer);
      // Killed after its report: the report is the answer. Ended without one: its own code, 1 if a signal ended it.
      resolve(reported ?? code ?? 1);
    });
    child.on('error', () => resolve(reported ?? 1));
  });
}
