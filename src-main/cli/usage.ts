// A usage error prints one line: what is wrong and where the options are. The whole help is
// printed only when it is asked for (--help), so the error is not lost above it.

/** Exit code of every usage error. */
export const USAGE_EXIT = 2;

/** The one line a usage error prints, e.g. `charge: amounts are positive; options: npm run cli -- charge --help`. */
export function usageLine(command: string, message: string): string {
  return `${command}: ${message}; options: npm run cli -- ${command} --help`;
}

export function usageError(command: string, message: string): number {
  console.error(usageLine(command, message));
  return USAGE_EXIT;
}

/** parseArgs' own message for an option followed by something that looks like another option. */
export function parseArgsMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // "Option '--amount <value>' argument is ambiguous. Did you forget ..." is one sentence too many.
  const ambiguous = /^Option '(--[a-z-]+)[^']*' argument is ambiguous/.exec(text);
  if (ambiguous) return `${ambiguous[1]} needs a value (a value starting with "-" is taken for an option; write ${ambiguous[1]}=VALUE)`;
  return text.split('\n')[0] ?? text;
}
