// THE genre pipeline, configured by the model's own files: extract (decode → MFCC with the
// model's feature settings) → classify (segments → networks → top-2 and timeline) → postprocess
// (MFCC image). The API, the CLI, evaluation and the benches all go through it.
// The MFCC is computed after the decode, not while ffmpeg decodes: a streaming version was
// measured slower through the API (docs/audio.md, "Streaming MFCC").
import type { GenrePrediction, MfccMatrix } from '../types.js';
import type { Logger } from '../logger.js';
import { imageCoefficients } from './image-coefficients.js';
import { renderMfccImage } from './mfcc-image.js';
import type { BackendPreference } from './model/backend.js';
import { classifyMfcc } from './model/classify.js';
import { loadGenreModel, type GenreModel } from './model/load.js';
import type { GenreModelMetadata } from './model/metadata.js';
import { extractFeatures, type DecodeLimits, type ExtractedFeatures } from './preprocess.js';
import type { AudioPrediction } from './result.js';

export type StageProgress = (stage: string, percent: number) => void;

export interface GenrePipeline {
  model: GenreModel;
  metadata: GenreModelMetadata;
  /** onDecoded: called between the decode and the MFCC (progress, per-stage CPU in the bench). */
  extract(input: string | Buffer, options?: { signal?: AbortSignal; onDecoded?: () => void }): Promise<ExtractedFeatures>;
  classify(mfcc: MfccMatrix): GenrePrediction;
  /** extract → classify → MFCC image, with stage timings and progress. */
  predict(input: string | Buffer, options?: { logger?: Logger; onProgress?: StageProgress; signal?: AbortSignal }): Promise<AudioPrediction>;
  dispose(): void;
}

export async function loadGenrePipeline(modelDir: string, { backend = 'auto', logger, limits = {} }: {
  backend?: BackendPreference;
  logger?: Logger;
  limits?: DecodeLimits;
} = {}): Promise<GenrePipeline> {
  const model = await loadGenreModel({ dir: modelDir, backend, ...(logger ? { logger } : {}) });
  return createGenrePipeline({ model, limits });
}

/** A pipeline around an already loaded model (a freshly trained one, or one shared by tests). */
export function createGenrePipeline({ model, limits = {} }: { model: GenreModel; limits?: DecodeLimits }): GenrePipeline {
  const features = model.metadata.features;
  const extract: GenrePipeline['extract'] = (input, { signal, onDecoded } = {}) =>
    extractFeatures({ input, features, limits, refuseUnusable: true, ...(signal ? { signal } : {}), ...(onDecoded ? { onDecoded } : {}) });
  const classify = (mfcc: MfccMatrix) => classifyMfcc({ model, mfcc });

  const predict: GenrePipeline['predict'] = async (input, { logger, onProgress, signal } = {}) => {
    const t0 = performance.now();
    onProgress?.('decode', 10);
    // The decode's end is reported before the MFCC starts, so the 'mfcc' stage shows in between.
    const { mfcc, durationSeconds, timingsMs: extractMs } = await extract(input, { ...(signal ? { signal } : {}), onDecoded: () => onProgress?.('mfcc', 40) }).catch((err: unknown) => {
      // What ffmpeg said stays out of the client's message; it goes to the log.
      const cause = (err as { cause?: unknown }).cause;
      logger?.info({ code: (err as { code?: unknown }).code, detail: cause instanceof Error ? cause.message : undefined }, 'extract failed');
      throw err;
    });
    const timingsMs: Record<string, number> = { ...extractMs };
    // The JPEG encode runs in libuv's thread pool (sharp), so it is started first and the network
    // runs on this thread meanwhile: at light load the two overlap on two cores. Its rejection is
    // handled by the await below, or dropped when classify throws first.
    const imageStarted = performance.now();
    const pendingImage = renderMfccImage({ mfcc: imageCoefficients(mfcc) }).then((image) => {
      timingsMs.image = round(performance.now() - imageStarted);
      return image;
    });
    pendingImage.catch(() => undefined);
    onProgress?.('classify', 70);
    const t1 = performance.now();
    const prediction = classify(mfcc);
    timingsMs.classify = round(performance.now() - t1);
    onProgress?.('image', 90);
    const image = await pendingImage;
    timingsMs.total = round(performance.now() - t0);
    logger?.debug({ timingsMs, seconds: durationSeconds }, 'audio predicted');
    return {
      ...prediction,
      mfcc: image.base64,
      durationSeconds: round(durationSeconds),
      timingsMs,
      model: { name: model.name, version: model.version, backend: model.backend },
    };
  };

  return { model, metadata: model.metadata, extract, classify, predict, dispose: () => model.dispose() };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
