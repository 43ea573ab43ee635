// Scores pooled held-out predictions of folds.ts (docs/experiments.md): balanced accuracy over the
// five genres (argmax of the five genre outputs), per-genre and per-source recall, then the
// temperature (six-way log loss), expected calibration error of the answer's certainty before and
// after, and the smallest other-threshold flagging at most 10 % of the five-genre clips.
// Usage: [CODEC=1] [HOP=195] [POOL=geometric] [SHIP_T=…] npx tsx scripts/cross-source/score.ts runs/a-s1.json [runs/a-s2.json …]
// RECORD=<model-dir> (with SHIP_T and SHIP_THRESHOLD, the model's own values) writes the summary into
// that model's metadata.json as metrics.heldOutSources: one argument per seed (a.json+b.json for a
// model of two networks).
// An argument `x.json+y.json` scores the mean of two runs' predictions (two networks averaged);
// `x.json+y.json@0.2` weighs the last run 0.2 and the others the rest, equally.
// GENRE_BIAS=1 ranks the genres by log p + β, one bias per genre (candidate (qb) of docs/experiments.md,
// rejected; serving has no such field), with β fitted on the other two folds' windows for each fold
// (cross-fitted, so no source is scored by a bias that saw it); it prints the β fitted on all windows
// (what would ship) and the temperature that would go with it.
import { applyTemperature } from '../../src/genre/model/calibration.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { readRunFile, geometricMean, type WindowPred } from './runs.js';
import { LABELS, GENRES, OTHER, isFiveGenre, fiveGenreScores } from './fold-data.js';
import { heldOutSourcesSchema } from '../../src/genre/model/metadata.js';
import { fitGenreBias } from '../../src/lab/evaluation/genre-bias.js';
import { expectedCalibrationError } from '../../src/lab/evaluation/calibration-error.js';

// g: the vector the genres are ranked and shown by (p, or p·e^β on the genres); p stays for Other.
interface Pred { source: string; label: number; p: number[]; g?: number[]; pCodec?: number[]; original?: number[]; fold?: number }
// CODEC=1 scores the held-out windows after their mp3 round trip (only the windows that have one).
const viaCodec = process.env['CODEC'] === '1';
// pCodec is scored on the networks' own grid only, so with HOP the two would not be comparable.
if (viaCodec && process.env['HOP']) throw new Error('CODEC=1 scores the round trips on the grid the networks were trained on; drop HOP');
/** `a.json+b.json[@w]`: the (weighted) mean of runs' predictions per held-out window (a model of several
 * networks), with each run's folds.ts options. */
function readAveraged(arg: string): { preds: Pred[]; options: Record<string, string>[] } {
  const [list, weightArg] = arg.split('@');
  const files = list!.split('+');
  const last = weightArg === undefined ? 1 / files.length : Number(weightArg);
  const weights = files.map((_, i) => (i === files.length - 1 ? last : (1 - last) / (files.length - 1)));
  const read = files.map(readRunFile);
  const runs = read.map((r) => r.preds);
  // Runs of the same folds list the held-out windows in the same order; a window is paired by its
  // position, checked against everything the files record about it. (A key of fold, source, group
  // and window is not unique: several recordings of one group share it.)
  const same = (a: WindowPred, b: WindowPred) => a.fold === b.fold && a.source === b.source && a.group === b.group &&
    a.window === b.window && a.label === b.label && (a.path === undefined || b.path === undefined || a.path === b.path);
  const others = runs.slice(1).map((run, k) => {
    if (run.length !== runs[0]!.length || run.some((p, i) => !same(p, runs[0]![i]!))) throw new Error(`${files[k + 1]} does not list the same held-out windows as ${files[0]}`);
    return run;
  });
  const geometric = process.env['POOL'] === 'geometric';
  if (geometric && weightArg !== undefined) throw new Error('POOL=geometric pools networks equally: drop the @weight');
  const mean = (vs: (number[] | undefined)[]) => (vs.every(Boolean) ? vs[0]!.map((_, j) => vs.reduce((s, v, i) => s + weights[i]! * v![j]!, 0)) : undefined);
  const preds = runs[0]!.map((p, i) => {
    const mates = others.map((run) => run[i]!);
    const pCodec = mean([p.pCodec, ...mates.map((m) => m.pCodec)]);
    // Geometric pooling: each network's window already pooled geometrically, then the networks the same way.
    const pooled = geometric ? geometricMean([p.p, ...mates.map((m) => m.p)]) : mean([p.p, ...mates.map((m) => m.p)])!;
    return { ...p, p: pooled, ...(pCodec ? { pCodec } : {}) };
  });
  return { preds, options: read.map((r) => r.options) };
}
// One entry per argument (a seed): its predictions and the options folds.ts was given, one set per
// network (none for a weighted mean, which no model serves).
const args = process.argv.slice(2).map((arg) => {
  if (!arg.includes('+')) {
    const run = readRunFile(arg);
    return { preds: run.preds, options: [run.options] };
  }
  const averaged = readAveraged(arg);
  return { preds: averaged.preds, options: arg.includes('@') ? undefined : averaged.options };
});
const perSeed: Pred[][] = args.map(({ preds: list }): Pred[] => list
  .flatMap((p) => (!viaCodec ? [p] : p.pCodec ? [{ ...p, p: p.pCodec, original: p.p }] : [])));
