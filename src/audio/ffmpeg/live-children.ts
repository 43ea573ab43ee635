// The ffmpeg processes this process spawned that have not exited yet. A one-shot command that is
// told to stop (SIGTERM) kills them before it exits: an ffmpeg stuck on a hostile file outlives
// its parent otherwise, because the wall-clock timer that would have killed it dies with the parent.
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();

/** Counts `child` as live until it exits or fails to start. */
export function trackChild(child: ChildProcess): void {
  live.add(child);
  const forget = () => live.delete(child);
  child.once('exit', forget);
  child.once('error', forget);
}

/** SIGKILLs every live child. */
export function killLiveChildren(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}
