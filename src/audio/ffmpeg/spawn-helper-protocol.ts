// Messages between a process and its spawn helper (spawn-helper.ts ↔ spawn-helper-process.ts),
// over Node's IPC channel. A message carries at most one handle, so ffmpeg's stdin (one end of a
// socket pair) comes first on its own, then the spawn request with its stdout.
import type { ChildExit } from './child-exit.js';

export type HelperRequest =
  | { type: 'stdin'; id: number }
  | { type: 'spawn'; id: number; binary: string; args: string[] }
  | { type: 'kill'; id: number };

export type HelperEvent =
  | { type: 'spawned'; id: number; pid: number }
  | { type: 'error'; id: number; message: string }
  | ({ type: 'exit'; id: number } & ChildExit);
