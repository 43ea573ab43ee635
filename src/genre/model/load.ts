// Loads and checks a model directory at startup. Every way a directory can be unusable (missing
// files, bad JSON, metadata that does not match the network's shapes) becomes one
// InternalError('MODEL_INVALID') naming the directory and the problem.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { InternalError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { initTfBackend, type BackendPreference } from './backend.js';
import { fileSystemHandler } from './file-io.js';
import { createGenreModel, type GenreModel, type GenreModelMember } from './genre-model.js';
import { foldBatchNorms } from './fold-batch-norm.js';
import { METADATA_FILE, memberSpecs, parseMetadata, type GenreModelMetadata } from './metadata.js';

export type { GenreModel } from './genre-model.js';

function invalid(dir: string, problem: string, cause?: unknown): InternalError {
  return new InternalError('MODEL_INVALID', `model directory ${dir}: ${problem}`, { cause });
}

async function readMetadata(dir: string): Promise<GenreModelMetadata> {
  let text: string;
  try {
    text = await readFile(join(dir, METADATA_FILE), 'utf8');
  } catch (err) {
    throw invalid(dir, `cannot read ${METADATA_FILE} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, err);
  }
  try {
    return parseMetadata(JSON.parse(text));
  } catch (err) {
    throw invalid(dir, `${METADATA_FILE} is invalid: ${(err as Error).message}`, err);
  }
}

/** Throws unless the network takes [batch, nMfcc, segmentFrames, 1] and outputs one value per label. */
export function checkShapes({ layersModel, metadata, dir }: { layersModel: tfjs.LayersModel; metadata: GenreModelMetadata; dir: string }): void {
  const input = layersModel.inputs[0]?.shape ?? [];
  const output = layersModel.outputs[0]?.shape ?? [];
  const show = (shape: (number | null)[]) => `[${shape.map((d) => d ?? 'batch').join(', ')}]`;
  const { nMfcc, segmentFrames } = metadata.features;
  const want = [nMfcc, segmentFrames, 1];
  if (layersModel.inputs.length !== 1 || input.length !== 4 || want.some((v, i) => input[i + 1] !== v)) {
    throw invalid(dir, `network input shape ${show(input)} does not match the features [batch, ${want.join(', ')}]`);
  }
  if (layersModel.outputs.length !== 1 || output.length !== 2 || output[1] !== metadata.labels.length) {
    throw invalid(dir, `network output shape ${show(output)} does not match ${metadata.labels.length} labels`);
  }
}

export async function loadGenreModel({ dir, backend = 'auto', logger }: {
  dir: string;
  backend?: BackendPreference;
  logger?: Logger;
}): Promise<GenreModel> {
  const started = performance.now();
  const fullDir = resolve(dir);
  const runtime = await initTfBackend({ preferred: backend, ...(logger ? { logger } : {}) });
  const metadata = await readMetadata(fullDir);
  const members: GenreModelMember[] = [];
  const disposeAll = () => members.forEach((m) => m.layersModel.dispose());
  for (const spec of memberSpecs(metadata)) {
    const memberDir = join(fullDir, spec.path);
    let layersModel: tfjs.LayersModel;
    try {
      const trained = await runtime.tf.loadLayersModel(fileSystemHandler({ dir: memberDir }));
      layersModel = await foldBatchNorms(runtime.tf, trained).catch((err: unknown) => {
        trained.dispose();
        throw err;
      });
      if (layersModel !== trained) trained.dispose();
    } catch (err) {
      disposeAll();
      throw invalid(memberDir, `cannot load model.json/weights: ${(err as Error).message}`, err);
    }
    members.push({ layersModel, normalisation: spec.normalisation });
    try {
      checkShapes({ layersModel, metadata, dir: memberDir });
    } catch (err) {
      disposeAll();
      throw err;
    }
  }
  const model = createGenreModel({ tf: runtime.tf, members, metadata, backend: runtime.backend });
  // Warm-up: the first predict compiles kernels and allocates; do it before the first request.
  const { nMfcc, segmentFrames } = metadata.features;
  model.predictSegments({ mfcc: { data: new Float32Array(nMfcc * segmentFrames), nMfcc, frames: segmentFrames }, starts: [0] });
  logger?.info(
    { model: `${model.name}@${model.version}`, backend: runtime.backend, networks: members.length, labels: metadata.labels, ms: Math.round(performance.now() - started) },
    'genre model loaded',
  );
  return model;
}
