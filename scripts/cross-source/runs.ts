// Reads a folds.ts output file: every held-out window's prediction, tagged with its fold, and the
// options folds.ts was given (the recipe and seed; the same in every fold). HOP=195 reads the
// predictions scored with segments every 195 frames (folds.ts scorehops=195) instead of p.
// POOL=geometric pools each window's segments (pSeg) by the normalised geometric mean instead of
// the mean (candidate (sg) of docs/experiments.md); score.ts pools the networks of a pair the same way.
import { readFileSync } from 'node:fs';

export interface WindowPred { path?: string; source: string; genre: string; group: string; window: number; label: number; p: number[]; pCodec?: number[]; pSeg?: number[][]; fold: number }

export function readRunFile(file: string): { preds: WindowPred[]; options: Record<string, string> } {
  const runs = JSON.parse(readFileSync(file, 'utf8')) as { fold: number; opt: Record<string, string>; preds: (Omit<WindowPred, 'fold'> & { pHop?: Record<string, number[]> })[] }[];
  const hop = process.env['HOP'];
  const geometric = process.env['POOL'] === 'geometric';
  if (geometric && hop !== undefined) throw new Error('POOL=geometric pools the trained grid\'s segments (pSeg); drop HOP');
  const fail = (message: string): never => { throw new Error(`${file} has no ${message}`); };
  const pOf = ({ p, pSeg, pHop }: { p: number[]; pSeg?: number[][]; pHop?: Record<string, number[]> }) =>
    (hop !== undefined ? pHop?.[hop] ?? fail(`predictions at hop ${hop} (folds.ts scorehops=${hop})`)
      : geometric ? geometricMean(pSeg ?? fail('per-segment predictions (pSeg) for POOL=geometric')) : p);
  return { preds: runs.flatMap((r) => r.preds.map(({ pHop, ...p }) => ({ ...p, p: pOf({ ...p, pHop }), fold: r.fold }))), options: runs[0]?.opt ?? {} };
}

export const readRun = (file: string): WindowPred[] => readRunFile(file).preds;

/** The normalised geometric mean of probability vectors (each entry floored at 1e-6). */
export function geometricMean(vectors: number[][]): number[] {
  const logs = vectors[0]!.map((_, j) => vectors.reduce((a, v) => a + Math.log(Math.max(v[j]!, 1e-6)), 0) / vectors.length);
  const e = logs.map(Math.exp);
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
