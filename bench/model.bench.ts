// Model benchmarks (wasm backend unless TF_BACKEND says otherwise): load + warm-up, inference for
// one 30-s clip (all its segments, one batch per network), memory over many predictions, and one
// training step.
// BENCH_MODEL_DIR times another model folder (a candidate architecture) instead of models/genre-cnn.
// BENCH_PREDICTIONS (default 2000) sets the memory run's length; the 10,000 check in docs/model.md
// used BENCH_PREDICTIONS=10000.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTfBackend, type BackendPreference } from '../src/genre/model/backend.js';
import { initTrainingBackend } from '../src/lab/network/backend.js';
import { buildGenreCnn, ARCHITECTURE } from '../src/lab/network/architecture.js';
import { loadGenreModel } from '../src/genre/model/load.js';
import { saveGenreModel } from '../src/lab/network/save.js';
import { classifyMfcc } from '../src/genre/model/classify.js';
import { planSegments } from '../src/genre/model/segments.js';
import { DEFAULT_FEATURES, METADATA_FORMAT } from '../src/genre/model/metadata.js';
import { formatTimings, measure, summarize, type Timing } from './lib.js';

const LABELS = ['Hiphop', 'EDM', 'Classical', 'Metal', 'Jazz'];

function pseudoMfcc(frames: number, nMfcc = 13): { data: Float32Array; nMfcc: number; frames: number } {
  const data = new Float32Array(nMfcc * frames);
  let s = 1;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    data[i] = (s / 2 ** 32 - 0.5) * 40;
  }
  return { data, nMfcc, frames };
}

async function randomModelDir(preferred: BackendPreference): Promise<string> {
  const { tf } = await initTfBackend({ preferred });
  const dir = await mkdtemp(join(tmpdir(), 'bench-model-'));
  const model = buildGenreCnn({ tf, nMfcc: 13, segmentFrames: DEFAULT_FEATURES.segmentFrames, classes: LABELS.length });
  await saveGenreModel({
    networks: [model], dir,
    metadata: {
      format: METADATA_FORMAT, name: 'bench-random', version: '0', createdAt: new Date().toISOString(), labels: LABELS,
      features: { ...DEFAULT_FEATURES, segmentHopFrames: 65 }, normalisation: { kind: 'per-coefficient', mean: new Array(13).fill(0), std: new Array(13).fill(20) },
      architecture: ARCHITECTURE, training: {}, dataCard: { description: 'random weights', clipsPerGenre: {}, sources: [], licences: [] }, metrics: {},
    },
  });
  model.dispose();
  return dir;
}

export default async function modelBench(): Promise<void> {
  const preferred = (process.env['TF_BACKEND'] as BackendPreference | undefined) ?? 'wasm';
  const given = process.env['BENCH_MODEL_DIR'] ?? (existsSync('models/genre-cnn/metadata.json') ? 'models/genre-cnn' : undefined);
  const randomDir = given === undefined ? await randomModelDir(preferred) : undefined;
  const dir = given ?? randomDir!;
  const timings: Timing[] = [];
  const loads: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const m = await loadGenreModel({ dir, backend: preferred });
    loads.push(performance.now() - t0);
    m.dispose();
  }
  timings.push(summarize(`load + warm-up (${dir})`, loads));
  const model = await loadGenreModel({ dir, backend: preferred });
  const clip = pseudoMfcc(1292, model.metadata.features.nMfcc);
  // CPU time per call as well as wall time: on a shared machine the wall median includes waiting
  // for a core; process CPU time is what one prediction costs.
  const cpu0 = process.cpuUsage();
  const { segmentFrames, segmentHopFrames } = model.metadata.features;
  const segments = planSegments({ frames: clip.frames, segmentFrames, hopFrames: segmentHopFrames }).length;
  const wall = await measure(`classify 30-s clip (${segments} segments × ${model.members.length} network(s)), ${model.backend}`, () => classifyMfcc({ model, mfcc: clip }), { warmup: 10, runs: 50 });
  const cpu = process.cpuUsage(cpu0);
  wall.extra = { cpuMsPerCall: ((cpu.user + cpu.system) / 1000 / 60).toFixed(2) };
  timings.push(wall);
  const short = pseudoMfcc(200, model.metadata.features.nMfcc);
  timings.push(await measure(`classify 4.6-s clip (2 segments × ${model.members.length}), ${model.backend}`, () => classifyMfcc({ model, mfcc: short }), { warmup: 10, runs: 50 }));

  const count = Number(process.env['BENCH_PREDICTIONS'] ?? 2000);
  global.gc?.();
  const before = process.memoryUsage();
  const tensorsBefore = (await import('@tensorflow/tfjs')).memory().numTensors;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) classifyMfcc({ model, mfcc: clip });
  const seconds = (performance.now() - t0) / 1000;
  global.gc?.();
  const after = process.memoryUsage();
  const tensorsAfter = (await import('@tensorflow/tfjs')).memory().numTensors;
  const mb = (b: number) => (b / 2 ** 20).toFixed(1);
  timings.push(summarize(`${count} predictions (memory run)`, [(seconds * 1000) / count], {
    rssMB: `${mb(before.rss)}→${mb(after.rss)}`, heapMB: `${mb(before.heapUsed)}→${mb(after.heapUsed)}`, tensors: `${tensorsBefore}→${tensorsAfter}`,
  }));
  model.dispose();

  // One optimiser step at batch 32 on the full CNN: the unit the training time budget is built on.
  const { tf } = await initTrainingBackend({ preferred });
  const cnn = buildGenreCnn({ tf, nMfcc: 13, segmentFrames: DEFAULT_FEATURES.segmentFrames, classes: LABELS.length });
  cnn.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = tf.randomNormal([32, 13, DEFAULT_FEATURES.segmentFrames, 1]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 5), 'int32'), 5);
  timings.push(await measure(`train step, batch 32, ${tf.getBackend()}`, () => cnn.trainOnBatch(x, y), { warmup: 3, runs: 20 }));
  tf.dispose([x, y]);
  cnn.dispose();
  if (randomDir) await rm(randomDir, { recursive: true, force: true });
  console.log(formatTimings('model (inference, memory, training step)', timings));
}
