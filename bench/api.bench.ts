// API benchmarks on 127.0.0.1 only, bounded loops: the real app (BullMQ on the local Redis) with
// worker PROCESSES (src/worker.ts) running the real pipeline, the fake Deezer/iTunes servers, and
// MODEL_DIR (default: models/genre-cnn if present, else the tiny fixture).
//   npm run bench api            (BENCH_API_RUNS=60 BENCH_API_SUSTAINED=60 to change the loop sizes;
//                                 FFMPEG_PATH=… for the workers' ffmpeg,
//                                 FFMPEG_SPAWN_HELPER=true|false, BENCH_WORKER_CONCURRENCY=1|2…,
//                                 BENCH_WORKER_NODE_OPTIONS=… for the workers' Node flags,
//                                 BENCH_WORKER_ENTRY=src to run the workers through tsx)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { buildApp } from '../src/service/app.js';
import { resolveFfmpegPath } from '../src/audio/ffmpeg/ffmpeg-binary.js';
import { createProviders } from '../src/previews/providers.js';
import { createBullmqQueue } from '../src/service/queue/bullmq-queue.js';
import { audioFixture } from '../test/helpers/audio-fixtures.js';
import { startFakeProviders } from '../test/helpers/fake-providers.js';
import { spawnEntry } from '../test/service/queue/child-process.js';
import { REDIS_URL, cleanupRedis, silentLogger, testConfig } from '../test/service/queue/helpers.js';
import { formatTimings, quantile, summarize, type Timing } from './lib.js';
import { predictionJobs } from '../src/service/predictions/jobs.js';

const RUNS = Number(process.env.BENCH_API_RUNS ?? 60);
const SUSTAINED = Number(process.env.BENCH_API_SUSTAINED ?? 60);
const MODEL_DIR = process.env.MODEL_DIR ?? (existsSync('models/genre-cnn/metadata.json') ? 'models/genre-cnn' : 'test/fixtures/tiny-model');

function withP99(name: string, samples: number[], extra: Record<string, string | number> = {}): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return summarize(name, samples, { p99: quantile(sorted, 0.99).toFixed(2), ...extra });
}

async function timed(fn: () => Promise<Response>): Promise<number> {
  const t0 = performance.now();
  const res = await fn();
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  return performance.now() - t0;
}

async function withRedis<T>(call: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(REDIS_URL);
  try {
    return await call(redis);
  } finally {
    redis.disconnect();
  }
}

