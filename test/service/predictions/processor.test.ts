// The processor adapter: stage choice per job kind, progress forwarding, and the BullMQ wrapper's
// failure encoding (permanent → UnrecoverableError, transient → plain Error, both JSON reasons).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnrecoverableError, type Job } from 'bullmq';
import { InputError, TransientError } from '../../../src/errors.js';
import { decodeFailure } from '../../../src/service/queue/failure.js';
import type { JobProgress, JobReturnValue } from '../../../src/service/queue/job-queue.js';
import { toBullmqProcessor } from '../../../src/service/queue/bullmq-processor.js';
import type { PredictionResult } from '../../../src/genre/result.js';
import { predictionJobs, type PredictionJobData } from '../../../src/service/predictions/jobs.js';
import { createJobProcessor, type Predictor } from '../../../src/service/predictions/processor.js';
import { fakeResult, silentLogger } from '../queue/helpers.js';

const match = { provider: 'itunes' as const, trackId: '7', artist: 'A', title: 'T', previewUrl: 'https://x/7.m4a' };

test('routes track jobs to predictTrack and uploads to predictUpload, forwarding progress', async () => {
  const seen: string[] = [];
  const predictor: Predictor = {
    predictTrack: async ({ match: m, onProgress }) => (onProgress('download', 5), seen.push(`track ${m.trackId}`), { ...fakeResult(), mp3: m.previewUrl, source: m.provider, track: { artist: m.artist, title: m.title } }),
    predictUpload: async ({ audio, onProgress }) => (onProgress('decode', 10), seen.push(`upload ${audio.toString()}`), fakeResult()),
  };
  const process = createJobProcessor({ predictor, logger: silentLogger });
  const progress: JobProgress[] = [];
  const reportProgress = async (p: JobProgress) => void progress.push(p);
  await process({ id: 'j1', data: { kind: 'track', key: 'track:itunes:7', match }, attempt: 1, reportProgress });
  await process({ id: 'j2', data: { kind: 'upload', key: 'upload:ab', sha256: 'ab', bytes: 3 }, audio: Buffer.from('abc'), attempt: 1, reportProgress });
  assert.deepEqual(seen, ['track 7', 'upload abc']);
  assert.deepEqual(progress, [{ stage: 'download', percent: 5 }, { stage: 'decode', percent: 10 }]);
  await assert.rejects(
    process({ id: 'j3', data: { kind: 'upload', key: 'upload:cd', sha256: 'cd', bytes: 3 }, attempt: 1, reportProgress }),
    (err: unknown) => err instanceof InputError && err.code === 'UPLOAD_EXPIRED' && err.status === 410,
  );
});

test('BullMQ wrapper: permanent → UnrecoverableError; transient → Error; the bytes are left for the worker to drop', async () => {
  const deleted: string[] = [];
  const cached: string[] = [];
  const uploads = { put: async () => {}, get: async () => Buffer.from('x'), delete: async (sha: string) => void deleted.push(sha) };
  const results = { get: async () => null, load: async () => null, has: async () => false, set: async (key: string) => void cached.push(key) };
  const job = (attemptsMade: number, attempts: number) =>
    ({ id: 'j', data: { kind: 'upload', key: 'upload:ee', sha256: 'ee', bytes: 1 }, attemptsMade, opts: { attempts }, updateProgress: async () => {} }) as unknown as Job<PredictionJobData, JobReturnValue<PredictionResult>>;

  const permanent = toBullmqProcessor({ spec: predictionJobs, process: async () => { throw new InputError('NOT_AUDIO', 'nope'); }, uploads, results });
  const err1 = await permanent(job(0, 3)).catch((e: unknown) => e);
  assert.ok(err1 instanceof UnrecoverableError);
  assert.deepEqual(decodeFailure(err1.message), { code: 'NOT_AUDIO', message: 'nope', status: 415, permanent: true });

  const transient = toBullmqProcessor({ spec: predictionJobs, process: async () => { throw new TransientError('PREVIEW_TIMEOUT', 'slow'); }, uploads, results });
  const err2 = await transient(job(0, 3)).catch((e: unknown) => e);
  assert.ok(err2 instanceof Error && !(err2 instanceof UnrecoverableError));
  assert.equal(decodeFailure(err2.message).code, 'PREVIEW_TIMEOUT');
  await transient(job(2, 3)).catch(() => undefined);

  const ok = toBullmqProcessor({ spec: predictionJobs, process: async () => fakeResult(), uploads, results });
  assert.deepEqual(await ok(job(0, 3)), fakeResult());
  assert.deepEqual(cached, ['upload:ee']);
  // Deleting is the worker's, once BullMQ has recorded the outcome (test/service/queue).
  assert.deepEqual(deleted, []);

  // When the cache outlives the job record, the job returns only a reference to the cached copy.
  const byReference = toBullmqProcessor({ spec: predictionJobs, process: async () => fakeResult(), uploads, results, returnReference: true });
  assert.deepEqual(await byReference(job(0, 3)), { resultIn: 'cache', timingsMs: fakeResult().timingsMs });
  assert.deepEqual(cached, ['upload:ee', 'upload:ee'], 'the result itself is cached first');
});
