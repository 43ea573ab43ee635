// BullMQ Worker running the job processor. Lock duration and stalled interval come from config,
// so a worker that dies mid-job (SIGKILL, machine loss) has its job picked up by another one.
import { Worker } from 'bullmq';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { toBullmqProcessor } from './bullmq-processor.js';
import type { JobProcessor, JobReturnValue, KeyedJobData, QueueSpec } from './job-queue.js';
import { createRedisConnection } from './redis.js';
import { createRedisResultCache, createRedisUploadStore } from './redis-stores.js';

type WorkerConfig = Pick<
  Config,
  | 'QUEUE_NAME'
  | 'QUEUE_PREFIX'
  | 'WORKER_CONCURRENCY'
  | 'WORKER_LOCK_DURATION_MS'
  | 'WORKER_STALLED_INTERVAL_MS'
  | 'WORKER_MAX_STALLED_COUNT'
  | 'RESULT_CACHE_TTL_S'
  | 'JOB_RETENTION_S'
  | 'UPLOAD_TTL_S'
  | 'REDIS_TIMEOUT_MS'
>;

/** How often close() checks whether it is waiting on a Redis that is down. */
const REDIS_DOWN_POLL_MS = 200;

export interface RunningWorker {
  /** Stops taking jobs, lets running ones finish, closes connections. */
  close(): Promise<void>;
  /** Resolves once the worker is connected and listening for jobs. */
  ready(): Promise<void>;
}

export function startBullmqWorker<Data extends KeyedJobData, Result, Hit>({
  spec,
  config,
  redisUrl,
  process,
  logger,
}: {
  spec: QueueSpec<Data, Result, Hit>;
  config: WorkerConfig;
  redisUrl: string;
  process: JobProcessor<Data, Result>;
  logger: Logger;
}): RunningWorker {
  const redis = createRedisConnection({ url: redisUrl, name: 'music-prediction-worker' });
  const names = { prefix: config.QUEUE_PREFIX, queueName: config.QUEUE_NAME };
  const uploads = createRedisUploadStore({ redis, ...names, ttlSeconds: config.UPLOAD_TTL_S });
  const processor = toBullmqProcessor({
    spec,
    process,
    uploads,
    results: createRedisResultCache({ redis, codec: spec.codec, ...names, ttlSeconds: config.RESULT_CACHE_TTL_S }),
    // The cached copy lives at least as long as the job record is meant to, so the job can return
    // a reference to it. (BullMQ drops finished jobs lazily, so a record can outlive its cached
    // result on a quiet queue: readers treat such a job as gone, see bullmq-queue.ts.)
    returnReference: config.RESULT_CACHE_TTL_S >= config.JOB_RETENTION_S,
  });
  const workerConnection = createRedisConnection({ url: redisUrl, name: 'music-prediction-worker-jobs' });
  const worker = new Worker<Data, JobReturnValue<Result>>(config.QUEUE_NAME, processor, {
    connection: workerConnection,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    lockDuration: config.WORKER_LOCK_DURATION_MS,
    stalledInterval: config.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: config.WORKER_MAX_STALLED_COUNT,
  });
  // Upload bytes go once BullMQ has recorded the outcome: these events fire only after the job
  // was moved to completed (or, with finishedOn set, failed for good). If that move never happens
  // (worker killed, lock lost), the job runs again with its bytes; the TTL covers the rest.
  const deleting = new Set<Promise<void>>();
  const dropUpload = (data: Data) => {
    const id = spec.uploadOf(data)?.id;
    if (!id) return;
    const done = uploads
      .delete(id)
      .catch((err: unknown) => logger.warn({ err }, 'could not delete upload bytes'))
      .finally(() => deleting.delete(done));
    deleting.add(done);
  };
  worker.on('completed', (job) => dropUpload(job.data));
  worker.on('failed', (job, err) => {
    logger.warn({ jobId: job?.id, reason: err.message }, 'job attempt failed');
    if (job?.finishedOn) dropUpload(job.data);
  });
  worker.on('error', (err) => logger.warn({ err }, 'worker connection error'));
  worker.on('stalled', (jobId) => logger.warn({ jobId }, 'stalled job moved back to wait'));
  // BullMQ's close() waits for Redis, for ever while it is down: the process sat out
  // SHUTDOWN_TIMEOUT_MS and exited 1. A job cannot finish without Redis either (its result and its
  // completion are written there), so once Redis has not answered for REDIS_TIMEOUT_MS the worker
  // closes without it, as if it had died: its job runs again elsewhere, bytes expire with UPLOAD_TTL_S.
  const redisDownFor = (ms: number, closing: Promise<void>) =>
    new Promise<'redis-down'>((resolve) => {
      let downSince: number | undefined;
      const timer = setInterval(() => {
        const up = redis.status === 'ready' && workerConnection.status === 'ready';
        downSince = up ? undefined : (downSince ?? Date.now());
        if (downSince === undefined || Date.now() - downSince < ms) return;
        clearInterval(timer);
        resolve('redis-down');
      }, REDIS_DOWN_POLL_MS);
      closing.finally(() => clearInterval(timer)).catch(() => undefined);
    });
  return {
    async close() {
      const closing = worker.close();
      const how = await Promise.race([closing.then(() => 'closed' as const), redisDownFor(config.REDIS_TIMEOUT_MS, closing)]);
      if (how === 'redis-down') logger.warn('Redis unreachable at shutdown: closing without it');
      else await Promise.all(deleting);
      redis.disconnect();
      workerConnection.disconnect();
    },
    ready: () => worker.waitUntilReady().then(() => undefined),
  };
}
