// The one interface the API talks to, whatever runs the jobs: BullMQ on Redis (bullmq-queue.ts)
// or an in-process runner (inline-queue.ts). Both dedupe by job key, cache finished results
// under that key, retry transient failures and keep error codes intact across the queue.
import { createHash } from 'node:crypto';
import type { PredictionResult } from '../pipeline/result.js';
import type { PreviewMatch } from '../types.js';
import type { CachedResult } from './result-json.js';

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

/** Emitted once per job that finishes for good (used for metrics). */
export type FinishedEvent =
  | { id: string; outcome: 'completed'; result: PredictionResult }
  | { id: string; outcome: 'failed'; error: JobFailure };

export interface JobQueue {
  readonly kind: 'bullmq' | 'inline';
  /** Adds a job unless one with the same key is waiting/running; returns its id either way. */
  submit(req: SubmitRequest): Promise<{ id: string; deduplicated: boolean }>;
  /** The finished result for this key, if cached (with its image already as JSON when known). */
  getCachedResult(key: string): Promise<CachedResult | null>;
  getStatus(id: string): Promise<JobStatus | null>;
  /** Resolves with the result, rejects with the job's AppError, or with SyncWaitTimeout. */
  waitForResult(id: string, timeoutMs: number): Promise<PredictionResult>;
  /** Jobs waiting or delayed, not yet running. */
  backlog(): Promise<number>;
  onFinished(listener: (event: FinishedEvent) => void): void;
  /** Throws when the backing store is unreachable (readiness). */
  ping(): Promise<void>;
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
