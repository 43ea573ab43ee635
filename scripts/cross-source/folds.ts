// The cross-source folds of docs/experiments.md: trains one network per fold on everything but the
// fold's held-out sources and writes their held-out predictions. Features from extract.ts in
// $CROSS_SOURCE_DIR (default .cache/cross-source): shared-orig.*, bundled-orig.*, shared-mp3.*.
// Usage: npx tsx scripts/cross-source/folds.ts <out.json> [seed=1] [nmfcc=13] [norm=…] [seg=130] [filters=16,32,32] [folds=0,1,2]
//   [net=frame-timbre|cnn-with-timbre] [pathdrop=0.5] [rhythm=1] [melview=24 [dual=1]] [smooth=0.1] [wavg=2] [mask=frames,coefficients] [mixup=alpha] [lofi=split]
//   [tilt=3] (the timbre path hears rows 0–2 centred per segment) [adv=0.3] (source-adversarial training, λ; lost) [pitch=2] (pitch shifts in ±2 semitones; lost)
//   [wrec=4] (with wavg: weights recorded 4 times per epoch for the average; no gain)
//   [stylemix=0.5,0.1] (half the segments take part of another source's row style within their genre, λ ~ Beta(0.1, 0.1); lost)
//   [valfrac=0 epochs=12] (no validation groups: every group trains, for a fixed number of epochs; lost)
//   [monitor=balanced] (early stopping on the validation loss averaged per label first; no gain)
//   [extra=bundled-instrumental,…] (more training-only feature sets from extract.ts)
//   [drop=generated-mma] (training-only sources of the collection or the Debian + generated set left out; extra sets keep theirs; lost)
//   [drop=generated-mma:jazz,…] (only that source's tracks of that genre left out)
//   [lrdecay=0.3] (the learning rate times 0.3 after each epoch that does not improve the validation loss; lost) [lr=0.003] (Adam's rate; default 0.001)
//   [scorehops=195,260] (each held-out window also scored with segments every 195/260 frames: pHop) …
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { LABELS, FEATURE_DIR, labelOf, loadFeatureSet, loadFoldSets, windowMfcc, foldOf, type FeatureSet, type Row } from './fold-data.js';
import { initTrainingBackend } from '../../src/lab/network/backend.js';
import { DEFAULT_FEATURES } from '../../src/genre/model/metadata.js';
import { trainGenreModel } from '../../src/lab/training/train.js';
import type { LabelledClip } from '../../src/lab/training/train-options.js';
import { withSeededMathRandom, createRandom } from '../../src/lab/training/random.js';
import { scoreSegments } from '../../src/genre/model/classify.js';
import type { MfccMatrix } from '../../src/types.js';
import type { NormalisationKind } from '../../src/genre/model/segments.js';

