// JobQueue on BullMQ: the API side (Queue + QueueEvents). Workers live in bullmq-worker.ts and
// may run on other machines; upload bytes and results travel through Redis (redis-stores.ts).
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../../config.js';
import { NotFoundError, TransientError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { SyncWaitTimeout, decodeFailure, toAppError } from './failure.js';
import {
  isCachedResultRef,
  jobIdForKey,
  type FinishedEvent,
  type JobReturnValue,
  type JobProgress,
  type JobQueue,
  type JobState,
  type JobStatus,
  type KeyedJobData,
  type QueueSpec,
} from './job-queue.js';
import { createRedisConnection, withRedis } from './redis.js';
import { createRedisResultCache, createRedisUploadStore } from './redis-stores.js';

type QueueConfig = Pick<
  Config,
  | 'QUEUE_NAME'
  | 'QUEUE_PREFIX'
  | 'JOB_ATTEMPTS'
  | 'JOB_BACKOFF_MS'
  | 'JOB_RETENTION_S'
  | 'RESULT_CACHE_TTL_S'
  | 'UPLOAD_TTL_S'
  | 'REDIS_TIMEOUT_MS'
>;

export const JOB_NAME = 'predict';

/** How long a worker count is reused: each synchronous request asks, CLIENT LIST is not free. */
const WORKER_COUNT_TTL_MS = 1_500;
/** BullMQ's message when waitUntilFinished's ttl expires (`Job wait <name> timed out before finishing, …`). */
const BULLMQ_WAIT_TIMEOUT = /^Job wait .* timed out before finishing/;

/** The job options every producer uses, so retries and retention do not depend on who added the job. */
export function defaultJobOptions(config: QueueConfig) {
  return {
    attempts: config.JOB_ATTEMPTS,
    backoff: { type: 'exponential' as const, delay: config.JOB_BACKOFF_MS },
    removeOnComplete: { age: config.JOB_RETENTION_S },
    removeOnFail: { age: config.JOB_RETENTION_S },
  };
}

const STATE_MAP: Record<string, JobState | undefined> = {
  waiting: 'waiting',
  prioritized: 'waiting',
  'waiting-children': 'waiting',
  active: 'active',
  delayed: 'delayed',
  completed: 'completed',
  failed: 'failed',
};

export async function createBullmqQueue<Data extends KeyedJobData, Result, Hit>({
  spec,
  config,
  redisUrl,
  logger,
}: {
  spec: QueueSpec<Data, Result, Hit>;
  config: QueueConfig;
  redisUrl: string;
  logger: Logger;
}): Promise<JobQueue<Data, Result, Hit>> {
  const { codec } = spec;
  const redis: Redis = createRedisConnection({ url: redisUrl, name: 'music-prediction-api', failFast: true });
  const eventsConnection = createRedisConnection({ url: redisUrl, name: 'music-prediction-api-events' });
  const names = { prefix: config.QUEUE_PREFIX, queueName: config.QUEUE_NAME };
  const queue = new Queue<KeyedJobData, JobReturnValue<Result>, string>(config.QUEUE_NAME, {
    connection: redis,
    prefix: config.QUEUE_PREFIX,
    defaultJobOptions: defaultJobOptions(config),
  });
  const events = new QueueEvents(config.QUEUE_NAME, { connection: eventsConnection, prefix: config.QUEUE_PREFIX });
  queue.on('error', (err) => logger.warn({ err }, 'queue connection error'));
  events.on('error', (err) => logger.warn({ err }, 'queue events connection error'));
  const uploads = createRedisUploadStore({ redis, ...names, ttlSeconds: config.UPLOAD_TTL_S });
  const results = createRedisResultCache({ redis, codec, ...names, ttlSeconds: config.RESULT_CACHE_TTL_S });
  const limited = <T>(what: string, call: () => Promise<T>) => withRedis(what, call, config.REDIS_TIMEOUT_MS);
  let workerCount: { at: number; count: Promise<number | undefined> } | undefined;
  const listeners: Array<(event: FinishedEvent) => void> = [];
  const emit = (event: FinishedEvent) => listeners.forEach((l) => l(event));
  events.on('completed', ({ jobId, returnvalue }) => {
    const value = returnvalue as unknown as JobReturnValue<Result> | undefined;
    const timingsMs = value === undefined ? undefined : isCachedResultRef(value) ? value.timingsMs : codec.timingsOf(value);
    emit({ id: jobId, outcome: 'completed', timingsMs });
  });
  /**
   * A finished job's result: its return value, or the cached copy it refers to (job-queue.ts,
   * CachedResultRef). null when that copy is gone (expired or evicted before the job record).
   */
  const resultOf = async (key: string, value: JobReturnValue<Result>): Promise<Hit | null> =>
    isCachedResultRef(value) ? results.load(key) : codec.fresh(value);
  events.on('failed', ({ jobId, failedReason }) => emit({ id: jobId, outcome: 'failed', error: decodeFailure(failedReason) }));
  // Not awaited: with Redis down at boot the API still starts, /readyz says why, requests get 503.
  events.waitUntilReady().catch((err: unknown) => logger.warn({ err }, 'queue events not ready'));

  return {
    kind: 'bullmq',
    submit: ({ data, audio }) =>
      limited('submit', async () => {
        const id = jobIdForKey(data.key);
        const upload = spec.uploadOf(data);
        const existing = await queue.getJob(id);
        if (existing) {
          const state = await existing.getState();
          // A job that failed for good is retried when asked again, and so is a finished one whose
          // cached result is gone; any other keeps serving (a running one already has its bytes in
          // Redis, a finished one its result).
          const resultGone = state === 'completed' && isCachedResultRef(existing.returnvalue) && !(await results.has(data.key));
          if (state !== 'failed' && state !== 'unknown' && !resultGone) {
            // A job still waiting may have outlived its bytes' TTL: the same bytes, brought again,
            // are stored again (before, this upload got 410 UPLOAD_EXPIRED). Not for a running job:
            // its attempt renewed their TTL, and a put landing after its completion deleted them
            // would leave the bytes behind.
            if (upload && audio && state !== 'completed' && state !== 'active') await uploads.put(upload.id, audio);
            return { id, deduplicated: true };
          }
          await existing.remove().catch((err: unknown) => logger.warn({ err, jobId: id }, 'could not remove failed job'));
        }
        if (upload) {
          if (!audio) throw new Error('upload job submitted without audio');
          await uploads.put(upload.id, audio);
        }
        // Concurrent adds with the same jobId create one job: BullMQ ignores the second add.
        // (Bytes put by the losing add expire with UPLOAD_TTL_S at the latest.)
        await queue.add(JOB_NAME, data, { jobId: id });
        return { id, deduplicated: false };
      }),
    getCachedResult: (key) => limited('cache read', () => results.get(key)),
    getStatus: (id) =>
      limited('status', async (): Promise<JobStatus<Result> | null> => {
        // State first, then the job: read the other way round, a job that completes in between
        // is reported "completed" from a snapshot taken before it had its result.
        const state = STATE_MAP[await queue.getJobState(id)];
        if (!state) return null;
        const job = await queue.getJob(id);
        if (!job) return null;
        // A finished job whose result is gone counts as gone: kept "for a limited time" either way.
        const finished = state === 'completed' ? await resultOf(job.data.key, job.returnvalue) : undefined;
        if (finished === null) return null;
        return {
          id,
          state,
          progress: typeof job.progress === 'object' ? (job.progress as unknown as JobProgress) : null,
          attemptsMade: job.attemptsMade,
          createdAt: job.timestamp,
          ...(job.finishedOn ? { finishedAt: job.finishedOn } : {}),
          ...(finished ? { result: codec.resultOf(finished) } : {}),
          ...(state === 'failed' ? { error: decodeFailure(job.failedReason) } : {}),
        };
      }),
    async waitForResult(id, timeoutMs) {
      const job = await limited('wait', () => queue.getJob(id));
      if (!job) throw new NotFoundError('JOB_NOT_FOUND', `no job with id ${id}`);
      let value: JobReturnValue<Result>;
      try {
        value = await job.waitUntilFinished(events, timeoutMs);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        // BullMQ signals its own ttl expiry with a plain Error; ours carry JSON reasons. Recognised by
        // its text alone: a Date.now() check of the elapsed time can read 1 ms short of the ttl.
        if (BULLMQ_WAIT_TIMEOUT.test(reason)) throw new SyncWaitTimeout(id, timeoutMs);
        throw toAppError(decodeFailure(reason));
      }
      const finished = await limited('result read', () => resultOf(job.data.key, value));
      if (finished) return finished;
      // Written by the worker just now: only Redis evicting it (maxmemory) gets here. Asking again
      // runs the job again (submit above).
      throw new TransientError('RESULT_LOST', 'the finished result was evicted from Redis before it could be read; ask again');
    },
    backlog: () =>
      limited('backlog', async () => {
        const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed');
        return Object.values(counts).reduce((a, b) => a + b, 0);
      }),
    queuedBytes: () =>
      limited('queued bytes', async () => {
        // Upload bytes stay in Redis until their job finishes: the sizes are in the jobs' data.
        // At most MAX_QUEUE_BACKLOG waiting jobs plus the running ones: a bounded read.
        const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed', 'active']);
        return jobs.reduce((sum, job) => sum + (job ? (spec.uploadOf(job.data as Data)?.bytes ?? 0) : 0), 0);
      }),
    onFinished: (listener) => void listeners.push(listener),
    ping: () => limited('ping', async () => void (await redis.ping())),
    liveWorkers() {
      if (workerCount === undefined || Date.now() - workerCount.at > WORKER_COUNT_TTL_MS) {
        // BullMQ names its workers' connections after the queue and counts them with CLIENT LIST.
        const count = limited('workers', () => queue.getWorkersCount()).catch(() => undefined);
        workerCount = { at: Date.now(), count };
      }
      return workerCount.count;
    },
    async close() {
      // Bounded: with Redis gone, BullMQ's close would wait for a connection that never comes.
      await limited('close', async () => {
        await events.close();
        await queue.close();
      }).catch((err: unknown) => logger.warn({ err }, 'queue did not close cleanly'));
      redis.disconnect();
      eventsConnection.disconnect();
    },
  };
}
