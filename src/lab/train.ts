// Making a model, as one function the CLI (and anything else) calls: dataset → split by track →
// features (the serving extraction, cached) → seeded training of one or more networks → held-out
// evaluation → model directory with its metadata (features, normalisation, data card, metrics).
import type { BackendPreference } from '../genre/model/backend.js';
import { DEFAULT_FEATURES } from '../genre/model/metadata.js';
import { readSourcesInfo } from './datasets/labels.js';
import type { DatasetEntry } from './datasets/manifest.js';
import { evaluateClips } from './evaluation/evaluate.js';
import { formatMetricsTable } from './evaluation/report.js';
import type { CnnHead } from './network/architecture.js';
import { initTrainingBackend } from './network/backend.js';
import { saveGenreModel } from './network/save.js';
import { BAND_LIMIT_RANGE_HZ } from './training/band-limit.js';
import { withBandLimit } from './training/band-limited-training.js';
import { buildDataCard } from './training/data-card.js';
import { extractDatasetFeatures } from './training/features.js';
import { memberRecipes, type MemberDataOption } from './training/member-data.js';
import { networkTrainingFacts, trainMembers, type NormalisationName } from './training/members.js';
import { readRunData } from './training/run-data.js';
import type { EpochReport, LabelledClip } from './training/train-options.js';

type MemberOptions = Parameters<typeof trainMembers>[0];

export interface TrainOptions {
  /** One or more manifests/folders, trained on together. */
  data: string[];
  /** An extra output trained on `other`/`other:*` clips (none of the labels); last in `labels`. */
  otherLabel?: string | undefined;
  nMfcc: number;
  /** 30-s windows taken from each long file. */
  windows: number;
  temperature?: number | undefined;
  otherThreshold?: number | undefined;
  out: string;
  labels: string[];
  name: string;
  version: string;
  epochs: number;
  batchSize: number;
  segmentHop: number;
  segmentsPerClip: number;
  patience: number;
  learningRate: number;
  seed: number;
  head: CnnHead;
  /** The network (train.ts): the CNN, or one network with a timbre path (give it plain normalisation). */
  network: 'cnn' | 'cnn-with-timbre';
  timbrePathDropout: number;
  /** cnn-with-timbre: leading coefficient rows the timbre path hears centred per segment. */
  timbreCentredRows: number;
  /** Filters of the three conv blocks; undefined: the 2017 counts. */
  filters?: number[];
  /** cnn-with-timbre: mel-view bands for the CNN path (mel-view.ts), one network per value; 0: the
   * cepstral rows. Several values need a single normalisation. */
  melViewBands: number[];
  melViewAlongside: boolean;
  /** Keep the mean weights of the epochs within this many of the best one (weight-average.ts); 0: the best epoch's. */
  weightAverageEpochs: number;
  /** Datasets heard by one network only (train --member-data). */
  memberData: MemberDataOption[];
  /** One network per normalisation (several need a single mel-view value). */
  normalisations: NormalisationName[];
  augment: MemberOptions['augment'];
  masking: MemberOptions['masking'];
  balanceSources: boolean;
  mixup: MemberOptions['mixup'];
  stretch: MemberOptions['stretch'];
  /** Share of the training windows replaced by their band-limited copy (band-limit.ts); 0: none. */
  bandLimit: number;
  valFraction: number;
  holdoutSources: string[];
  evalData: string | undefined;
  maxMinutes: number;
  backend: BackendPreference;
  cacheDir: string;
}

/** Where the run's lines go: the CLI prints them; progress is a one-line bar or nothing. */
export interface TrainReport {
  log(line: string): void;
  warn(line: string): void;
  progress(prefix: string, done: number, total: number, suffix?: string): void;
}

const fmt = (x: number | undefined, d = 3) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));

function epochLine(r: EpochReport, epochs: number): string {
  return `epoch ${String(r.epoch).padStart(3)}/${epochs}  loss ${fmt(r.loss)}  acc ${fmt(r.accuracy)}  ` +
    `val_loss ${fmt(r.valLoss)}  val_seg_acc ${fmt(r.valSegmentAccuracy)}  val_clip_acc ${fmt(r.valClipAccuracy)}  ` +
    `val_bal_acc ${fmt(r.valBalancedAccuracy)}  ${r.seconds.toFixed(1)} s (${r.msPerStep.toFixed(0)} ms/step)${r.improved ? '  *' : ''}`;
}