const [out, ...kv] = process.argv.slice(2);
const opt: Record<string, string> = Object.fromEntries(kv.map((s) => s.split('=') as [string, string]));
const nMfcc = Number(opt.nmfcc ?? 13);
const seed = Number(opt.seed ?? 1);
const folds = (opt.folds ?? '0,1,2').split(',').map(Number);
const head = (opt.head ?? 'flatten') as 'flatten' | 'global-average';
const norm = (opt.norm ?? 'per-coefficient-centred') as NormalisationKind;
const balance = opt.balance === '1';
// none | mp3 | lowpass: a random half of the training windows replaced by that variant of the same
// window (shared-<variant>, and bundled-<variant> when extracted).
const codec = opt.codec ?? 'none';
const spc = Number(opt.spc ?? 2);
const valFraction = Number(opt.valfrac ?? 0.15);
const seg = Number(opt.seg ?? 130); // segment frames, scored at the same hop
// Sparser segment grids score fewer segments per clip, so more networks fit the same inference time.
const scoreHops = opt.scorehops ? opt.scorehops.split(',').map(Number) : [];
const filters = opt.filters?.split(',').map(Number);
const network = (opt.net ?? 'cnn') as 'cnn' | 'frame-timbre' | 'cnn-with-timbre';
const masking = opt.mask ? { maskFrames: Number(opt.mask.split(',')[0]), maskCoefficients: Number(opt.mask.split(',')[1]) } : undefined;
const mixup = opt.mixup ? { alpha: Number(opt.mixup) } : undefined;
const styleMix = opt.stylemix ? { probability: Number(opt.stylemix.split(',')[0]), alpha: Number(opt.stylemix.split(',')[1]) } : undefined;
const timbrePathDropout = Number(opt.pathdrop ?? 0);
// lofi=split: the two lo-fi hip-hop sources in different folds (pomodoro-timer in fold 0).
const lofiSplit = opt.lofi === 'split';
const mat = (s: FeatureSet, r: Row): MfccMatrix => windowMfcc(s, r, nMfcc);
const extraSets = opt.extra ? opt.extra.split(',') : [];
const sets = loadFoldSets(extraSets);
/** The windows after a codec round trip or filter, by path#window (empty when not extracted); each variant read once. */
const variants = new Map<string, Map<string, MfccMatrix>>();
function windowsVia(variant: string): Map<string, MfccMatrix> {
  let byWindow = variants.get(variant);
  if (!byWindow) {
    byWindow = new Map();
    for (const base of [FEATURE_DIR + `shared-${variant}`, FEATURE_DIR + `bundled-${variant}`]) {
      if (!existsSync(base + '.json')) continue;
      const s = loadFeatureSet(base);
      for (const r of s.rows) byWindow.set(r.path + '#' + r.window, mat(s, r));
    }
    variants.set(variant, byWindow);
  }
  return byWindow;
}
const mp3Of = codec === 'none' ? new Map<string, MfccMatrix>() : windowsVia(codec);
const mp3Held = windowsVia('mp3');
// drop= names training-only sources, or source:genre for one genre of a source: dropping a held-out
// source would silently change what is scored.
const dropped = new Set(opt.drop ? opt.drop.split(',') : []);
const dropKeys = (r: Row) => [r.source, `${r.source}:${r.genre.toLowerCase()}`];
const dropsRow = (r: Row) => dropKeys(r).some((k) => dropped.has(k));
const isDropped = (setIndex: number, r: Row) => setIndex < sets.length - extraSets.length && dropsRow(r);
const known = new Set<string>();
for (const s of sets) {
  for (const r of s.rows) {
    const keys = dropKeys(r);
    keys.forEach((k) => known.add(k));
    const hit = keys.find((k) => dropped.has(k));
    if (hit !== undefined && foldOf(r, lofiSplit) >= 0) throw new Error(`drop=${hit}: ${r.source} is a held-out source`);
  }
}
for (const d of dropped) if (!known.has(d)) throw new Error(`drop=${d}: no such rows (a typo would drop nothing)`);
const clips = sets.flatMap((s, i) => s.rows.filter((r) => !isDropped(i, r)).map((r) => ({ ...r, mfcc: mat(s, r), label: labelOf(r.genre) }))).filter((c) => c.label >= 0);

