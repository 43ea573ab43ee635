// Builds the REAL app for API tests: real Redis (unique prefix/queue per app, keys removed on
// close) or the inline queue, the real pipeline (ffmpeg, MFCC, the tiny model fixture) unless a
// test injects a processor, and the fake Deezer/iTunes servers from test/helpers.
import type { FastifyInstance } from 'fastify';
import supertest from 'supertest';
import { buildApp } from '../../src/service/app.js';
import type { Config } from '../../src/config.js';
import { createMetrics } from '../../src/service/metrics.js';
import { loadPipeline } from '../../src/service/load-pipeline.js';
import { createProviders } from '../../src/previews/providers.js';
import { createBullmqQueue } from '../../src/service/queue/bullmq-queue.js';
import { startBullmqWorker, type RunningWorker } from '../../src/service/queue/bullmq-worker.js';
import { createInlineQueue } from '../../src/service/queue/inline-queue.js';
import type { PredictionQueue } from '../../src/service/predictions/jobs.js';
import type { JobProcessor } from '../../src/service/predictions/processor.js';
import type { ReadinessProbe } from '../../src/service/routes/health.js';
import { startFakeProviders, type FakeProviders, type FakeTrack } from '../helpers/fake-providers.js';
import { REDIS_URL, cleanupRedis, silentLogger, testConfig } from './queue/helpers.js';
import { predictionJobs } from '../../src/service/predictions/jobs.js';

export const TINY_MODEL_DIR = 'test/fixtures/tiny-model';
export const TINY_MODEL_LABELS = ['Hiphop', 'EDM', 'Classical', 'Metal', 'Jazz'];

export const DEFAULT_TRACKS: FakeTrack[] = [
  { artist: 'Coolio', title: "Gangsta's Paradise", audio: { seconds: 4, frequencyHz: 330 } },
  { artist: 'Miles Davis', title: 'So What', audio: { seconds: 4, frequencyHz: 550 } },
  { artist: 'Nobody', title: 'Silent Track', preview: false },
];

export interface TestApp {
  app: FastifyInstance;
  /** The environment this app was configured from (for child worker processes). */
  env: Record<string, string>;
  http: ReturnType<typeof supertest>;
  config: Config;
  queue: PredictionQueue;
  fake: FakeProviders;
  /** How many times the processor ran (dedup and cache tests count on it). */
  processed(): number;
  close(): Promise<void>;
}

export async function startTestApp({
  queueKind = 'bullmq',
  env = {},
  process: injected,
  tracks = DEFAULT_TRACKS,
  probes = [],
  inProcessWorker = true,
}: {
  queueKind?: 'bullmq' | 'inline';
  /** false: BullMQ jobs are left to worker processes the test starts itself. */
  inProcessWorker?: boolean;
  env?: Record<string, string>;
  /** Replaces the real pipeline: only for route behaviour that needs a job to hang or fail on cue. */
  process?: JobProcessor;
  tracks?: FakeTrack[];
  probes?: ReadinessProbe[];
} = {}): Promise<TestApp> {
  const fake = await startFakeProviders({ tracks });
  const appEnv: Record<string, string> = {
    ...fake.env(),
    PREVIEW_PROVIDERS: 'deezer,itunes',
    ALLOW_INSECURE_PREVIEWS: 'true',
    MODEL_DIR: TINY_MODEL_DIR,
    TF_BACKEND: 'wasm',
    RATE_LIMIT_MAX: '0',
    // The other per-client limits are off too (tests come from one address); their tests set them.
    PROBE_RATE_LIMIT_MAX: '0',
    CLIENT_LOOKUP_RATE_LIMIT: '100000/1s',
    MAX_CONCURRENT_UPLOADS: '10000',
    MAX_CONCURRENT_UPLOADS_PER_CLIENT: '10000',
    MAX_CONNECTIONS_PER_CLIENT: '0',
    MIN_AUDIO_SECONDS: '1',
    ...env,
  };
  const config = testConfig(appEnv);
  appEnv.QUEUE_NAME = config.QUEUE_NAME;
  appEnv.QUEUE_PREFIX = config.QUEUE_PREFIX;
  const needsPipeline = !injected && (queueKind === 'inline' || inProcessWorker);
  const pipeline = needsPipeline ? await loadPipeline({ config, logger: silentLogger }) : undefined;
  let count = 0;
  const process: JobProcessor = (job) => {
    count++;
    return (injected ?? pipeline!.process)(job);
  };
  let worker: RunningWorker | undefined;
  let queue: PredictionQueue;
  if (queueKind === 'bullmq') {
    queue = await createBullmqQueue({ spec: predictionJobs, config, redisUrl: REDIS_URL, logger: silentLogger });
    if (inProcessWorker) {
      worker = startBullmqWorker({ spec: predictionJobs, config, redisUrl: REDIS_URL, process, logger: silentLogger });
      await worker.ready();
    }
  } else {
    queue = createInlineQueue({ spec: predictionJobs, config, process, logger: silentLogger });
  }
  const metrics = createMetrics({ queue, defaultMetrics: false });
  const providers = createProviders({ config, logger: silentLogger });
  const { app } = await buildApp({ config, logger: silentLogger, queue, providers, metrics, probes: [...(pipeline?.probes ?? []), ...probes] });
  await app.ready();
  return {
    app,
    http: supertest(app.server),
    env: appEnv,
    config,
    queue,
    fake,
    processed: () => count,
    async close() {
      await app.close();
      await worker?.close();
      await queue.close();
      await pipeline?.dispose(); // like the server's stop: idle warm ffmpeg processes, the model
      await fake.close();
      if (queueKind === 'bullmq') await cleanupRedis(config.QUEUE_PREFIX);
    },
  };
}

/** Polls GET /jobs/:id until the job is finished (or the deadline passes). */
export async function pollJob(t: TestApp, location: string, deadlineMs = 10_000): Promise<Record<string, unknown>> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const res = await t.http.get(location).expect(200);
    if (res.body.state === 'completed' || res.body.state === 'failed') return res.body as Record<string, unknown>;
    if (Date.now() > until) throw new Error(`job ${location} still ${res.body.state} after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A base64 string that decodes to a JPEG (SOI marker FF D8, EOI FF D9). */
export function isBase64Jpeg(value: unknown): boolean {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const bytes = Buffer.from(value, 'base64');
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes.at(-2) === 0xff && bytes.at(-1) === 0xd9;
}
