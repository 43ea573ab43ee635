// Reads a folds.ts output file: every held-out window's prediction, tagged with its fold, and the
// options folds.ts was given (the recipe and seed; the same in every fold).
import { readFileSync } from 'node:fs';

export interface WindowPred { source: string; genre: string; group: string; window: number; label: number; p: number[]; pCodec?: number[]; fold: number }

export function readRunFile(file: string): { preds: WindowPred[]; options: Record<string, string> } {
  const runs = JSON.parse(readFileSync(file, 'utf8')) as { fold: number; opt: Record<string, string>; preds: Omit<WindowPred, 'fold'>[] }[];
  return { preds: runs.flatMap((r) => r.preds.map((p) => ({ ...p, fold: r.fold }))), options: runs[0]?.opt ?? {} };
}

export const readRun = (file: string): WindowPred[] => readRunFile(file).preds;
