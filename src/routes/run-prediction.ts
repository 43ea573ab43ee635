// What the prediction routes share: cache first, backlog check, submit (deduplicated), then
// either wait (bounded by SYNC_WAIT_MS) or hand back the job id for polling.
import type { Config } from '../config.js';
import type { AppMetrics } from '../metrics.js';
import type { PredictionResult } from '../pipeline/result.js';
import type { JobQueue, SubmitRequest } from '../queue/job-queue.js';
import { QueueFullError } from './errors.js';

export type PredictionOutcome =
  | { kind: 'result'; result: PredictionResult; cached: boolean; jobId?: string }
  | { kind: 'accepted'; jobId: string };

export async function runPrediction({
  queue,
  config,
  metrics,
  request,
  mode,
}: {
  queue: JobQueue;
  config: Pick<Config, 'MAX_QUEUE_BACKLOG' | 'SYNC_WAIT_MS'>;
  metrics?: AppMetrics;
  request: SubmitRequest;
  mode: 'sync' | 'async';
}): Promise<PredictionOutcome> {
  const cached = await queue.getCachedResult(request.data.key);
  metrics?.cacheLookups.inc({ result: cached ? 'hit' : 'miss' });
  if (cached) return { kind: 'result', result: cached, cached: true };
  if ((await queue.backlog()) >= config.MAX_QUEUE_BACKLOG) {
    // Rough drain time: retry after a few seconds rather than hammering a saturated queue.
    throw new QueueFullError(5);
  }
  const { id } = await queue.submit(request);
  if (mode === 'async') return { kind: 'accepted', jobId: id };
  return { kind: 'result', result: await queue.waitForResult(id, config.SYNC_WAIT_MS), cached: false, jobId: id };
}

/** The response body of a finished prediction, in the 2017 key order, then the extras. */
export function formatPrediction(result: PredictionResult, fresh?: { mp3: string }): Record<string, unknown> {
  const { first, second, mfcc, probabilities, segments, model, durationSeconds } = result;
  const body: Record<string, unknown> = { response: true, first, second, mfcc };
  if ('mp3' in result) {
    // Preview URLs carry expiring tokens: a cached result gets the URL of the current lookup.
    body.mp3 = fresh?.mp3 ?? result.mp3;
    body.source = result.source;
    body.track = result.track;
  }
  return { ...body, probabilities, segments, model, durationSeconds };
}
