// The prediction job kinds and what the generic queue needs to know about them: how a job's
// upload bytes are named and how its result is stored (result-json.ts).
import type { PredictionResult } from '../../genre/result.js';
import type { PreviewMatch } from '../../types.js';
import type { JobQueue, QueueSpec } from '../queue/job-queue.js';
import { predictionCodec, type CachedResult } from './result-json.js';

/** What a job needs besides the audio bytes (uploads travel separately: see UploadStore). */
export type PredictionJobData =
  | { kind: 'track'; key: string; match: PreviewMatch }
  | { kind: 'upload'; key: string; sha256: string; bytes: number };

export type PredictionQueue = JobQueue<PredictionJobData, PredictionResult, CachedResult>;

export const predictionJobs: QueueSpec<PredictionJobData, PredictionResult, CachedResult> = {
  codec: predictionCodec,
  uploadOf: (data) => (data.kind === 'upload' ? { id: data.sha256, bytes: data.bytes } : undefined),
};

export function trackJobKey(match: Pick<PreviewMatch, 'provider' | 'trackId'>): string {
  return `track:${match.provider}:${match.trackId}`;
}

export function uploadJobKey(sha256: string): string {
  return `upload:${sha256}`;
}
