// A plain-normalised network saved with metadata, loaded by the service, and scored on two segments.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import { saveGenreModel } from '../../../src/lab/network/save.js';
import { loadGenreModel } from '../../../src/genre/model/load.js';
import { LABELS, syntheticMfcc, validMetadata } from '../../genre/model/helpers.js';

export async function assertSavesAndLoads(model: LayersModel, architecture: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'network-'));
  try {
    const metadata = validMetadata({ architecture });
    metadata.normalisation = { ...metadata.normalisation!, kind: 'per-coefficient' };
    await saveGenreModel({ networks: [model], metadata, dir });
    const loaded = await loadGenreModel({ dir, backend: 'wasm' });
    const got = loaded.predictSegments({ mfcc: syntheticMfcc(300), starts: [0, 170] });
    assert.equal(got.length, 2 * LABELS.length);
    assert.ok(Math.abs(got.slice(0, LABELS.length).reduce((s, v) => s + v, 0) - 1) < 1e-5);
    loaded.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
