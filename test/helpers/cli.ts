// The command line as a user runs it: `node --import tsx src/cli.ts …`, in its own process, so
// exit codes and stderr are the real ones.
import { spawnSync } from 'node:child_process';

export const runCli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
