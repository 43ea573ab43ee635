// Reads a folds.ts output file: every held-out window's prediction, tagged with its fold, and the
// options folds.ts was given (the recipe and seed; the same in every fold). HOP=195 reads the
// predictions scored with segments every 195 frames (folds.ts scorehops=195) instead of p.
import { readFileSync } from 'node:fs';

export interface WindowPred { source: string; genre: string; group: string; window: number; label: number; p: number[]; pCodec?: number[]; fold: number }

export function readRunFile(file: string): { preds: WindowPred[]; options: Record<string, string> } {
  const runs = JSON.parse(readFileSync(file, 'utf8')) as { fold: number; opt: Record<string, string>; preds: (Omit<WindowPred, 'fold'> & { pHop?: Record<string, number[]> })[] }[];
  const hop = process.env['HOP'];
  const pOf = (p: number[], pHop: Record<string, number[]> | undefined) => (hop === undefined ? p
    : pHop?.[hop] ?? (() => { throw new Error(`${file} has no predictions at hop ${hop} (folds.ts scorehops=${hop})`); })());
  return { preds: runs.flatMap((r) => r.preds.map(({ pHop, ...p }) => ({ ...p, p: pOf(p.p, pHop), fold: r.fold }))), options: runs[0]?.opt ?? {} };
}

export const readRun = (file: string): WindowPred[] => readRunFile(file).preds;
