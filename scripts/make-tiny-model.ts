// Writes test/fixtures/tiny-model/: a tiny random-weight network with the real input/output
// contract (13 × 130 × 1 MFCC segment → 5 genres) for fast pipeline tests elsewhere. Its
// predictions mean nothing. Deterministic (seeded initialisers, fixed date), so re-running it
// reproduces the committed files byte for byte.
// Usage: npx tsx scripts/make-tiny-model.ts [outDir]
import { initTfBackend } from '../src/model/backend.js';
import { DEFAULT_FEATURES, METADATA_FORMAT, type GenreModelMetadata } from '../src/model/metadata.js';
import { saveGenreModel } from '../src/model/save.js';

const outDir = process.argv[2] ?? 'test/fixtures/tiny-model';
const labels = ['Hiphop', 'EDM', 'Classical', 'Metal', 'Jazz'];
const { tf } = await initTfBackend({ preferred: 'cpu' });
const { nMfcc, segmentFrames } = DEFAULT_FEATURES;

const model = tf.sequential({ name: 'tiny_genre_cnn' });
model.add(tf.layers.conv2d({
  inputShape: [nMfcc, segmentFrames, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu',
  kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: 'zeros',
}));
model.add(tf.layers.globalAveragePooling2d({}));
model.add(tf.layers.dense({ units: labels.length, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));

const metadata: GenreModelMetadata = {
  format: METADATA_FORMAT,
  name: 'tiny-random',
  version: '0.0.0-fixture',
  createdAt: '2026-11-23T00:00:00.000Z',
  labels,
  features: DEFAULT_FEATURES,
  normalisation: { kind: 'per-coefficient', mean: new Array<number>(nMfcc).fill(0), std: new Array<number>(nMfcc).fill(10) },
  architecture: 'conv4-globalavgpool-dense (random weights, test fixture)',
  training: { note: 'not trained: random weights from seeded initialisers' },
  dataCard: { description: 'No data: random-weight test fixture. Its predictions mean nothing.', clipsPerGenre: {}, sources: [], licences: [] },
  metrics: {},
};
await saveGenreModel({ layersModel: model, metadata, dir: outDir });
console.log(`wrote ${outDir} (${model.countParams()} parameters)`);
