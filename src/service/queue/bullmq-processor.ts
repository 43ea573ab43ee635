// Wraps a job processor for a BullMQ Worker: the Redis side of running one job (upload bytes in,
// result out, failures encoded so the API side gets the same error back).
import { UnrecoverableError, type Job } from 'bullmq';
import { encodeFailure, toJobFailure } from './failure.js';
import type { JobProcessor, JobReturnValue, KeyedJobData, QueueSpec } from './job-queue.js';
import type { ResultCache, UploadStore } from './redis-stores.js';

/**
 * Loads upload bytes from Redis, caches the result, and encodes failures (code, status,
 * permanence) into the failure reason; permanent ones as UnrecoverableError (no retry). With
 * `returnReference` (the cache keeps results at least as long as BullMQ keeps finished jobs), the
 * job returns a CachedResultRef instead of the result. The bytes are not deleted here: a worker
 * can die, or lose its lock, after this returns and before BullMQ records the outcome, and the
 * job then runs again and needs them (bullmq-worker.ts deletes them once the outcome is recorded).
 */
export function toBullmqProcessor<Data extends KeyedJobData, Result, Hit>({
  spec,
  process,
  uploads,
  results,
  returnReference = false,
}: {
  spec: QueueSpec<Data, Result, Hit>;
  process: JobProcessor<Data, Result>;
  uploads: UploadStore;
  results: ResultCache<Result, Hit>;
  returnReference?: boolean;
}): (job: Job<Data, JobReturnValue<Result>>) => Promise<JobReturnValue<Result>> {
  return async (job) => {
    const { data } = job;
    const uploadId = spec.uploadOf(data)?.id;
    try {
      const audio = uploadId ? ((await uploads.get(uploadId)) ?? undefined) : undefined;
      const result = await process({
        id: job.id ?? 'unknown',
        data,
        audio,
        attempt: job.attemptsMade + 1,
        reportProgress: (p) => job.updateProgress(p),
      });
      await results.set(data.key, result);
      return returnReference ? { resultIn: 'cache', timingsMs: spec.codec.timingsOf(result) } : result;
    } catch (err) {
      const failure = toJobFailure(err);
      throw failure.permanent ? new UnrecoverableError(encodeFailure(failure)) : new Error(encodeFailure(failure));
    }
  };
}
