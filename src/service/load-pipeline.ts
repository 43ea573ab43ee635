// Everything a process needs to RUN predictions (embedded API or worker): the model (it picks
// the TensorFlow.js backend), ffmpeg, and the job processor bound to them, plus readiness probes for /readyz.
import { isExecutableFile, resolveFfmpegPath } from '../audio/ffmpeg/ffmpeg-binary.js';
import { closeWarmDecoders } from '../audio/ffmpeg/warm-decoder.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { GenreModel } from '../genre/model/load.js';
import { loadGenrePipeline } from '../genre/pipeline.js';
import { decodeLimitsFrom } from '../genre/preprocess.js';
import { createJobProcessor, type JobProcessor } from './predictions/processor.js';
import type { ReadinessProbe } from './routes/health.js';
import { createPredictor } from './predictions/predictor.js';

export interface LoadedPipeline {
  model: GenreModel;
  process: JobProcessor;
  probes: ReadinessProbe[];
  /** Kills the idle warm ffmpeg processes and frees the model: after the queue/worker is closed. */
  dispose(): Promise<void>;
}

export async function loadPipeline({ config, logger }: { config: Config; logger: Logger }): Promise<LoadedPipeline> {
  // Fail at boot, not on the first request, when ffmpeg is missing.
  const ffmpeg = resolveFfmpegPath({ configured: config.FFMPEG_PATH });
  logger.info({ ffmpeg: ffmpeg.path, source: ffmpeg.source }, 'ffmpeg found');
  // loadGenreModel logs the model, its backend, networks and labels ('genre model loaded').
  const pipeline = await loadGenrePipeline(config.MODEL_DIR, {
    backend: config.TF_BACKEND, logger, limits: decodeLimitsFrom({ ...config, FFMPEG_PATH: ffmpeg.path }),
  });
  const { model } = pipeline;
  const predictor = createPredictor({ pipeline, config });
  return {
    model,
    process: createJobProcessor({ predictor, logger }),
    probes: [
      { name: 'model', check: async () => `${model.name}@${model.version}` },
      { name: 'backend', check: async () => model.backend },
      // Checked on every probe: a binary deleted or made non-executable after boot fails decodes.
      // The detail names where ffmpeg came from, not its path (readiness is public).
      {
        name: 'ffmpeg',
        check: async () => {
          if (!isExecutableFile(ffmpeg.path)) throw new Error('ffmpeg is no longer an executable file');
          return ffmpeg.source;
        },
      },
    ],
    dispose: async () => {
      await closeWarmDecoders();
      model.dispose();
    },
  };
}
