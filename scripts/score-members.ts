// Scores a model of several networks member by member and as a whole, at segment hop 65 and 130,
// on the selection split's held-out sources (the member table in docs/experiments.md).
// Usage: npx tsx scripts/score-members.ts <model-dir>… (data: data/bundled/train.tsv; sources:
// SOURCES=a,b,c, default the selection split's three)
import * as tf from '@tensorflow/tfjs';
import { readDataset } from '../src/lab/datasets/manifest.js';
import { createGenreModel, type GenreModel } from '../src/genre/model/genre-model.js';
import { loadGenreModel } from '../src/genre/model/load.js';
import type { MetricsSummary } from '../src/genre/model/metadata.js';
import { matchLabels } from '../src/lab/datasets/labels.js';
import { evaluateClips } from '../src/lab/evaluation/evaluate.js';
import { extractDatasetFeatures } from '../src/lab/training/features.js';
import type { MfccMatrix } from '../src/types.js';

const sources = new Set((process.env['SOURCES'] ?? 'freedink-data,fretsonfire-songs-sectoid,openttd-openmsx').split(','));
const entries = (await readDataset({ location: 'data/bundled/train.tsv' })).filter((e) => sources.has(e.source));
let clips: { mfcc: MfccMatrix; label: number }[] | undefined;
const show = (m: MetricsSummary) => `${m.balancedAccuracy.toFixed(3)} (Metal ${m.perClass['Metal']?.recall.toFixed(2)} / Jazz ${m.perClass['Jazz']?.recall.toFixed(2)})`;

for (const dir of process.argv.slice(2)) {
  const model = await loadGenreModel({ dir, backend: 'wasm' });
  const { matched } = matchLabels({ entries, labels: model.labels });
  if (!clips) {
    const extracted = await extractDatasetFeatures({ entries: matched.map((m) => m.entry), features: model.metadata.features, cacheDir: '.cache/features', concurrency: 2 });
    const labelOf = new Map(matched.map((m) => [m.entry, m.label]));
    clips = extracted.clips.map((c) => ({ mfcc: c.mfcc, label: labelOf.get(c.entry)! }));
  }
  const { members: specs, ...rest } = model.metadata;
  for (const hop of [65, 130]) {
    const features = { ...model.metadata.features, segmentHopFrames: hop };
    const variants: [string, GenreModel][] = (specs ?? []).map((spec, i) => [
      spec.path, createGenreModel({ tf, members: [model.members[i]!], metadata: { ...rest, features, normalisation: spec.normalisation }, backend: model.backend }),
    ]);
    variants.push(['all', createGenreModel({ tf, members: model.members, metadata: { ...model.metadata, features }, backend: model.backend })]);
    console.log(`${dir} hop ${hop}: ${variants.map(([name, m]) => `${name} ${show(evaluateClips({ model: m, clips: clips! }).metrics)}`).join(' | ')}`);
  }
  model.dispose();
}
