// Shared by the model tests: a small real CNN with random weights and valid metadata.
import { initTfBackend, type BackendPreference } from '../../../src/genre/model/backend.js';
import { buildGenreCnn, ARCHITECTURE } from '../../../src/lab/network/architecture.js';
import { DEFAULT_FEATURES, METADATA_FORMAT, type GenreModelMetadata } from '../../../src/genre/model/metadata.js';
import { loadGenreModel } from '../../../src/genre/model/load.js';
import { saveGenreModel } from '../../../src/lab/network/save.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';

export const LABELS = ['Hiphop', 'EDM', 'Classical', 'Metal', 'Jazz'];

export function validMetadata(overrides: Partial<GenreModelMetadata> = {}): GenreModelMetadata {
  return {
    format: METADATA_FORMAT,
    name: 'test-cnn',
    version: '1.2.3',
    createdAt: new Date('2026-11-23T10:00:00Z').toISOString(),
    labels: LABELS,
    features: { ...DEFAULT_FEATURES, segmentHopFrames: 65 },
    normalisation: { kind: 'per-coefficient', mean: new Array<number>(13).fill(-5), std: new Array<number>(13).fill(20) },
    architecture: ARCHITECTURE,
    training: {},
    dataCard: { description: 'test', clipsPerGenre: {}, sources: [], licences: [] },
    metrics: {},
    ...overrides,
  };
}

export async function randomCnn(backend: BackendPreference = 'wasm'): Promise<{ tf: typeof tfjs; model: tfjs.LayersModel }> {
  const { tf } = await initTfBackend({ preferred: backend });
  return { tf, model: buildGenreCnn({ tf, nMfcc: 13, segmentFrames: 130, classes: LABELS.length }) };
}

/** Runs fn on a saved and loaded random-weight model with valid metadata, then removes it. */
export async function withRandomModel(fn: (model: Awaited<ReturnType<typeof loadGenreModel>>) => Promise<void> | void): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'genre-model-'));
  const { model: cnn } = await randomCnn();
  await saveGenreModel({ networks: [cnn], metadata: validMetadata(), dir });
  cnn.dispose();
  const model = await loadGenreModel({ dir, backend: 'wasm' });
  try {
    await fn(model);
  } finally {
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A deterministic pseudo-MFCC matrix (coefficient-major). */
export function syntheticMfcc(frames: number, seed = 1, nMfcc = 13): { data: Float32Array; nMfcc: number; frames: number } {
  const data = new Float32Array(nMfcc * frames);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    data[i] = (s / 2 ** 32 - 0.5) * 40 - (Math.floor(i / frames) === 0 ? 200 : 0);
  }
  return { data, nMfcc, frames };
}
