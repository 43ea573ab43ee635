import { isAppError } from '../errors.js';

/** A CLI sub-command: returns the process exit code; prints its own `--help`. */
export interface CliCommand {
  run(argv: string[]): Promise<number>;
}

/** A user mistake on the command line: the CLI prints its message as one line and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** node:util parseArgs's error as a one-line usage error. A value that starts with a dash
 * (`--epochs -1`) reads as another option there, so that case says how to pass it. */
export function usageErrorOf(parseError: unknown): UsageError {
  const lines = (parseError instanceof Error ? parseError.message : String(parseError)).split('\n');
  const option = /^Option '(--[\w-]+)' argument is ambiguous/.exec(lines[0] ?? '')?.[1];
  if (option) return new UsageError(`${option} needs a value; write ${option}=<value> for one that starts with a dash`);
  return new UsageError(lines[0] || 'bad arguments');
}

/**
 * The start every command shares: parse argv, print `--help` (exit 0) or a one-line usage error
 * (exit 2). Returns the parsed arguments, or the exit code when the command is already done.
 */
export function parseCommandLine<T extends { help?: boolean }>({
  name,
  argv,
  parse,
  help,
}: {
  name: string;
  argv: string[];
  parse: (argv: string[]) => T;
  help: string;
}): { args: Exclude<T, { help: true }> } | { exitCode: number } {
  let args: T;
  try {
    args = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`music-prediction ${name}: ${err.message} (see --help)`);
    return { exitCode: 2 };
  }
  if (args.help) {
    console.log(help);
    return { exitCode: 0 };
  }
  // parse() returns `{ help: true }` or the full arguments; the help case has been handled above.
  return { args: args as Exclude<T, { help: true }> };
}

/** A command that takes no arguments besides `--help` (`serve`, `worker`): checks argv, then starts. */
export function argumentlessCommand({ name, help, start }: { name: string; help: string; start: () => Promise<void> }): CliCommand {
  const parse = (argv: string[]) => {
    if (argv.includes('--help') || argv.includes('-h')) return { help: true as const };
    if (argv.length > 0) throw new UsageError(`unexpected arguments: ${argv.join(' ')}`);
    return { help: false as const };
  };
  return {
    async run(argv) {
      const parsed = parseCommandLine({ name, argv, parse, help });
      if ('exitCode' in parsed) return parsed.exitCode;
      await start();
      return 0;
    },
  };
}

/**
 * The end every command shares when it fails: an AppError is one line `<code>: <message>` and exit
 * 1 (the input is at fault) or 3 (anything else); other errors are bugs and propagate.
 */
export function failureExitCode(name: string, err: unknown): number {
  if (!isAppError(err)) throw err;
  console.error(`music-prediction ${name}: ${err.code}: ${err.message}`);
  return err.permanent && err.status < 500 ? 1 : 3;
}
