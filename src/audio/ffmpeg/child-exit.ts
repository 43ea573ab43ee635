// How a warm-pool ffmpeg exited, with the tail of its stderr for the error message. One piece for
// both ways the pool starts processes: spawned here (warm-decoder.ts) or by the spawn helper
// (spawn-helper-process.ts, which reports it over IPC).
import type { ChildProcess } from 'node:child_process';

const STDERR_TAIL_CHARS = 16_384;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last STDERR_TAIL_CHARS characters of its stderr. */
  stderr: string;
}

/**
 * Calls `onExit` at the exit itself, and `onEnded` once, when both the exit and the end of stderr
 * have come. With `stderrGraceMs`, `onEnded` comes that long after the exit at the latest: a
 * grandchild (a wrapper script's ffmpeg) can hold stderr open after the process is gone.
 */
export function watchExit(child: ChildProcess, { onExit, onEnded, stderrGraceMs }: {
  onExit?: (exit: Omit<ChildExit, 'stderr'>) => void;
  onEnded: (exit: ChildExit) => void;
  stderrGraceMs?: number;
}): void {
  let stderr = '';
  let exit: Omit<ChildExit, 'stderr'> | undefined;
  let stderrClosed = false;
  let reported = false;
  const report = (force = false): void => {
    if (reported || !exit || (!stderrClosed && !force)) return;
    reported = true;
    onEnded({ ...exit, stderr });
  };
  child.on('exit', (code, signal) => {
    exit = { code, signal };
    onExit?.(exit);
    report();
    if (stderrGraceMs !== undefined) setTimeout(() => report(true), stderrGraceMs).unref();
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_TAIL_CHARS);
  });
  child.stderr?.on('close', () => {
    stderrClosed = true;
    report();
  });
}
