// The job processor: a thin adapter from a queued job to the pipeline stages. It picks the
// stage for the job kind, forwards progress and gives the stages a logger that carries the job id.
import { InputError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { AudioPrediction, PredictionResult, TrackPrediction } from '../../genre/result.js';
import type { PreviewMatch } from '../../types.js';
import type { JobProcessor as QueueJobProcessor, ProcessorJob as QueueProcessorJob } from '../queue/job-queue.js';
import type { PredictionJobData } from './jobs.js';

export type StageProgress = (stage: string, percent: number) => void;

/** The pipeline entry points, already bound to a model and config (see predictor.ts). */
export interface Predictor {
  predictTrack(args: { match: PreviewMatch; logger: Logger; onProgress: StageProgress; signal?: AbortSignal }): Promise<TrackPrediction>;
  predictUpload(args: { audio: Buffer; logger: Logger; onProgress: StageProgress; signal?: AbortSignal }): Promise<AudioPrediction>;
}

export type ProcessorJob = QueueProcessorJob<PredictionJobData>;

export type JobProcessor = QueueJobProcessor<PredictionJobData, PredictionResult>;

export function createJobProcessor({ predictor, logger }: { predictor: Predictor; logger: Logger }): JobProcessor {
  return async (job) => {
    const log = logger.child({ jobId: job.id, kind: job.data.kind, attempt: job.attempt });
    // Progress writes are best effort: a lost progress update must not fail the prediction.
    const onProgress: StageProgress = (stage, percent) => {
      job.reportProgress({ stage, percent }).catch((err: unknown) => log.warn({ err }, 'progress update failed'));
    };
    const started = performance.now();
    log.debug('job started');
    const result =
      job.data.kind === 'track'
        ? await predictor.predictTrack({ match: job.data.match, logger: log, onProgress, signal: job.signal })
        : await predictor.predictUpload({ audio: requireAudio(job), logger: log, onProgress, signal: job.signal });
    log.info({ ms: Math.round(performance.now() - started), first: result.first }, 'job done');
    return result;
  };
}

function requireAudio(job: ProcessorJob): Buffer {
  if (!job.audio) {
    throw new InputError('UPLOAD_EXPIRED', 'the uploaded audio is no longer available; upload it again');
  }
  return job.audio;
}
