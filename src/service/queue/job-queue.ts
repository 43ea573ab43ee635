// The one interface the API talks to, whatever runs the jobs: BullMQ on Redis (bullmq-queue.ts)
// or an in-process runner (inline-queue.ts). Both dedupe by job key, cache finished results
// under that key, retry transient failures and keep error codes intact across the queue.
import { createHash } from 'node:crypto';
import type { PredictionResult } from '../../genre/result.js';
import type { PreviewMatch } from '../../types.js';
import type { CachedResult } from '../predictions/result-json.js';

/** What a job needs besides the audio bytes (uploads travel separately: see UploadStore). */
export type PredictionJobData =
  | { kind: 'track'; key: string; match: PreviewMatch }
  | { kind: 'upload'; key: string; sha256: string; bytes: number };

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

export interface JobStatus {
  id: string;
  state: JobState;
  progress: JobProgress | null;
  attemptsMade: number;
  createdAt: number;
  finishedAt?: number;
  result?: PredictionResult;
  error?: JobFailure;
}

export interface SubmitRequest {
  data: PredictionJobData;
  /** Upload bytes; required when data.kind is 'upload'. */
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
 * (XADD, kept up to 10,000 events), so a full ~115 KB result (the image is > 95 % of it) sat in
 * Redis three times; readers load it from the cache by the job's key (bullmq-queue.ts).
 */
export interface CachedResultRef {
  resultIn: 'cache';
  timingsMs?: Record<string, number>;
}

export type JobReturnValue = PredictionResult | CachedResultRef;

export function isCachedResultRef(value: unknown): value is CachedResultRef {
  return typeof value === 'object' && value !== null && (value as { resultIn?: unknown }).resultIn === 'cache';
}

export interface JobQueue {
  readonly kind: 'bullmq' | 'inline';
  /** Adds a job unless one with the same key is waiting/running; returns its id either way. */
  submit(req: SubmitRequest): Promise<{ id: string; deduplicated: boolean }>;
  /** The finished result for this key, if cached (with its image already as JSON when known). */
  getCachedResult(key: string): Promise<CachedResult | null>;
  getStatus(id: string): Promise<JobStatus | null>;
  /**
   * Resolves with the result (and its image as JSON when it was read from the cache), rejects
   * with the job's AppError, or with SyncWaitTimeout.
   */
  waitForResult(id: string, timeoutMs: number): Promise<CachedResult>;
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

export function trackJobKey(match: Pick<PreviewMatch, 'provider' | 'trackId'>): string {
  return `track:${match.provider}:${match.trackId}`;
}

export function uploadJobKey(sha256: string): string {
  return `upload:${sha256}`;
}
