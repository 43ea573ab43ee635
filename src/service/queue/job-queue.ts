// The one interface the API talks to, whatever runs the jobs: BullMQ on Redis (bullmq-queue.ts)
// or an in-process runner (inline-queue.ts). Both dedupe by job key, cache finished results
// under that key, retry transient failures and keep error codes intact across the queue.
// Generic over the job data and the result: the caller injects a QueueSpec (codec and upload
// accessor), so nothing here knows the shape of what the jobs compute.
import { createHash } from 'node:crypto';

/** What every job carries: the key it is deduplicated and cached by. */
export interface KeyedJobData {
  key: string;
}

/**
 * How results are stored. `Hit` is what a read hands back: the result plus whatever the codec
 * keeps to answer without re-serialising (e.g. a large field's JSON bytes).
 */
export interface ResultCodec<Result, Hit> {
  /** The value written to Redis. */
  serialize(result: Result): string;
  /** A Redis value read back (bytes, so a codec may keep parts of it undecoded). */
  parse(raw: Buffer): Hit;
  /** The result inside a read. */
  resultOf(hit: Hit): Result;
  /** A result just computed, as handed to a waiting caller. */
  fresh(result: Result): Hit;
  /** A result just computed, as kept in the in-process cache (serialise once, answer many). */
  forCache(result: Result): Hit;
  /** Approximate bytes held, for the in-process memory bounds. */
  sizeOf(hit: Hit): number;
  /** Stage timings to report with the finished event, if the result has any. */
  timingsOf(result: Result): Record<string, number> | undefined;
}

/** What the queue needs to know about a kind of job, supplied by whoever defines the jobs. */
export interface QueueSpec<Data extends KeyedJobData, Result, Hit> {
  codec: ResultCodec<Result, Hit>;
  /** The upload bytes a job needs (they travel beside the job data: see UploadStore), if any. */
  uploadOf(data: Data): { id: string; bytes: number } | undefined;
}

export type JobState = 'waiting' | 'active' | 'delayed' | 'completed' | 'failed';

export interface JobProgress {
  stage: string;
  percent: number;
}

/** An AppError flattened so it survives JSON (BullMQ failure reasons are strings). */
export interface JobFailure {
  code: string;
  message: string;
  status: number;
  permanent: boolean;
}

export interface JobStatus<Result> {
  id: string;
  state: JobState;
  progress: JobProgress | null;
  attemptsMade: number;
  createdAt: number;
  finishedAt?: number;
  result?: Result;
  error?: JobFailure;
}

export interface SubmitRequest<Data> {
  data: Data;
  /** Upload bytes; required when the spec's uploadOf(data) names some. */
  audio?: Buffer;
}

/** Emitted once per job that finishes for good (used for metrics: stage timings, failure codes). */
export type FinishedEvent =
  | { id: string; outcome: 'completed'; timingsMs?: Record<string, number> }
  | { id: string; outcome: 'failed'; error: JobFailure };

/**
 * What a BullMQ job returns when its result is in the result cache for at least as long as the
 * job record lives (RESULT_CACHE_TTL_S >= JOB_RETENTION_S, the default): a reference instead of
 * the result. BullMQ writes a return value twice, into the job's hash and into the events stream
 * (XADD, kept up to 10,000 events), so a large result sat in Redis three times; readers load it from the cache by the job's key (bullmq-queue.ts).
 */
export interface CachedResultRef {
  resultIn: 'cache';
  timingsMs?: Record<string, number>;
}

export type JobReturnValue<Result> = Result | CachedResultRef;

export function isCachedResultRef(value: unknown): value is CachedResultRef {
  return typeof value === 'object' && value !== null && (value as { resultIn?: unknown }).resultIn === 'cache';
}

export interface JobQueue<Data extends KeyedJobData, Result, Hit> {
  readonly kind: 'bullmq' | 'inline';
  /** Adds a job unless one with the same key is waiting/running; returns its id either way. */
  submit(req: SubmitRequest<Data>): Promise<{ id: string; deduplicated: boolean }>;
  /** The finished result for this key, if cached (as the codec reads it). */
  getCachedResult(key: string): Promise<Hit | null>;
  getStatus(id: string): Promise<JobStatus<Result> | null>;
  /**
   * Resolves with the result (as the codec reads it), rejects with the job's AppError, or with
   * SyncWaitTimeout.
   */
  waitForResult(id: string, timeoutMs: number): Promise<Hit>;
  /** Jobs waiting or delayed, not yet running. */
  backlog(): Promise<number>;
  /** Upload bytes held for jobs not finished yet (waiting, delayed or running). */
  queuedBytes(): Promise<number>;
  onFinished(listener: (event: FinishedEvent) => void): void;
  /** Throws when the backing store is unreachable (readiness). */
  ping(): Promise<void>;
  /**
   * Workers consuming this queue in other processes (BullMQ), or undefined when unknown (Redis
   * unreachable, CLIENT LIST not allowed) or not applicable (in-process queue).
   */
  liveWorkers?(): Promise<number | undefined>;
  close(): Promise<void>;
}

/**
 * Job ids are a hash of the job key: deterministic (so the same track or bytes map to one job),
 * opaque (an id reveals nothing about the query) and safe for BullMQ, which rejects ':' in ids.
 */
export function jobIdForKey(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

export const JOB_ID_PATTERN = /^[0-9a-f]{32}$/;

/** A queued job as the processor sees it: its data, its upload bytes, progress reporting. */
export interface ProcessorJob<Data> {
  id: string;
  data: Data;
  /** Upload bytes, loaded by the queue implementation. */
  audio?: Buffer;
  attempt: number;
  reportProgress(progress: JobProgress): Promise<void>;
  signal?: AbortSignal;
}

export type JobProcessor<Data, Result> = (job: ProcessorJob<Data>) => Promise<Result>;
