// Candidate (u) of docs/experiments.md: one additive offset per genre on the log-probabilities,
// fitted to maximise balanced accuracy over the five genres, and measured cross-fitted: the
// offsets applied to one fold's held-out sources are fitted on the other folds' predictions only.
// Prints, per run file, balanced accuracy without offsets, cross-fitted, and per-genre recall;
// then the offsets fitted on all folds of all runs (what would ship).
// Usage: npx tsx scripts/cross-source/offsets.ts runs/q2-s1.json [runs/q2-s2.json …]
import { readRun, type WindowPred as Pred } from './runs.js';
import { GENRES, isFiveGenre } from './fold-data.js';

const answer = (p: Pred, offsets: number[]) => {
  let best = 0;
  let bestScore = -Infinity;
  for (let g = 0; g < GENRES.length; g++) {
    const s = Math.log(Math.max(p.p[g]!, 1e-9)) + offsets[g]!;
    if (s > bestScore) { bestScore = s; best = g; }
  }
  return best;
};
/** Recall per genre, with the offsets given, or chosen per prediction (cross-fitted: by its fold). */
const recalls = (list: Pred[], offsets: number[] | ((p: Pred) => number[])) => {
  const offsetsOf = typeof offsets === 'function' ? offsets : () => offsets;
  return GENRES.map((_, g) => { const of = list.filter((p) => p.label === g); return of.filter((p) => answer(p, offsetsOf(p)) === g).length / of.length; });
};
const balanced = (list: Pred[], offsets: number[]) => recalls(list, offsets).reduce((a, b) => a + b) / GENRES.length;

/** Coordinate ascent on a grid; genre 0's offset stays 0 (only differences matter). */
function fitOffsets(list: Pred[]): number[] {
  const offsets = GENRES.map(() => 0);
  const grid = Array.from({ length: 81 }, (_, i) => -2 + i * 0.05);
  for (let sweep = 0; sweep < 4; sweep++) {
    for (let g = 1; g < GENRES.length; g++) {
      let bestValue = offsets[g]!;
      let bestScore = balanced(list, offsets);
      for (const v of grid) {
        offsets[g] = v;
        const score = balanced(list, offsets);
        if (score > bestScore + 1e-9) { bestScore = score; bestValue = v; }
      }
      offsets[g] = bestValue;
    }
  }
  return offsets;
}

const fmt = (r: number[]) => GENRES.map((l, g) => `${l} ${r[g]!.toFixed(2)}`).join(', ');
const all: Pred[] = [];
for (const file of process.argv.slice(2)) {
  const preds = readRun(file).filter((p) => isFiveGenre(p.label));
  all.push(...preds);
  const folds = [...new Set(preds.map((p) => p.fold))];
  const perFold = new Map(folds.map((k) => [k, fitOffsets(preds.filter((q) => q.fold !== k))]));
  const correctByGenre = recalls(preds, (p) => perFold.get(p.fold)!);
  console.log(`${file}: balanced ${balanced(preds, GENRES.map(() => 0)).toFixed(3)} → cross-fitted ${(correctByGenre.reduce((a, b) => a + b) / GENRES.length).toFixed(3)}`);
  console.log(`  without: ${fmt(recalls(preds, GENRES.map(() => 0)))}`);
  console.log(`  cross-fitted: ${fmt(correctByGenre)}; offsets by fold ${folds.map((k) => `${k}: [${perFold.get(k)!.map((v) => v.toFixed(2)).join(' ')}]`).join('; ')}`);
}
const shipped = fitOffsets(all);
console.log(`fitted on everything: [${shipped.map((v) => v.toFixed(2)).join(' ')}], in-sample balanced ${balanced(all, GENRES.map(() => 0)).toFixed(3)} → ${balanced(all, shipped).toFixed(3)}`);
