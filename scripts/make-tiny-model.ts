// Writes the random-weight test fixtures with the real input/output contract (13 × 130 × 1 MFCC
// segment → 5 genres), for fast pipeline tests elsewhere. Their predictions mean nothing.
// - test/fixtures/tiny-model/: one tiny network;
// - test/fixtures/tiny-ensemble/: a model of two tiny networks ('centred' and 'standardised'
//   member folders), the layout of the bundled model;
// - test/fixtures/tiny-other-features/: one tiny network on a different front end (16 kHz, swr,
//   20 coefficients, 64-frame segments, 10-s clips), which the code must serve from its metadata alone.
// - test/fixtures/tiny-other/: one tiny network reading 20 coefficients with a sixth output
//   "Other" (none of the five) and a calibration (temperature, other threshold).
// Deterministic (seeded initialisers, fixed date): re-running reproduces the committed files byte
// for byte. Usage: npx tsx scripts/make-tiny-model.ts [fixturesDir]
import { join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { initTfBackend } from '../src/genre/model/backend.js';
import { DEFAULT_FEATURES, METADATA_FORMAT, type GenreModelMetadata } from '../src/genre/model/metadata.js';
import { saveGenreModel } from '../src/lab/network/save.js';

const fixturesDir = process.argv[2] ?? 'test/fixtures';
const labels = ['Hiphop', 'EDM', 'Classical', 'Metal', 'Jazz'];
const { tf } = await initTfBackend({ preferred: 'cpu' });
const { nMfcc, segmentFrames } = DEFAULT_FEATURES;
const ARCHITECTURE = 'conv4-globalavgpool-dense (random weights, test fixture)';

function tinyNetwork(seed: number, shape: { nMfcc: number; segmentFrames: number } = { nMfcc, segmentFrames }, outputs = labels.length): tfjs.Sequential {
  const model = tf.sequential({ name: 'tiny_genre_cnn' });
  model.add(tf.layers.conv2d({
    inputShape: [shape.nMfcc, shape.segmentFrames, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu',
    kernelInitializer: tf.initializers.glorotUniform({ seed }), biasInitializer: 'zeros',
  }));
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dense({ units: outputs, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return model;
}

const normalisation = { mean: new Array<number>(nMfcc).fill(0), std: new Array<number>(nMfcc).fill(10) };
// Everything but how the networks are normalised (one `normalisation`, or one per member).
const common: Omit<GenreModelMetadata, 'normalisation'> = {
  format: METADATA_FORMAT,
  name: 'tiny-random',
  version: '0.0.0-fixture',
  createdAt: '2026-11-23T00:00:00.000Z',
  labels,
  // Segments overlap by half here, so the tests see more than one segment per short clip.
  features: { ...DEFAULT_FEATURES, segmentHopFrames: 65 },
  architecture: ARCHITECTURE,
  training: { note: 'not trained: random weights from seeded initialisers' },
  dataCard: { description: 'No data: random-weight test fixture. Its predictions mean nothing.', clipsPerGenre: {}, sources: [], licences: [] },
  metrics: {},
};

const single = tinyNetwork(1);
await saveGenreModel({ networks: [single], metadata: { ...common, normalisation: { kind: 'per-coefficient', ...normalisation } }, dir: join(fixturesDir, 'tiny-model') });
console.log(`wrote ${join(fixturesDir, 'tiny-model')} (${single.countParams()} parameters)`);

const pair = [tinyNetwork(1), tinyNetwork(3)];
await saveGenreModel({
  networks: pair,
  metadata: {
    ...common, name: 'tiny-random-pair', architecture: `mean of 2 networks (centred, standardised): ${ARCHITECTURE}`,
    members: [
      { path: 'centred', normalisation: { kind: 'per-coefficient-centred', ...normalisation }, architecture: ARCHITECTURE, training: {} },
      { path: 'standardised', normalisation: { kind: 'per-coefficient-standardised', ...normalisation }, architecture: ARCHITECTURE, training: {} },
    ],
  },
  dir: join(fixturesDir, 'tiny-ensemble'),
});
console.log(`wrote ${join(fixturesDir, 'tiny-ensemble')} (2 × ${pair[0]!.countParams()} parameters)`);

const otherFeatures = {
  sampleRate: 16000, nFft: 1024, hopLength: 256, nMels: 64, nMfcc: 20, lifter: 0, fmin: 0, fmax: 8000,
  segmentFrames: 64, segmentHopFrames: 32, clipSeconds: 10, minSeconds: 0.5, resampler: 'swr' as const,
};
const other = tinyNetwork(5, otherFeatures);
await saveGenreModel({
  networks: [other],
  metadata: {
    ...common, name: 'tiny-other-features', features: otherFeatures,
    normalisation: { kind: 'per-coefficient', mean: new Array<number>(otherFeatures.nMfcc).fill(0), std: new Array<number>(otherFeatures.nMfcc).fill(10) },
  },
  dir: join(fixturesDir, 'tiny-other-features'),
});
console.log(`wrote ${join(fixturesDir, 'tiny-other-features')} (${other.countParams()} parameters)`);
const wide = 20;
const withOther = tinyNetwork(5, { nMfcc: wide, segmentFrames }, labels.length + 1);
await saveGenreModel({
  networks: [withOther],
  metadata: {
    ...common, name: 'tiny-random-other', labels: [...labels, 'Other'], otherLabel: 'Other',
    features: { ...DEFAULT_FEATURES, nMfcc: wide },
    normalisation: { kind: 'per-coefficient-centred', mean: new Array<number>(wide).fill(0), std: new Array<number>(wide).fill(10) },
    calibration: { temperature: 1.5, otherThreshold: 0.1, fittedOn: 'not fitted: test fixture' },
  },
  dir: join(fixturesDir, 'tiny-other'),
});
console.log(`wrote ${join(fixturesDir, 'tiny-other')} (${withOther.countParams()} parameters)`);
