// The dispatcher of `npm run cli -- <command> [...]`, one file per command: argv in, exit code out
// (src-main/cli/index.ts is the process around it).
interface Command {
  help: string;
  run(args: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<Command>> = {
  authority: () => import('./authority'),
  wallet: () => import('./wallet'),
  charge: () => import('./charge'),
  ledger: () => import('./ledger'),
  'verify-export': () => import('./verify-export'),
  'verify-receipt': () => import('./verify-receipt'),
};

function usage(): string {
  return [
    'usage: npm run cli -- <command> [options]',
    '',
    'commands:',
    ...Object.keys(commands).sort().map((name) => `  ${name}`),
    '',
    'Run `npm run cli -- <command> --help` for the options of one command.',
  ].join('\n');
}

export async function runCli(argv: string[]): Promise<number> {
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