const redisUsedMemory = () => withRedis(async (r) => Number(/used_memory:(\d+)/.exec(await r.info('memory'))?.[1]));
const redisMemoryUsage = (key: string) => withRedis(async (r) => Number(await r.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')));

export default async function apiBench(): Promise<void> {
  const tracks = Array.from({ length: RUNS + 5 }, (_, i) => ({ artist: `Bench Artist ${i}`, title: `Bench Song ${i}`, audio: { seconds: 30 } }));
  const fake = await startFakeProviders({ tracks });
  const env: Record<string, string> = {
    ...fake.env(),
    PREVIEW_PROVIDERS: 'deezer',
    DEEZER_RATE_LIMIT: '100000/1s',
    ALLOW_INSECURE_PREVIEWS: 'true',
    MODEL_DIR,
    RATE_LIMIT_MAX: '0',
    MAX_QUEUE_BACKLOG: '10000',
    // One client with many connections: the per-client caps would refuse most of it.
    MAX_CONCURRENT_UPLOADS: '64',
    MAX_CONCURRENT_UPLOADS_PER_CLIENT: '64',
    MAX_CONNECTIONS_PER_CLIENT: '0',
    CLIENT_LOOKUP_RATE_LIMIT: '100000/1s',
    LOG_LEVEL: 'silent',
    // Passed on to the worker processes, e.g. to compare a static ffmpeg build with the system one.
    ...(process.env.FFMPEG_PATH ? { FFMPEG_PATH: process.env.FFMPEG_PATH } : {}),
    // NODE_OPTIONS of the worker processes only (e.g. V8 heap flags), via BENCH_WORKER_NODE_OPTIONS.
    ...(process.env.BENCH_WORKER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS } : {}),
    // And FFMPEG_SPAWN_HELPER, to compare starting ffmpeg through the helper with forking the worker.
    ...(process.env.FFMPEG_SPAWN_HELPER ? { FFMPEG_SPAWN_HELPER: process.env.FFMPEG_SPAWN_HELPER } : {}),
  };
  const config = testConfig(env);
  // One job at a time per worker unless BENCH_WORKER_CONCURRENCY says otherwise (the service's
  // default is 2): the single-upload rows then time one job alone.
  Object.assign(env, { QUEUE_NAME: config.QUEUE_NAME, QUEUE_PREFIX: config.QUEUE_PREFIX, REDIS_URL, WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? '1' });
  const queue = await createBullmqQueue({ spec: predictionJobs, config, redisUrl: REDIS_URL, logger: silentLogger });
  const { app } = await buildApp({ config, logger: silentLogger, queue, providers: createProviders({ config }) });
  // Server-side time of each answer (request received → response written), to tell the server's
  // share from the load generator's: the client runs in this same process and event loop.
  const serverMs: number[] = [];
  app.addHook('onResponse', async (_request, reply) => void serverMs.push(reply.elapsedTime));
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  // Workers run as production runs them: `node dist/src/worker.js`, built here first. Under tsx
  // (BENCH_WORKER_ENTRY=src) a worker and its spawn helper carry the TypeScript loader: the
  // helper's RSS is 74 instead of 45 MB and each ffmpeg start costs it 11.5 instead of 6.3 CPU-ms.
  const workerEntry = process.env.BENCH_WORKER_ENTRY === 'src' ? 'src/worker.ts' as const : 'dist/src/worker.js' as const;
  if (workerEntry.startsWith('dist')) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit', timeout: 300_000 });
  const workers = [spawnEntry(workerEntry, { ...env, LOG_LEVEL: 'info' })];
  const mp3 = await readFile(await audioFixture({ format: 'mp3', seconds: 30 }));
  // Unique bytes per upload (trailing junk ffmpeg ignores) so every request is a new job.
  const upload = (bytes = Buffer.concat([mp3, randomBytes(16)])) => {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'audio/mpeg' }), 'clip.mp3');
    return fetch(`${base}/predict`, { method: 'POST', body: form });
  };
  // A multipart body built by hand once, for the rows that keep the client's encoding off the clock.
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const encodeUpload = (bytes: Buffer) => Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="clip.mp3"\r\nContent-Type: audio/mpeg\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const sendEncoded = (body: Buffer) => fetch(`${base}/predict`, { method: 'POST', body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  const timings: Timing[] = [];
  let redisNote: string | undefined;
  try {
    await workers[0]!.waitForLog((l) => l.msg === 'worker ready', 120_000);
    for (let i = 0; i < 3; i++) await timed(() => upload());

    const single: number[] = [];
    for (let i = 0; i < RUNS; i++) single.push(await timed(() => upload()));
    timings.push(withP99('upload 30-s mp3 → JSON, 1 worker process', single));

    const repeat = Buffer.concat([mp3, randomBytes(16)]);
    await timed(() => upload(repeat));
    const cached: number[] = [];
    serverMs.length = 0;
    for (let i = 0; i < RUNS * 3; i++) cached.push(await timed(() => upload(repeat)));
    timings.push(withP99('cached repeat upload (30-s mp3)', cached, { bytes: repeat.length, server_p50: quantile([...serverMs].sort((a, b) => a - b), 0.5).toFixed(2) }));
    // The same request with the multipart body encoded once: FormData/Blob encoding is most of
    // the client's cost, and the client shares this process (and its event loop) with the server.
    const encoded = encodeUpload(repeat);
    const cachedEncoded: number[] = [];
    serverMs.length = 0;
    for (let i = 0; i < RUNS * 3; i++) cachedEncoded.push(await timed(() => sendEncoded(encoded)));
    timings.push(withP99('  same, body pre-encoded (cheaper client)', cachedEncoded, { server_p50: quantile([...serverMs].sort((a, b) => a - b), 0.5).toFixed(2) }));

    const byTrack: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      byTrack.push(await timed(() => fetch(`${base}/d/music-prediction?artist=${encodeURIComponent(`Bench Artist ${i}`)}&track=${encodeURIComponent(`Bench Song ${i}`)}`)));
    }
    timings.push(withP99('artist/track → JSON (fake Deezer, 30-s preview)', byTrack));
    const trackCached: number[] = [];
    for (let i = 0; i < RUNS; i++) trackCached.push(await timed(() => fetch(`${base}/d/music-prediction?artist=Bench%20Artist%200&track=Bench%20Song%200`)));
    timings.push(withP99('artist/track cached repeat', trackCached));

    workers.push(spawnEntry(workerEntry, { ...env, LOG_LEVEL: 'info' }));
    await workers[1]!.waitForLog((l) => l.msg === 'worker ready', 120_000);
    const inFlight = 8;
    // Redis memory a prediction leaves behind (result cache, finished job, events stream), so a
    // host can size Redis: used_memory over the sustained phase, per upload.
    const redisBefore = await redisUsedMemory();
    // SUSTAINED requests, `inFlight` at a time: latencies and predictions per second.
    const sustained = async (send: (i: number) => Promise<Response>) => {
      const latencies: number[] = [];
      let next = 0;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: inFlight }, async () => {
        for (let i = next++; i < SUSTAINED; i = next++) latencies.push(await timed(() => send(i)));
      }));
      return { latencies, predictionsPerSecond: (SUSTAINED / ((performance.now() - t0) / 1000)).toFixed(2) };
    };
    const withFormData = await sustained(() => upload());
    timings.push(withP99(`sustained uploads, 2 worker processes, ${inFlight} in flight`, withFormData.latencies, { predictionsPerSecond: withFormData.predictionsPerSecond }));
    // Again with every (still unique) body encoded before the clock starts, as a load generator on
    // another machine would send them: the FormData encoding above runs on the cores under test.
    const bodies = Array.from({ length: SUSTAINED }, () => encodeUpload(Buffer.concat([mp3, randomBytes(16)])));
    const preEncoded = await sustained((i) => sendEncoded(bodies[i]!));
    timings.push(withP99('  same, bodies pre-encoded (cheaper client)', preEncoded.latencies, { predictionsPerSecond: preEncoded.predictionsPerSecond }));
    const retained = ((await redisUsedMemory()) - redisBefore) / (2 * SUSTAINED) / 1024; // both sustained rows
    const events = await redisMemoryUsage(`${config.QUEUE_PREFIX}:${config.QUEUE_NAME}:events`);
    redisNote = `Redis memory left per sustained prediction: ${retained.toFixed(1)} KiB (events stream at the end: ${(events / 1024 / 1024).toFixed(2)} MiB)`;
  } finally {
    for (const w of workers) w.proc.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await app.close();
    await queue.close();
    await fake.close();
    await cleanupRedis(config.QUEUE_PREFIX);
  }
  const ffmpegUsed = resolveFfmpegPath({ configured: process.env.FFMPEG_PATH }).path;
  console.log(formatTimings(`API (model ${MODEL_DIR}, Redis ${REDIS_URL}, ffmpeg ${ffmpegUsed}, node ${process.version})`, timings));
  if (redisNote) console.log(`  ${redisNote}`);
}
