// Reads a folds.ts output file: every held-out window's prediction, tagged with its fold.
import { readFileSync } from 'node:fs';

export interface WindowPred { source: string; genre: string; group: string; window: number; label: number; p: number[]; pCodec?: number[]; fold: number }

export function readRun(file: string): WindowPred[] {
  const runs = JSON.parse(readFileSync(file, 'utf8')) as { fold: number; preds: Omit<WindowPred, 'fold'>[] }[];
  return runs.flatMap((r) => r.preds.map((p) => ({ ...p, fold: r.fold })));
}