const preds = perSeed.flat();
const argmax = (v: number[]) => v.indexOf(Math.max(...v));
const five = preds.filter((p) => isFiveGenre(p.label));
const withBias = process.env['GENRE_BIAS'] === '1';
const fitBias = (list: Pred[]) => fitGenreBias(list.filter((p) => isFiveGenre(p.label)).map((p) => ({ probabilities: fiveGenreScores(p.p), label: p.label })));
const biased = (p: number[], bias: number[]) => p.map((x, j) => (isFiveGenre(j) ? x * Math.exp(bias[j]!) : x));
const foldBias = new Map<number | undefined, number[]>();
const all = withBias ? fitBias(preds) : undefined;
if (all) {
  for (const k of new Set(preds.map((p) => p.fold))) foldBias.set(k, fitBias(preds.filter((p) => p.fold !== k)).bias);
  for (const p of preds) p.g = biased(p.p, foldBias.get(p.fold)!);
  console.log(`genre bias fitted on all windows (what would ship): ${GENRES.map((l, j) => `${l}=${all.bias[j]!.toFixed(4)}`).join(',')} ` +
    `(scale ${all.scale.toFixed(3)}, ${all.iterations} iterations, gradient ${all.gradientNorm.toExponential(1)}); cross-fitted per fold: ` +
    [...foldBias].map(([k, b]) => `fold ${k} [${b.map((x) => x.toFixed(3)).join(', ')}]`).join('; '));
}
const ranked = (p: Pred) => p.g ?? p.p;
const recall = (list: Pred[]) => list.filter((p) => argmax(fiveGenreScores(ranked(p))) === p.label).length / list.length;
const genreRecall = (list: Pred[]) => GENRES.map((_, g) => recall(list.filter((p) => p.label === g)));
const balanced = (list: Pred[]) => genreRecall(list.filter((p) => isFiveGenre(p.label))).reduce((a, b) => a + b) / GENRES.length;
const perGenre = genreRecall(five);
console.log(`balanced accuracy ${balanced(preds).toFixed(3)} over ${five.length} windows; ` +
  GENRES.map((l, g) => `${l} ${perGenre[g]!.toFixed(2)}`).join(', '));
if (perSeed.length > 1) console.log(`  by seed: ${perSeed.map((list) => balanced(list).toFixed(3)).join(', ')}`);
if (viaCodec) {
  const orig = five.map((p) => ({ ...p, p: p.original! }));
  const origGenre = GENRES.map((_, g) => recall(orig.filter((p) => p.label === g)));
  const same = five.filter((p) => argmax(fiveGenreScores(p.p)) === argmax(fiveGenreScores(p.original!))).length / five.length;
  console.log(`  the same windows before the round trip: ${(origGenre.reduce((a, b) => a + b) / GENRES.length).toFixed(3)}; same answer after it: ${same.toFixed(3)}`);
}
const bySource = new Map<string, Pred[]>();
for (const p of five) bySource.set(`${LABELS[p.label]} ${p.source}`, [...(bySource.get(`${LABELS[p.label]} ${p.source}`) ?? []), p]);
for (const [key, list] of [...bySource].sort()) console.log(`  ${key}: ${recall(list).toFixed(2)} (${list.length})`);

