// Audio bytes → genres: decode (ffmpeg) → MFCC with the MODEL's own feature parameters (the same
// code and parameters it was trained with) → classify → MFCC image. The stages are the shared
// pure functions; this file only orders them, times them and reports progress.
// The MFCC is computed after the decode, not while ffmpeg decodes: a streaming version was built
// and measured; through the API it made uploads ~100 ms slower and sustained throughput ~15 % lower
// on 2 cores, although decode + MFCC alone got 17 ms faster (docs/audio.md, "Streaming MFCC").
import { decodeAudio } from '../audio/decode.js';
import type { Config } from '../config.js';
import { computeMfcc } from '../features/mfcc.js';
import { imageCoefficients } from '../features/image-coefficients.js';
import { renderMfccImage } from '../features/mfcc-image.js';
import type { Logger } from '../logger.js';
import { classifyMfcc } from '../model/classify.js';
import type { GenreModel } from '../model/load.js';
import { mfccOptionsFor } from '../model/metadata.js';
import type { AudioPrediction } from './result.js';

export type DecodeConfig = Pick<
  Config,
  'MAX_AUDIO_SECONDS' | 'MIN_AUDIO_SECONDS' | 'MAX_UPLOAD_BYTES' | 'FFMPEG_TIMEOUT_MS' | 'FFMPEG_PATH' | 'FFMPEG_WARM_POOL' | 'FFMPEG_SPAWN_HELPER'
>;

export async function predictAudio({
  audio,
  model,
  config,
  logger,
  onProgress,
  signal,
}: {
  audio: Buffer;
  model: GenreModel;
  config: DecodeConfig;
  logger: Logger;
  onProgress?: (stage: string, percent: number) => void;
  signal?: AbortSignal;
}): Promise<AudioPrediction> {
  const features = model.metadata.features;
  const timingsMs: Record<string, number> = {};
  // Async so a stage that runs off the event loop (the JPEG encode) is timed until it is done.
  const timed = async <T>(stage: string, percent: number, fn: () => T | Promise<T>): Promise<T> => {
    onProgress?.(stage, percent);
    const t0 = performance.now();
    const value = await fn();
    timingsMs[stage] = round(performance.now() - t0);
    return value;
  };

  onProgress?.('decode', 10);
  const t0 = performance.now();
  const decoded = await decodeAudio({
    input: audio,
    sampleRate: features.sampleRate,
    maxSeconds: config.MAX_AUDIO_SECONDS,
    minSeconds: config.MIN_AUDIO_SECONDS,
    maxBytes: config.MAX_UPLOAD_BYTES,
    timeoutMs: config.FFMPEG_TIMEOUT_MS,
    ffmpegPath: config.FFMPEG_PATH,
    warmPool: config.FFMPEG_WARM_POOL,
    spawnHelper: config.FFMPEG_SPAWN_HELPER,
    signal,
  });
  timingsMs.decode = round(performance.now() - t0);

  const mfcc = await timed('mfcc', 40, () => computeMfcc(mfccOptionsFor({ features, samples: decoded.samples, sampleRate: decoded.sampleRate })));
  // The JPEG encode runs in libuv's thread pool (sharp), so it is started first and the network
  // runs on this thread meanwhile: at light load the two overlap on two cores (the image's time
  // is then no longer added to the job's). Its rejection is handled by the await below, or
  // dropped when classify throws first.
  const imageStarted = performance.now();
  const pendingImage = renderMfccImage({ mfcc: imageCoefficients(mfcc) }).then((image) => {
    timingsMs.image = round(performance.now() - imageStarted);
    return image;
  });
  pendingImage.catch(() => undefined);
  const prediction = await timed('classify', 70, () => classifyMfcc({ model, mfcc }));
  onProgress?.('image', 90);
  const image = await pendingImage;
  timingsMs.total = round(performance.now() - t0);
  logger.debug({ timingsMs, seconds: decoded.durationSeconds }, 'audio predicted');
  return {
    ...prediction,
    mfcc: image.base64,
    durationSeconds: round(decoded.durationSeconds),
    timingsMs,
    model: { name: model.name, version: model.version, backend: model.backend },
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
