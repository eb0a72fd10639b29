// `npm run settlement -- <command> [...]`: one dispatcher, one file per command.
import { SettlementError } from '../errors';

interface Command {
  help: string;
  run(args: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<Command>> = {
  ingest: () => import('./ingest'),
  enrol: () => import('./enrol'),
  findings: () => import('./findings'),
  statement: () => import('./statement'),
  revocations: () => import('./revocations'),
  demo: () => import('./demo'),
  serve: () => import('./serve'),
};

function usage(): string {
  return [
    'usage: npm run settlement -- <command> [options]',
    '',
    'commands:',
    ...Object.keys(commands)
      .sort()
      .map((name) => `  ${name}`),
    '',
    'Every command takes --db LOCATION: a postgres:// URL, or a folder for the embedded database',
    '(default $SETTLEMENT_DB, else ./settlement-data). Read commands take --json.',
    'Run `npm run settlement -- <command> --help` for the options of one command.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    console.error(`unknown command: ${name}\n\n${usage()}`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
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
