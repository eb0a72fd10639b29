// `npm run cli -- <command> [...]`: the process around the dispatcher (./main.ts); an error no
// command turned into an exit code prints its message alone and exits 1. Commands that can wait
// on a PC/SC reader run in a supervised child process (./supervise.ts), so they always end.
import { runCli } from './main';
import { reportExit, superviseSelf, SUPERVISED_CHILD_ENV } from './supervise';

const READER_COMMANDS = new Set(['charge', 'refund']);
const argv = process.argv.slice(2);

function finish(code: number): void {
  process.exitCode = code;
  reportExit(code);
}

if (READER_COMMANDS.has(argv[0] ?? '') && process.env[SUPERVISED_CHILD_ENV] !== '1') {
  superviseSelf().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
} else {
  runCli(argv).then(finish, (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    finish(1);
  });
}
