// `npm run cli -- <command> [...]`: the process around the dispatcher (./main.ts); an error no
// command turned into an exit code prints its message alone and exits 1.
import { runCli } from './main';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