const scaled = (T: number) => preds.map((p) => applyTemperature(p.p, T));
const nll = (T: number) => scaled(T).reduce((s, q, i) => s - Math.log(Math.max(q[preds[i]!.label]!, 1e-12)), 0) / preds.length;
/** ECE of the shown certainty under one temperature, or one per prediction. */
function ece(T: number | ((p: Pred) => number), list: Pred[] = preds): number {
  const temperatureOf = typeof T === 'number' ? () => T : T;
  const rows = list.map((p) => ({ q: fiveGenreScores(applyTemperature(ranked(p), temperatureOf(p))), label: p.label })).filter((r) => isFiveGenre(r.label));
  return expectedCalibrationError(rows.map((r) => ({ certainty: Math.max(...r.q) / r.q.reduce((a, c) => a + c), correct: argmax(r.q) === r.label })));
}
const grid = Array.from({ length: 200 }, (_, i) => Math.exp(Math.log(0.3) + (i / 199) * (Math.log(5) - Math.log(0.3))));
const T = grid.reduce((best, t) => (nll(t) < nll(best) ? t : best));
console.log(`temperature ${T.toFixed(3)}: log loss ${nll(1).toFixed(3)} → ${nll(T).toFixed(3)}; ECE ${ece(1).toFixed(3)} → ${ece(T).toFixed(3)}`);
// The displayed certainty is the five genres renormalised without Other, so its temperature is fitted
// on that distribution, on the five-genre clips only (the six-way fit above made its ECE worse).
const nll5 = (t: number) => {
  const rows = scaled(t).map((q, i) => ({ q, label: preds[i]!.label })).filter((r) => isFiveGenre(r.label));
  return rows.reduce((s, r) => s - Math.log(Math.max(r.q[r.label]! / fiveGenreScores(r.q).reduce((a, c) => a + c), 1e-12)), 0) / rows.length;
};
const T5 = grid.reduce((best, t) => (nll5(t) < nll5(best) ? t : best));
console.log(`five-way temperature ${T5.toFixed(3)}: log loss ${nll5(1).toFixed(3)} → ${nll5(T5).toFixed(3)}; ECE ${ece(1).toFixed(3)} → ${ece(T5).toFixed(3)}`);
const Tship = Number(process.env['SHIP_T'] ?? T);
console.log(`shipped temperature ${Tship.toFixed(3)}: ECE ${ece(1).toFixed(3)} → ${ece(Tship).toFixed(3)}`);
const other = scaled(Tship).map((q) => q[OTHER]!);
const fiveScores = other.filter((_, i) => isFiveGenre(preds[i]!.label));
const otherScores = other.filter((_, i) => preds[i]!.label === OTHER);
const threshold = [...new Set(other)].sort((a, b) => a - b).find((t) => fiveScores.filter((s) => s >= t).length <= 0.1 * fiveScores.length)!;
const rate = (list: number[], t = threshold) => (list.filter((s) => s >= t).length / list.length).toFixed(3);
console.log(`other threshold ${threshold.toFixed(4)}: other clips flagged ${rate(otherScores)} (${otherScores.length}), five-genre clips flagged ${rate(fiveScores)} (${fiveScores.length})`);
const record = process.env['RECORD'];
if (record) {
  const shipThreshold = Number(process.env['SHIP_THRESHOLD']);
  if (!process.env['SHIP_T'] || !Number.isFinite(shipThreshold) || viaCodec || withBias || process.env['POOL']) throw new Error('RECORD needs SHIP_T and SHIP_THRESHOLD (the model\'s own) and none of CODEC, GENRE_BIAS, POOL');
  const runOptions = args.map((a) => a.options ?? (() => { throw new Error('RECORD takes one run, or an unweighted a.json+b.json mean, per seed'); })());
  const round = (x: number) => Number(x.toFixed(4));
  // The recipe as folds.ts was given it (the same in every seed but for the seed), one per network.
  const seeds = runOptions.map((networks) => networks[0]!['seed']);
  const recipes = runOptions[0]!.map((o) => Object.entries(o).filter(([k]) => k !== 'seed').map(([k, v]) => `${k}=${v}`).join(' '));
  const recipe = recipes.length === 1 ? recipes[0]! : recipes.map((r, i) => `[network ${i + 1}: ${r}]`).join(' ');
  const hop = process.env['HOP'] ? `HOP=${process.env['HOP']} ` : '';
  const file = `${record}/metadata.json`;
  const metadata = JSON.parse(readFileSync(file, 'utf8')) as { metrics: Record<string, unknown> };
  metadata.metrics['heldOutSources'] = heldOutSourcesSchema.parse({
    description: 'networks trained with this recipe on three folds that each hold out whole sources (docs/experiments.md), ' +
      `pooled held-out 30-s windows of ${perSeed.length} training seeds; recall is the argmax over the five genres`,
    command: recipes.length === 1
      ? `npx tsx scripts/cross-source/folds.ts <out-N.json> seed=N ${recipe} (seeds ${seeds.join(', ')}); ${hop}SHIP_T=${Tship} npx tsx scripts/cross-source/score.ts <out-N.json …>`
      : `npx tsx scripts/cross-source/folds.ts <out-k-N.json> seed=N <recipe k> for each network k, ${recipe} (seeds ${seeds.join(', ')}); ` +
        `${hop}SHIP_T=${Tship} npx tsx scripts/cross-source/score.ts ${recipes.map((_, k) => `<out-${k + 1}-N.json>`).join('+')} …`,
    windowsPerSeed: perSeed[0]!.filter((p) => isFiveGenre(p.label)).length,
    balancedAccuracyBySeed: perSeed.map((list) => round(balanced(list))),
    balancedAccuracy: round(balanced(preds)),
    recall: Object.fromEntries(GENRES.map((l, g) => [l, round(perGenre[g]!)])),
    calibrationError: { before: round(ece(1)), after: round(ece(Tship)) },
    uncertain: { otherFlagged: Number(rate(otherScores, shipThreshold)), genreFlagged: Number(rate(fiveScores, shipThreshold)) },
  });
  writeFileSync(file, JSON.stringify(metadata, null, 2) + '\n');
  console.log(`recorded in ${file}`);
}
// The temperature that minimises the shown certainty's ECE, fitted on two folds' held-out sources
// and applied to the third (so the error is measured on sources the fit never saw), and in-sample.
const eceGrid = (list: Pred[]) => grid.reduce((best, t) => (ece(t, list) < ece(best, list) ? t : best));
const folds = [...new Set(preds.map((p) => p.fold))];
const crossT = new Map(folds.map((k) => [k, eceGrid(preds.filter((p) => p.fold !== k))]));
const inSampleT = eceGrid(preds);
if (all) {
  // Both fitted on the other folds: fold k's bias, applied to the other folds' windows, then T on them.
  const strictT = new Map(folds.map((k) => {
    const rest = preds.filter((p) => p.fold !== k).map((p) => ({ ...p, g: biased(p.p, foldBias.get(k)!) }));
    return [k, eceGrid(rest)];
  }));
  const shipped = preds.map((p) => ({ ...p, g: biased(p.p, all.bias) }));
  const shipT = eceGrid(shipped);
  console.log(`with the bias: ECE-fitted temperature with the shipped bias, in-sample ${shipT.toFixed(3)} (ECE ${ece(shipT, shipped).toFixed(3)}); ` +
    `bias and T both fitted on the other folds: pooled ECE ${ece((p) => strictT.get(p.fold)!).toFixed(3)} (${folds.map((k) => `fold ${k} T ${strictT.get(k)!.toFixed(3)}`).join(', ')})`);
}
console.log(`ECE-fitted temperature ${inSampleT.toFixed(3)} in-sample (ECE ${ece(inSampleT).toFixed(3)}); fitted on the other folds: ` +
  `${folds.map((k) => `fold ${k} T ${crossT.get(k)!.toFixed(3)}`).join(', ')}, pooled ECE ${ece((p) => crossT.get(p.fold)!).toFixed(3)} (T = 1: ${ece(1).toFixed(3)})`);
