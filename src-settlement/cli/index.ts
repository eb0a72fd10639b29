// `npm run settlement -- <command> [...]`: one dispatcher, one file per command.
import { dispatch } from '../../src-main/cli/dispatch';
import { SettlementError } from '../errors';

const commands = {
  ingest: () => import('./ingest'),
  enrol: () => import('./enrol'),
  findings: () => import('./findings'),
  statement: () => import('./statement'),
  revocations: () => import('./revocations'),
  demo: () => import('./demo'),
  serve: () => import('./serve'),
};

const notes = [
  'Every command takes --db LOCATION: a postgres:// URL, or a folder for the embedded database',
  '(default $SETTLEMENT_DB, else ./settlement-data). Read commands take --json.',
];

dispatch({ invocation: 'npm run settlement --', commands, notes }, process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof SettlementError) {
      console.error(`${error.code}: ${error.detail}`);
      for (const problem of error.problems) console.error(`  ${problem.code}: ${problem.detail}`);
    } else {
      console.error(error instanceof Error ? error.message : String(error));
    }
    process.exitCode = 1;
  },
);