const { tf, backend } = await initTrainingBackend({ preferred: 'wasm' });
const features = { ...DEFAULT_FEATURES, nMfcc, segmentFrames: seg, segmentHopFrames: seg, clipSeconds: 30 };
const results: unknown[] = existsSync(out!) ? JSON.parse(readFileSync(out!, 'utf8')) : [];
for (const k of folds) {
  const held = clips.filter((c) => foldOf(c, lofiSplit) === k);
  const rest = clips.filter((c) => foldOf(c, lofiSplit) !== k);
  // validation: 15 % of groups (valfrac=), seeded; valfrac=0 trains on them too and keeps the
  // epoch with the lowest training loss, so epochs= sets how long it trains.
  const rnd = createRandom(seed * 7919 + k);
  const groups = [...new Set(rest.map((c) => c.group))].sort();
  const valGroups = new Set(groups.filter(() => rnd() < valFraction));
  const codecRnd = createRandom(seed * 31 + k);
  const toL = (c: (typeof clips)[number], aug: boolean): LabelledClip => {
    const alt = aug && mp3Of.get(c.path + '#' + c.window);
    return { mfcc: alt && codecRnd() < 0.5 ? alt : c.mfcc, label: c.label, source: c.source };
  };
  const train = rest.filter((c) => !valGroups.has(c.group)).map((c) => toL(c, true));
  const validation = rest.filter((c) => valGroups.has(c.group)).map((c) => toL(c, false));
  const t0 = Date.now();
  const r = await withSeededMathRandom(seed, () => trainGenreModel({
    tf, backend, train, validation, labels: LABELS, features, epochs: Number(opt.epochs ?? 20), batchSize: 32, segmentsPerClip: spc,
    patience: Number(opt.patience ?? 3), learningRate: Number(opt.lr ?? 0.001), learningRateDecay: opt.lrdecay ? Number(opt.lrdecay) : undefined, seed, normalisationKind: norm, head, filters, network, timbrePathDropout, rhythmPath: opt.rhythm === '1', melViewBands: opt.melview ? Number(opt.melview) : undefined, melViewAlongside: opt.dual === '1', timbreCentredRows: Number(opt.tilt ?? 0), labelSmoothing: Number(opt.smooth ?? 0), weightAverageEpochs: Number(opt.wavg ?? 0), weightRecordsPerEpoch: Number(opt.wrec ?? 1), masking, mixup, styleMix, augment: { gainDb: Number(opt.gain ?? 0), eqDb: Number(opt.eq ?? 0), eqCoefficients: 4 },
    sourceAdversary: opt.adv ? { weight: Number(opt.adv) } : undefined, pitchShift: opt.pitch ? { maxSemitones: Number(opt.pitch) } : undefined, balanceSources: balance, monitor: opt.monitor === 'balanced' ? 'label-balanced-loss' : 'segment-loss', deadline: Date.now() + 20 * 60_000, name: 'lab', version: '0',
  }));
  const segmentScores = (mfcc: MfccMatrix, hopFrames?: number) => {
    const { starts, probabilities } = scoreSegments({ model: r.model, mfcc, ...(hopFrames === undefined ? {} : { hopFrames }) });
    return starts.map((_, s) => Array.from(probabilities.subarray(s * LABELS.length, (s + 1) * LABELS.length)));
  };
  const round = (v: number[]) => v.map((x) => Number(x.toFixed(5)));
  const mean = (segments: number[][]) => round(segments[0]!.map((_, j) => segments.reduce((a, q) => a + q[j]! / segments.length, 0)));
  // pCodec: the same held-out window after an mp3 round trip (when shared-mp3 features exist), to
  // measure how much preview encoding moves the answer. pSeg: each segment's probabilities, so that
  // other ways of pooling segments and networks can be scored (score.ts POOL).
  const preds = held.map((c) => {
    const viaCodec = mp3Held.get(c.path + '#' + c.window);
    const pSeg = segmentScores(c.mfcc);
    return { path: c.path, source: c.source, genre: c.genre, group: c.group, window: c.window, label: c.label, p: mean(pSeg), pSeg: pSeg.map(round), ...(viaCodec ? { pCodec: mean(segmentScores(viaCodec)) } : {}),
      ...(scoreHops.length > 0 ? { pHop: Object.fromEntries(scoreHops.map((h) => [h, mean(segmentScores(c.mfcc, h))])) } : {}) };
  });
  results.push({ fold: k, seed, opt, minutes: (Date.now() - t0) / 60000, epochs: r.history.length, preds });
  writeFileSync(out!, JSON.stringify(results));
  console.log(`fold ${k} done: ${train.length} train, ${held.length} held, ${r.history.length} epochs, ${((Date.now() - t0) / 60000).toFixed(1)} min`);
  r.model.dispose();
}
