/** A CLI sub-command: returns the process exit code; prints its own `--help`. */
export interface CliCommand {
  run(argv: string[]): Promise<number>;
}

/** A user mistake on the command line: the CLI prints its message as one line and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
