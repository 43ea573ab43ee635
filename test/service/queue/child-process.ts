// Runs src/server.ts or src/worker.ts as a real child process (through tsx) for the tests that
// kill or signal processes, or the built dist/src/worker.js as production runs it (benchmarks);
// reads its pino JSON log lines so tests can wait for "ready".
import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  proc: ChildProcess;
  logs: Array<Record<string, unknown>>;
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnEntry(entry: 'src/server.ts' | 'src/worker.ts' | 'dist/src/worker.js', env: Record<string, string>): Child {
  const proc = spawn(process.execPath, entry.endsWith('.js') ? [entry] : ['--import', 'tsx', entry], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
    waiters.forEach((w) => w());
  });
  let stderr = '';
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => {
      waiters.forEach((w) => w());
      resolve({ code, signal });
    }),
  );
  return {
    proc,
    logs,
    exited,
    waitForLog(match, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = logs.find(match);
          if (hit) return done(() => resolve(hit));
          if (proc.exitCode !== null || proc.signalCode !== null) {
            return done(() => reject(new Error(`${entry} exited before the expected log line; stderr:\n${stderr.slice(-2000)}`)));
          }
        };
        const timer = setTimeout(() => done(() => reject(new Error(`${entry}: no matching log line in ${timeoutMs} ms; stderr:\n${stderr.slice(-2000)}`))), timeoutMs);
        const done = (fn: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          fn();
        };
        waiters.add(check);
        check();
      });
    },
  };
}
