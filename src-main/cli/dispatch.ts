// One dispatcher for this project's command-line programs (`npm run cli`, `npm run settlement`):
// one file per command, loaded on demand; argv in, exit code out.
export interface Command {
  help: string;
  run(args: string[]): Promise<number>;
}

export interface Program {
  /** How it is started, e.g. `npm run cli --`. */
  invocation: string;
  commands: Record<string, () => Promise<Command>>;
  /** Lines of the overall help between the command list and the pointer to per-command help. */
  notes?: string[];
}

function usage(program: Program): string {
  return [
    `usage: ${program.invocation} <command> [options]`,
    '',
    'commands:',
    ...Object.keys(program.commands)
      .sort()
      .map((name) => `  ${name}`),
    '',
    ...(program.notes ?? []),
    `Run \`${program.invocation} <command> --help\` for the options of one command.`,
  ].join('\n');
}

export async function dispatch(program: Program, argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage(program));
    return name === undefined ? 2 : 0;
  }
  const load = program.commands[name];
  if (!load) {
    const names = Object.keys(program.commands).sort().join(', ');
    console.error(`unknown command: ${name}; commands: ${names} (${program.invocation} --help)`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  return command.run(rest);
}
