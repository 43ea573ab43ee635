// JobQueue in memory, for the embedded mode (no REDIS_URL): the same processor runs in this
// process with bounded concurrency, and the same semantics as the BullMQ queue — dedup by key,
// result cache with a TTL, retries with exponential backoff for transient failures, finished
// jobs readable for JOB_RETENTION_S. Hand-written because it is small and BullMQ needs Redis.
// Everything it keeps is bounded: finished jobs and cached results live in LRU caches capped in
// bytes and entries that drop expired entries on time, and the upload bytes held by unfinished
// jobs are counted (queuedBytes) so the API can refuse uploads beyond MAX_QUEUED_UPLOAD_BYTES.
import { LRUCache } from 'lru-cache';
import type { Config } from '../../config.js';
import { NotFoundError, TransientError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { SyncWaitTimeout, toAppError, toJobFailure } from './failure.js';
import {
  jobIdForKey,
  type FinishedEvent,
  type JobProcessor,
  type JobQueue,
  type JobStatus,
  type KeyedJobData,
  type QueueSpec,
} from './job-queue.js';

type InlineConfig = Pick<
  Config,
  'INLINE_CONCURRENCY' | 'JOB_ATTEMPTS' | 'JOB_BACKOFF_MS' | 'JOB_RETENTION_S' | 'RESULT_CACHE_TTL_S' | 'INLINE_CACHE_MAX_BYTES' | 'INLINE_CACHE_MAX_ENTRIES'
>;

/** What the in-memory stores hold now (tests and benchmarks check the bounds with it). */
export interface InlineQueueMemory {
  cachedResults: number;
  cachedResultBytes: number;
  finishedJobs: number;
  finishedJobBytes: number;
  queuedBytes: number;
}

export type InlineQueue<Data extends KeyedJobData, Result, Hit> = JobQueue<Data, Result, Hit> & { memory(): InlineQueueMemory };

/** A failed job's bookkeeping (status, error): a generous flat guess. */
const FAILED_ENTRY_BYTES = 4096;

interface Entry<Data, Result> extends JobStatus<Result> {
  data: Data;
  audio?: Buffer;
  settled: Promise<void>;
  settle: () => void;
}

export function createInlineQueue<Data extends KeyedJobData, Result, Hit extends object>({
  spec,
  config,
  process,
  logger,
}: {
  spec: QueueSpec<Data, Result, Hit>;
  config: InlineConfig;
  process: JobProcessor<Data, Result>;
  logger: Logger;
}): InlineQueue<Data, Result, Hit> {
  type Job = Entry<Data, Result>;
  const { codec } = spec;
  /** Jobs waiting, delayed or running: bounded by MAX_QUEUE_BACKLOG and MAX_QUEUED_UPLOAD_BYTES. */
  const jobs = new Map<string, Job>();
  const bounds = { max: config.INLINE_CACHE_MAX_ENTRIES, maxSize: config.INLINE_CACHE_MAX_BYTES, ttlAutopurge: true };
  const finished = new LRUCache<string, Job>({
    ...bounds,
    ttl: config.JOB_RETENTION_S * 1000,
    sizeCalculation: (entry) => (entry.result === undefined ? FAILED_ENTRY_BYTES : Math.max(1, codec.sizeOf(codec.fresh(entry.result)))),
  });
  const cache = new LRUCache<string, Hit>({
    ...bounds,
    ttl: Math.max(config.RESULT_CACHE_TTL_S, 1) * 1000,
    sizeCalculation: (hit) => Math.max(1, codec.sizeOf(hit)),
  });
  let queuedBytes = 0;
  const pending: Job[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const listeners: Array<(event: FinishedEvent) => void> = [];
  let running = 0;
  let delayed = 0;
  let closed = false;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    t.unref();
    timers.add(t);
  };

  function finish(entry: Job, outcome: FinishedEvent) {
    entry.finishedAt = Date.now();
    queuedBytes -= entry.audio?.length ?? 0;
    delete entry.audio;
    entry.settle();
    if (jobs.get(entry.id) === entry) jobs.delete(entry.id);
    finished.set(entry.id, entry);
    listeners.forEach((l) => l(outcome));
  }

  async function run(entry: Job) {
    running++;
    entry.state = 'active';
    try {
      const result = await process({
        id: entry.id,
        data: entry.data,
        audio: entry.audio,
        attempt: entry.attemptsMade + 1,
        reportProgress: async (progress) => void (entry.progress = progress),
      });
      entry.attemptsMade++;
      if (config.RESULT_CACHE_TTL_S > 0) {
        // Serialised once here (as the codec chooses), not on every cached answer.
        cache.set(entry.data.key, codec.forCache(result));
      }
      Object.assign(entry, { state: 'completed', result });
      finish(entry, { id: entry.id, outcome: 'completed', timingsMs: codec.timingsOf(result) });
    } catch (err) {
      entry.attemptsMade++;
      const failure = toJobFailure(err);
      if (!failure.permanent && entry.attemptsMade < config.JOB_ATTEMPTS && !closed) {
        logger.warn({ jobId: entry.id, failure }, 'job attempt failed; retrying');
        entry.state = 'delayed';
        delayed++;
        later(config.JOB_BACKOFF_MS * 2 ** (entry.attemptsMade - 1), () => {
          delayed--;
          enqueue(entry);
        });
      } else {
        Object.assign(entry, { state: 'failed', error: failure });
        finish(entry, { id: entry.id, outcome: 'failed', error: failure });
      }
    } finally {
      running--;
      pump();
    }
  }

  function enqueue(entry: Job) {
    entry.state = 'waiting';
    pending.push(entry);
    pump();
  }

  function pump() {
    while (!closed && running < config.INLINE_CONCURRENCY && pending.length > 0) void run(pending.shift()!);
  }

  return {
    kind: 'inline',
    async submit({ data, audio }) {
      if (closed) throw new TransientError('SHUTTING_DOWN', 'the service is shutting down');
      const id = jobIdForKey(data.key);
      const existing = jobs.get(id) ?? finished.get(id);
      if (existing && existing.state !== 'failed') return { id, deduplicated: true };
      finished.delete(id);
      let settle!: () => void;
      const settled = new Promise<void>((resolve) => (settle = resolve));
      const entry: Job = { id, data, audio, state: 'waiting', progress: null, attemptsMade: 0, createdAt: Date.now(), settled, settle };
      jobs.set(id, entry);
      queuedBytes += audio?.length ?? 0;
      enqueue(entry);
      return { id, deduplicated: false };
    },
    async getCachedResult(key) {
      return cache.get(key) ?? null;
    },
    async getStatus(id) {
      const entry = jobs.get(id) ?? finished.get(id);
      if (!entry) return null;
      const { data: _data, audio: _audio, settled: _s, settle: _t, ...status } = entry;
      return status;
    },
    async waitForResult(id, timeoutMs) {
      const entry = jobs.get(id) ?? finished.get(id);
      if (!entry) throw new NotFoundError('JOB_NOT_FOUND', `no job with id ${id}`);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const outcome = await Promise.race([entry.settled, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') throw new SyncWaitTimeout(id, timeoutMs);
      if (entry.state === 'completed' && entry.result !== undefined) return codec.fresh(entry.result);
      throw toAppError(entry.error ?? toJobFailure(new Error('job ended without a result')));
    },
    backlog: async () => pending.length + delayed,
    queuedBytes: async () => queuedBytes,
    memory: () => ({
      cachedResults: cache.size,
      cachedResultBytes: cache.calculatedSize,
      finishedJobs: finished.size,
      finishedJobBytes: finished.calculatedSize,
      queuedBytes,
    }),
    onFinished: (listener) => void listeners.push(listener),
    ping: async () => undefined,
    async close() {
      closed = true;
      pending.length = 0;
      for (const entry of [...jobs.values()].filter((e) => e.state === 'waiting' || e.state === 'delayed')) {
        const error = toJobFailure(new TransientError('SHUTTING_DOWN', 'the service shut down before the job ran'));
        Object.assign(entry, { state: 'failed', error });
        finish(entry, { id: entry.id, outcome: 'failed', error });
      }
      await Promise.all([...jobs.values()].filter((e) => e.state === 'active').map((e) => e.settled));
      timers.forEach((t) => clearTimeout(t));
    },
  };
}
