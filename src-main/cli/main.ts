// The dispatcher of `npm run cli -- <command> [...]`, one file per command: argv in, exit code out
// (src-main/cli/index.ts is the process around it).
import { dispatch } from './dispatch';

const commands = {
  authority: () => import('./authority'),
  wallet: () => import('./wallet'),
  charge: () => import('./charge'),
  ledger: () => import('./ledger'),
  'verify-export': () => import('./verify-export'),
  'verify-receipt': () => import('./verify-receipt'),
  status: () => import('./status'),
  refund: () => import('./refund'),
  trust: () => import('./trust'),
};

export function runCli(argv: string[]): Promise<number> {
  return dispatch({ invocation: 'npm run cli --', commands }, argv);
}
