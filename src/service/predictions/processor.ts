// The job processor: a thin adapter from a queued job to the pipeline stages. It picks the
// stage for the job kind, forwards progress, gives the stages a logger that carries the job id,
// and (for BullMQ) turns permanent failures into UnrecoverableError so they are not retried.
import { UnrecoverableError, type Job } from 'bullmq';
import { InputError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { AudioPrediction, PredictionResult, TrackPrediction } from '../../genre/result.js';
import type { PreviewMatch } from '../../types.js';
import { encodeFailure, toJobFailure } from '../queue/failure.js';
import type { JobProgress, JobReturnValue, PredictionJobData } from '../queue/job-queue.js';
import type { ResultCache, UploadStore } from '../queue/redis-stores.js';

export type StageProgress = (stage: string, percent: number) => void;

/** The pipeline entry points, already bound to a model and config (see predictor.ts). */
export interface Predictor {
  predictTrack(args: { match: PreviewMatch; logger: Logger; onProgress: StageProgress; signal?: AbortSignal }): Promise<TrackPrediction>;
  predictUpload(args: { audio: Buffer; logger: Logger; onProgress: StageProgress; signal?: AbortSignal }): Promise<AudioPrediction>;
}

export interface ProcessorJob {
  id: string;
  data: PredictionJobData;
  /** Upload bytes, loaded by the queue implementation. */
  audio?: Buffer;
  attempt: number;
  reportProgress(progress: JobProgress): Promise<void>;
  signal?: AbortSignal;
}

export type JobProcessor = (job: ProcessorJob) => Promise<PredictionResult>;

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
    throw new InputError('UPLOAD_EXPIRED', 'the uploaded audio is no longer available; upload it again', 410);
  }
  return job.audio;
}

/**
 * Wraps the processor for a BullMQ Worker: loads upload bytes from Redis, caches the result,
 * deletes the bytes once the job is done for good, and encodes failures (code, status,
 * permanence) into the failure reason; permanent ones as UnrecoverableError (no retry).
 * With `returnReference` (the cache keeps results at least as long as BullMQ keeps finished
 * jobs), the job returns a CachedResultRef instead of the result (see job-queue.ts).
 */
export function toBullmqProcessor({
  process,
  uploads,
  results,
  returnReference = false,
}: {
  process: JobProcessor;
  uploads: UploadStore;
  results: ResultCache;
  returnReference?: boolean;
}): (job: Job<PredictionJobData, JobReturnValue>) => Promise<JobReturnValue> {
  return async (job) => {
    const { data } = job;
    const sha256 = data.kind === 'upload' ? data.sha256 : undefined;
    try {
      const audio = sha256 ? ((await uploads.get(sha256)) ?? undefined) : undefined;
      const result = await process({
        id: job.id ?? 'unknown',
        data,
        audio,
        attempt: job.attemptsMade + 1,
        reportProgress: (p) => job.updateProgress(p),
      });
      await results.set(data.key, result);
      if (sha256) await uploads.delete(sha256);
      return returnReference ? { resultIn: 'cache', timingsMs: result.timingsMs } : result;
    } catch (err) {
      const failure = toJobFailure(err);
      const lastAttempt = failure.permanent || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (lastAttempt && sha256) await uploads.delete(sha256).catch(() => undefined);
      throw failure.permanent ? new UnrecoverableError(encodeFailure(failure)) : new Error(encodeFailure(failure));
    }
  };
}
