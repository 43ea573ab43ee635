import { execFile } from 'node:child_process';
import { InternalError } from '../../../errors.js';

export interface ToolResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs one outside program with an argument array (never a shell string, so file names from
 * packages cannot inject commands) and a hard time limit. A failure names the tool and the tail of
 * its stderr, because "exit code 1" alone is useless when one of a thousand renders breaks.
 */
export function runTool({
  command,
  args,
  timeoutMs,
  cwd,
  env,
}: {
  command: string;
  args: readonly string[];
  timeoutMs: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}): Promise<ToolResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      command,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, cwd, env: env ?? process.env, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) {
          const killed = (err as { killed?: boolean }).killed === true;
          const why = killed ? `timed out after ${timeoutMs} ms` : `failed (${err.message.split('\n')[0]})`;
          reject(
            new InternalError('TOOL_FAILED', `${command} ${why}: ${String(stderr).trim().split('\n').slice(-3).join(' | ')}`, {
              cause: err,
            }),
          );
          return;
        }
        resolvePromise({ stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}
