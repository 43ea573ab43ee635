// Writes the random-weight test fixtures with the real input/output contract (13 × 130 × 1 MFCC
// segment → 5 genres), for fast pipeline tests elsewhere. Their predictions mean nothing.
// - test/fixtures/tiny-model/: one tiny network;
// - test/fixtures/tiny-ensemble/: a model of two tiny networks ('centred' and 'standardised'
//   member folders), the layout of the bundled model;
// - test/fixtures/tiny-other/: one tiny network reading 20 coefficients with a sixth output
//   "Other" (none of the five) and a calibration (temperature, other threshold).
// Deterministic (seeded initialisers, fixed date): re-running reproduces the committed files byte
// for byte. Usage: npx tsx scripts/make-tiny-model.ts [fixturesDir]
import { join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { initTfBackend } from '../src/model/backend.js';
import { DEFAULT_FEATURES, METADATA_FORMAT, type GenreModelMetadata } from '../src/model/metadata.js';
import { saveGenreModel } from '../src/model/save.js';

const fixturesDir = process.argv[2] ?? 'test/fixtures';
const labels = ['Hiphop', 'EDM', 'Classical', 'Metal', 'Jazz'];
const { tf } = await initTfBackend({ preferred: 'cpu' });
const { nMfcc, segmentFrames } = DEFAULT_FEATURES;
const ARCHITECTURE = 'conv4-globalavgpool-dense (random weights, test fixture)';

function tinyNetwork(seed: number, coefficients = nMfcc, outputs = labels.length): tfjs.Sequential {
  const model = tf.sequential({ name: 'tiny_genre_cnn' });
  model.add(tf.layers.conv2d({
    inputShape: [coefficients, segmentFrames, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu',
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
  features: DEFAULT_FEATURES,
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

const wide = 20;
const withOther = tinyNetwork(5, wide, labels.length + 1);
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
