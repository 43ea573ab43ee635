// What the prediction routes share: cache first, backlog check, submit (deduplicated), then
// either wait (bounded by SYNC_WAIT_MS) or hand back the job id for polling.
import type { Config } from '../../config.js';
import type { AppMetrics } from '../metrics.js';
import type { PredictionResult } from '../../genre/result.js';
import { TransientError } from '../../errors.js';
import type { SubmitRequest } from '../queue/job-queue.js';
import type { PredictionJobData, PredictionQueue } from '../predictions/jobs.js';
import { QueueFullError } from './errors.js';

export type PredictionOutcome =
  /** `mfccJson`: the image already as JSON text, when read from the cache (see predictionBody). */
  | { kind: 'result'; result: PredictionResult; mfccJson?: Buffer; cached: boolean; jobId?: string }
  | { kind: 'accepted'; jobId: string };

// Check-then-add must not interleave: a concurrent burst would otherwise all read the same
// backlog and all get in (measured: 9 queued for a limit of 5). Admission is serialised per queue
// in this process, so one API process never exceeds the limit; several API processes can each
// overshoot by at most one job. (Two Redis round trips per admission: cheap next to a prediction.)
const admissions = new WeakMap<PredictionQueue, Promise<unknown>>();
function admitOne<T>(queue: PredictionQueue, admit: () => Promise<T>): Promise<T> {
  const turn = (admissions.get(queue) ?? Promise.resolve()).then(admit);
  admissions.set(queue, turn.catch(() => undefined));
  return turn;
}

export async function runPrediction({
  queue,
  config,
  metrics,
  request,
  mode,
}: {
  queue: PredictionQueue;
  config: Pick<Config, 'MAX_QUEUE_BACKLOG' | 'SYNC_WAIT_MS' | 'MAX_QUEUED_UPLOAD_BYTES'>;
  metrics?: AppMetrics;
  request: SubmitRequest<PredictionJobData>;
  mode: 'sync' | 'async';
}): Promise<PredictionOutcome> {
  const cached = await queue.getCachedResult(request.data.key);
  metrics?.cacheLookups.inc({ result: cached ? 'hit' : 'miss' });
  if (cached) return { kind: 'result', result: cached.result, mfccJson: cached.mfccJson, cached: true };
  // With no worker alive a synchronous request would only wait SYNC_WAIT_MS for its 504; an
  // asynchronous one is still queued (workers may come back).
  if (mode === 'sync' && (await queue.liveWorkers?.()) === 0) {
    throw new TransientError('NO_WORKERS', 'no worker is running to process predictions; try again shortly');
  }
  const { id } = await admitOne(queue, async () => {
    if ((await queue.backlog()) >= config.MAX_QUEUE_BACKLOG) {
      // Rough drain time: retry after a few seconds rather than hammering a saturated queue.
      throw new QueueFullError(5);
    }
    // Job counts alone let 200 queued 20-MB uploads hold 4 GB: their bytes are bounded too.
    const bytes = request.audio?.length ?? 0;
    if (bytes > 0 && (await queue.queuedBytes()) + bytes > config.MAX_QUEUED_UPLOAD_BYTES) {
      throw new QueueFullError(5, 'QUEUE_BYTES_FULL', 'too many upload bytes are waiting to be predicted; try again shortly');
    }
    return queue.submit(request);
  });
  if (mode === 'async') return { kind: 'accepted', jobId: id };
  const finished = await queue.waitForResult(id, config.SYNC_WAIT_MS);
  return { kind: 'result', result: finished.result, mfccJson: finished.mfccJson, cached: false, jobId: id };
}

/** The response body of a finished prediction, in the 2017 key order, then the extras. */
export function formatPrediction(result: PredictionResult, fresh?: { mp3: string }): Record<string, unknown> {
  const { first, second, mfcc, probabilities, segments, model, durationSeconds, otherScore, uncertain } = result;
  const body: Record<string, unknown> = { response: true, first, second, mfcc };
  if ('mp3' in result) {
    // Preview URLs carry expiring tokens: a cached result gets the URL of the current lookup.
    body.mp3 = fresh?.mp3 ?? result.mp3;
    body.source = result.source;
    body.track = result.track;
  }
  // otherScore/uncertain are additive: absent for models without a "none of the genres" output.
  return {
    ...body, probabilities, segments, model, durationSeconds,
    ...(otherScore === undefined ? {} : { otherScore }), ...(uncertain === undefined ? {} : { uncertain }),
  };
}

/**
 * formatPrediction's object as the JSON reply body, byte for byte JSON.stringify's text, but with
 * the image copied in from `mfccJson` when the cache gave it: re-serialising ~100–140 KB of base64
 * was most of a cached answer's server time (src/service/predictions/result-json.ts). Send it with
 * reply.type('application/json; charset=utf-8').
 */
export function predictionBody({ result, mfccJson, fresh }: { result: PredictionResult; mfccJson?: Buffer; fresh?: { mp3: string } }): Buffer {
  const { response, first, second, mfcc, ...after } = formatPrediction(result, fresh);
  const head = JSON.stringify({ response, first, second });
  const tail = JSON.stringify(after);
  return Buffer.concat([
    Buffer.from(`${head.slice(0, -1)},"mfcc":`),
    mfccJson ?? Buffer.from(JSON.stringify(mfcc)),
    Buffer.from(tail === '{}' ? '}' : `,${tail.slice(1)}`),
  ]);
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