/** Trains and writes a model directory to `args.out`; throws AppErrors for bad data. */
export async function train(args: TrainOptions, report: TrainReport): Promise<void> {
  const startedAt = Date.now();
  const deadline = startedAt + args.maxMinutes * 60_000;
  const features = { ...DEFAULT_FEATURES, nMfcc: args.nMfcc, segmentHopFrames: args.segmentHop };
  // Before any feature is extracted, so a recipe that cannot be built fails at once.
  const members = memberRecipes(args.normalisations, args.melViewBands, args.memberData);
  const { tf, backend } = await initTrainingBackend({ preferred: args.backend });
  const { train, validation, heldOut, own, labelOf } = await readRunData(args, members, (line) => report.warn(line));
  const ownEntries = own.flatMap((o) => (o ? [...o.train, ...o.validation] : []));
  const withLabel = (list: readonly DatasetEntry[]) => list.map((entry) => ({ entry, label: labelOf.get(entry)! }));
  report.log(`dataset ${args.data.join(', ')}: ${train.length} train / ${validation.length} validation / ${heldOut.length} held-out clips; backend ${backend}`);
  own.forEach((o, i) => o && report.log(`network ${i + 1} also: ${o.train.length} train / ${o.validation.length} validation clips of ${members[i]!.extraData!.join(', ')}`));

  const t0 = Date.now();
  const all = [...train, ...validation, ...heldOut, ...ownEntries];
  const { clips, failures } = await extractDatasetFeatures({
    entries: all, features, cacheDir: args.cacheDir, concurrency: 2, windows: args.windows,
    onProgress: (done, total) => report.progress('features', done, total),
  });
  for (const f of failures.slice(0, 10)) report.warn(`skipped ${f.entry.path}: ${f.error}`);
  if (failures.length > 10) report.warn(`… and ${failures.length - 10} more unreadable clips`);
  report.log(`features: ${clips.length} clips in ${((Date.now() - t0) / 1000).toFixed(1)} s (${failures.length} skipped)`);
  // Every window of a file is a clip of its own (same group, so a file stays on one side of a split).
  const mfccOf = new Map(clips.map((c) => [c.entry, [c.mfcc, ...(c.extraWindows ?? [])]]));
  const labelled = (list: readonly DatasetEntry[]): LabelledClip[] =>
    list.filter((e) => mfccOf.has(e)).flatMap((e) => mfccOf.get(e)!.map((mfcc) => ({ mfcc, label: labelOf.get(e)!, source: e.source })));
  const trainClips = await withBandLimit({
    share: args.bandLimit, seed: args.seed, entries: train, windowsOf: mfccOf, labelOf, features, windows: args.windows, cacheDir: args.cacheDir,
    onProgress: (done, total) => report.progress('band-limited copies', done, total), onFailure: (entry, error) => report.warn(`no band-limited copy of ${entry.path}: ${error}`),
  });
  const secondsOf = (e: DatasetEntry) => (mfccOf.get(e) ?? []).reduce((sum, m) => sum + (m.frames * features.hopLength) / features.sampleRate, 0);

  const result = await trainMembers({
    tf, backend, train: trainClips, validation: labelled(validation), labels: args.labels, features,
    epochs: args.epochs, batchSize: args.batchSize, segmentsPerClip: args.segmentsPerClip, patience: args.patience,
    learningRate: args.learningRate, seed: args.seed, augment: args.augment, masking: args.masking, stretch: args.stretch, mixup: args.mixup, balanceSources: args.balanceSources, head: args.head, network: args.network, timbrePathDropout: args.timbrePathDropout, timbreCentredRows: args.timbreCentredRows, filters: args.filters, melViewAlongside: args.melViewAlongside, weightAverageEpochs: args.weightAverageEpochs, members, deadline,
    memberClips: own.map((o) => o && { train: labelled(o.train), validation: labelled(o.validation) }), name: args.name, version: args.version,
    onMemberStart: (name, i) => {
      if (members.length > 1) report.log(`network ${i + 1}/${members.length}: ${name}`);
    },
    onBatch: (step, steps, loss) => report.progress('  train', step, steps, `loss ${loss.toFixed(3)}`),
    onEpoch: (r) => report.log(epochLine(r, args.epochs)),
    onStopped: (why) => report.log(`stopped: ${why}; ${args.weightAverageEpochs > 0 ? `weights of the epochs within ${args.weightAverageEpochs} of the best one averaged` : 'best weights restored'}`),
  });
  const metadata = result.model.metadata;
  // Calibration first, so the held-out evaluation scores the answers as served (`uncertain` counts as Other).
  if (args.otherLabel) metadata.otherLabel = args.otherLabel;
  if (args.temperature !== undefined) {
    metadata.calibration = {
      temperature: args.temperature, ...(args.otherThreshold === undefined ? {} : { otherThreshold: args.otherThreshold }),
      fittedOn: 'chosen on pooled held-out-source predictions of networks trained with this recipe (scripts/cross-source/; docs/experiments.md)',
    };
  }
  const heldOutEval = heldOut.length > 0 ? evaluateClips({ model: result.model, clips: labelled(heldOut) }) : undefined;
  metadata.training = {
    backend, ...networkTrainingFacts(result), seed: args.seed, batchSize: args.batchSize,
    segmentsPerClip: args.segmentsPerClip, learningRate: args.learningRate, weightAverageEpochs: args.weightAverageEpochs, valFraction: args.valFraction, augment: args.augment, masking: args.masking, stretch: args.stretch, mixup: args.mixup, balanceSources: args.balanceSources,
    ...(args.bandLimit > 0 ? { bandLimit: { share: args.bandLimit, cutoffHz: [...BAND_LIMIT_RANGE_HZ] } } : {}),
    // The head belongs to the plain CNN; the other network has its own, named in `architecture`.
    ...(args.network === 'cnn' ? { head: args.head } : { network: args.network, timbrePathDropout: args.timbrePathDropout, ...(args.timbreCentredRows > 0 ? { timbreCentredRows: args.timbreCentredRows } : {}), ...(args.melViewBands.some((b) => b > 0) ? { melView: { bands: args.melViewBands.length === 1 ? args.melViewBands[0] : args.melViewBands, alongside: args.melViewAlongside } } : {}) }),
    ...(args.filters ? { filters: args.filters } : {}), holdoutSources: args.holdoutSources, ...(args.evalData ? { evalData: args.evalData } : {}), minutes: Number(((Date.now() - startedAt) / 60_000).toFixed(2)),
  };
  metadata.dataCard = buildDataCard({
    labels: args.labels,
    parts: { train: withLabel([...train, ...own.flatMap((o) => o?.train ?? [])]), validation: withLabel([...validation, ...own.flatMap((o) => o?.validation ?? [])]), 'held-out': withLabel(heldOut) },
    licences: Object.assign({}, ...(await Promise.all([...args.data, ...args.memberData.flatMap((m) => m.data)].map((d) => readSourcesInfo(d))))),
    secondsOf,
    description: `Trained by \`music-prediction train ${args.data.map((d) => `--data ${d}`).join(' ')}${args.memberData.map((m) => ` --member-data ${m.member}=${m.data.join(',')}`).join('')}\`; split by group (track), ${args.valFraction} of groups per genre for validation` +
      (args.holdoutSources.length ? `; sources held out: ${args.holdoutSources.join(', ')}` : '') +
      (args.evalData ? `; held-out evaluation set: ${args.evalData}` : ''),
  });
  metadata.metrics = {
    ...(result.validation ? { validation: result.validation.metrics } : {}),
    ...(heldOutEval ? { heldOut: heldOutEval.metrics } : {}),
  };
  await saveGenreModel({ networks: result.model.members.map((m) => m.layersModel), metadata, dir: args.out });
  if (result.validation) report.log(formatMetricsTable({ title: 'validation (clip level, split by track)', metrics: result.validation.metrics, labels: args.labels }));
  const heldOutSources = [...new Set(heldOut.map((e) => e.source))];
  if (heldOutEval) report.log(formatMetricsTable({ title: `held-out sources (${heldOutSources.join(', ')})`, metrics: heldOutEval.metrics, labels: args.labels }));
  report.log(`wrote ${args.out} in ${((Date.now() - startedAt) / 60_000).toFixed(1)} min`);
  result.model.dispose();
}
