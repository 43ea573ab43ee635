// Candidate (lf) on the cross-source folds: for each fold, the clip-statistics logistic regression
// (clip-statistics.ts) trained on every window the fold does not hold out (the base feature sets
// plus the extra ones named), and its held-out predictions in folds.ts's format, so score.ts can
// pool them with the networks' (`mq-s5.json+mqr-s5.json+lf.json`). Deterministic: no seed.
// Usage: npx tsx scripts/cross-source/clip-statistics-folds.ts <out.json> [extra=bundled-lofi,…] [lambda=0.001]
import { writeFileSync } from 'node:fs';
import { LABELS, labelOf, loadFoldSets, windowMfcc, foldOf } from './fold-data.js';
import { clipStatistics, fitLogistic, predictLogistic } from './clip-statistics.js';

const [out, ...kv] = process.argv.slice(2);
const opt: Record<string, string> = Object.fromEntries(kv.map((s) => s.split('=') as [string, string]));
const lambda = Number(opt.lambda ?? 1e-3);
const clips = loadFoldSets(opt.extra ? opt.extra.split(',') : [])
  .flatMap((set) => set.rows.map((r) => ({ ...r, label: labelOf(r.genre), stats: clipStatistics(windowMfcc(set, r, 20)) })))
  .filter((c) => c.label >= 0);
const results = [0, 1, 2].map((k) => {
  const t0 = Date.now();
  const rest = clips.filter((c) => foldOf(c) !== k);
  const model = fitLogistic({ x: rest.map((c) => c.stats), y: rest.map((c) => c.label), classes: LABELS.length, lambda });
  const preds = clips.filter((c) => foldOf(c) === k).map((c) => ({
    path: c.path, source: c.source, genre: c.genre, group: c.group, window: c.window, label: c.label,
    p: predictLogistic(model, c.stats).map((x) => Number(x.toFixed(5))),
  }));
  console.log(`fold ${k}: ${rest.length} train, ${preds.length} held, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return { fold: k, seed: 0, opt: { model: 'clip-statistics-logistic', lambda: String(lambda), ...(opt.extra ? { extra: opt.extra } : {}) }, preds };
});
writeFileSync(out!, JSON.stringify(results));
