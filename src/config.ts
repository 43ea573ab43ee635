import { z } from 'zod';

// Every setting the API, the worker and the CLI read from the environment lives here, once.
// `loadConfig` lists every invalid variable at boot instead of failing on the first one.

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0),
);
/** A provider quota "N/period" (e.g. `50/5s`, `20/1m`): at most N requests in any such window. */
export const rateLimitSetting = z
  .string()
  .regex(/^\d+\s*\/\s*\d*(\.\d+)?\s*(ms|s|m|h)$/, 'expected "<requests>/<period>", e.g. 50/5s or 20/1m')
  .transform((s) => {
    const [, n, amount, unit] = /^(\d+)\s*\/\s*(\d*(?:\.\d+)?)\s*(ms|s|m|h)$/.exec(s) ?? [];
    const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
    return { requests: Number(n), perMs: Number(amount || 1) * unitMs };
  })
  .refine((r) => r.requests >= 1 && r.perMs >= 1, 'requests and period must be positive');
const baseUrl = z
  .url({ protocol: /^https?$/ })
  .transform((u) => u.replace(/\/+$/, ''));

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  /** Unset: embedded mode (in-process queue, no Redis). Set: BullMQ on this Redis, by URL
   * (redis://, rediss://) or, on one host, by the absolute path of its Unix socket (optionally
   * `?db=N`): ioredis takes such a path as is, and a socket skips the TCP stack for each job's
   * upload bytes and result. */
  REDIS_URL: z.union([
    z.url({ protocol: /^rediss?$/ }),
    z.string().regex(/^\/[^?\0]+(\?db=\d+)?$/, 'an absolute Unix socket path, e.g. /run/redis/redis.sock'),
  ]).optional(),
  QUEUE_NAME: z.string().regex(/^[\w.-]+$/).default('predictions'),
  QUEUE_PREFIX: z.string().regex(/^[\w.-]+$/).default('music-prediction'),
  WORKER_CONCURRENCY: int(1, 64).default(2),
  INLINE_CONCURRENCY: int(1, 64).default(2),
  /** How long a synchronous request waits for its job before answering 504 with the job id. */
  SYNC_WAIT_MS: int(100, 600_000).default(20_000),
  /** Jobs waiting beyond this make the API answer 503 with Retry-After. */
  MAX_QUEUE_BACKLOG: int(1, 1_000_000).default(200),
  /** Time limit of each queue/Redis call the API makes; beyond it the request gets a 503. */
  REDIS_TIMEOUT_MS: int(100, 60_000).default(3_000),
  JOB_ATTEMPTS: int(1, 20).default(3),
  /** First retry delay of a transiently failed job; doubles on each further attempt. */
  JOB_BACKOFF_MS: int(0, 600_000).default(1_000),
  /** How long finished jobs stay readable at GET /jobs/:id. */
  JOB_RETENTION_S: int(10, 30 * 86_400).default(3_600),
  /** BullMQ job lock, renewed by a live worker every half of it: a worker that dies holds its
   * job until the lock expires and the next stalled check sees it (at most lock + interval), which
   * the defaults keep inside SYNC_WAIT_MS. */
  WORKER_LOCK_DURATION_MS: int(1_000, 600_000).default(8_000),
  /** How often workers look for jobs whose worker died (stalled-job recovery). */
  WORKER_STALLED_INTERVAL_MS: int(1_000, 600_000).default(4_000),
  /** A job whose worker died this many times more fails ("stalled more than allowable limit"). */
  WORKER_MAX_STALLED_COUNT: int(0, 100).default(2),
  RESULT_CACHE_TTL_S: int(0, 30 * 86_400).default(86_400),
  /** Embedded mode: the in-process result cache and the finished-job store each hold at most this
   * many bytes and entries (least recently used dropped first; entries also expire on time). */
  INLINE_CACHE_MAX_BYTES: int(1024, 4 * 1024 ** 3).default(64 * 1024 * 1024),
  INLINE_CACHE_MAX_ENTRIES: int(1, 1_000_000).default(1_000),
  /** Upload bytes waiting or running in the queue (embedded: in memory; Redis mode: in Redis);
   * an upload that would go beyond it is answered 503 QUEUE_BYTES_FULL with Retry-After. */
  MAX_QUEUED_UPLOAD_BYTES: int(1024, 64 * 1024 ** 3).default(100 * 1024 * 1024),
  /** Artist/track → preview match (or miss) remembered per API process (0 = off); a hit never
   * outlives its preview URL's signed token (src/previews/lookup-cache.ts). */
  LOOKUP_CACHE_TTL_S: int(0, 86_400).default(600),
  UPLOAD_TTL_S: int(10, 86_400).default(900),
  MAX_UPLOAD_BYTES: int(1024, 500 * 1024 * 1024).default(20 * 1024 * 1024),
  MAX_PREVIEW_BYTES: int(1024, 100 * 1024 * 1024).default(5 * 1024 * 1024),
  /** Operational caps only: the model's metadata sets clip and minimum length; these lower/raise them, never change features. */
  MAX_AUDIO_SECONDS: z.coerce.number().min(1).max(600).default(30),
  MIN_AUDIO_SECONDS: z.coerce.number().min(0.1).max(60).default(1),
  FFMPEG_TIMEOUT_MS: int(100, 600_000).default(15_000),
  FFMPEG_PATH: z.string().min(1).optional(),
  /** Uploads go to an ffmpeg started ahead of time (saves its start-up); one idle process per worker. */
  FFMPEG_WARM_POOL: bool.default(true),
  /**
   * The warm pool's ffmpegs are started by a small helper process, so the worker never forks:
   * a fork from a large process costs it page faults on every page it writes afterwards.
   */
  FFMPEG_SPAWN_HELPER: bool.default(true),
  MODEL_DIR: z.string().min(1).default('models/genre-cnn'),
  TF_BACKEND: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  PREVIEW_PROVIDERS: csv.pipe(z.array(z.enum(['deezer', 'itunes', 'spotify'])).min(1)).default(['deezer', 'itunes']),
  DEEZER_BASE_URL: baseUrl.default('https://api.deezer.com'),
  ITUNES_BASE_URL: baseUrl.default('https://itunes.apple.com'),
  ITUNES_COUNTRY: z.string().regex(/^[A-Za-z]{2}$/).default('US'),
  SPOTIFY_BASE_URL: baseUrl.default('https://api.spotify.com'),
  SPOTIFY_AUTH_URL: baseUrl.default('https://accounts.spotify.com'),
  SPOTIFY_CLIENT_ID: z.string().min(1).optional(),
  SPOTIFY_CLIENT_SECRET: z.string().min(1).optional(),
  PROVIDER_TIMEOUT_MS: int(100, 120_000).default(5_000),
  PREVIEW_DOWNLOAD_TIMEOUT_MS: int(100, 300_000).default(10_000),
  /** Provider quotas (each provider's published limit): the shared per-provider limiter never exceeds them in any window. */
  DEEZER_RATE_LIMIT: rateLimitSetting.default({ requests: 50, perMs: 5_000 }),
  ITUNES_RATE_LIMIT: rateLimitSetting.default({ requests: 20, perMs: 60_000 }),
  SPOTIFY_RATE_LIMIT: rateLimitSetting.default({ requests: 60, perMs: 30_000 }),
  /** How long a provider call may wait for its rate limiter before failing with PROVIDER_QUOTA. */
  PROVIDER_RATE_MAX_WAIT_MS: int(0, 600_000).default(2_000),
  /** Extra hosts previews may be downloaded from, on top of each provider's own CDN hosts. */
  PREVIEW_ALLOWED_HOSTS: csv.default([]),
  /** Allows plain http and loopback preview URLs: for tests and local stand-in providers only. */
  ALLOW_INSECURE_PREVIEWS: bool.default(false),
  MAX_QUERY_CHARS: int(1, 2000).default(200),
  /** Uploads being received or answered at once, in total and per client (counted when the
   * request starts): memory held by uploads is at most MAX_CONCURRENT_UPLOADS × MAX_UPLOAD_BYTES. */
  MAX_CONCURRENT_UPLOADS: int(1, 10_000).default(8),
  MAX_CONCURRENT_UPLOADS_PER_CLIENT: int(1, 10_000).default(2),
  /** An upload slower than this over any UPLOAD_RATE_WINDOW_MS is refused (408 UPLOAD_TOO_SLOW); 0 turns it off. */
  UPLOAD_MIN_BYTES_PER_S: int(0, 100_000_000).default(2_048),
  UPLOAD_RATE_WINDOW_MS: int(100, 600_000).default(10_000),
  /** Open sockets per remote address (0 = no cap); not applied with TRUST_PROXY, where the
   * remote address is the proxy's. */
  MAX_CONNECTIONS_PER_CLIENT: int(0, 100_000).default(32),
  /** A socket that sends and receives nothing this long is closed (a stalled upload included);
   * must exceed SYNC_WAIT_MS, during which a synchronous request's socket is quiet. */
  HTTP_IDLE_TIMEOUT_MS: int(1_000, 3_600_000).default(30_000),
  /** The whole request (headers and body) must arrive within this time. */
  HTTP_REQUEST_TIMEOUT_MS: int(1_000, 3_600_000).default(120_000),
  HTTP_HEADERS_TIMEOUT_MS: int(1_000, 600_000).default(10_000),
  /** An idle keep-alive socket is closed after this long. */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int(100, 600_000).default(5_000),
  /** Provider searches (lookups not answered by the lookup cache) per client: a fair share of the
   * per-process provider quota; beyond it 429 CLIENT_LOOKUP_LIMIT with Retry-After. */
  CLIENT_LOOKUP_RATE_LIMIT: rateLimitSetting.default({ requests: 10, perMs: 5_000 }),
  RATE_LIMIT_MAX: int(0, 1_000_000).default(120),
  RATE_LIMIT_WINDOW_MS: int(100, 86_400_000).default(60_000),
  /** Comma list of origins allowed to call the API from a browser; `*` for any; empty for none. */
  CORS_ORIGINS: csv.default([]),
  TRUST_PROXY: bool.default(false),
  METRICS_ENABLED: bool.default(true),
  /** Requests per RATE_LIMIT_WINDOW_MS per client to /metrics and /readyz (0 = unlimited): both do
   * real work per call, and were exempt from RATE_LIMIT_MAX so scrapers are never locked out. */
  PROBE_RATE_LIMIT_MAX: int(0, 1_000_000).default(60),
  SHUTDOWN_TIMEOUT_MS: int(100, 600_000).default(30_000),
});

export type Config = Readonly<z.infer<typeof configSchema>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment (empty strings count as unset) into a frozen, typed config. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.keys(configSchema.shape)
      .map((key) => [key, env[key]?.trim()] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  if (parsed.data.SPOTIFY_CLIENT_ID !== undefined !== (parsed.data.SPOTIFY_CLIENT_SECRET !== undefined)) {
    throw new ConfigError(['SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET must be set together']);
  }
  const problems: string[] = [];
  const c = parsed.data;
  if (c.HTTP_IDLE_TIMEOUT_MS <= c.SYNC_WAIT_MS) problems.push('HTTP_IDLE_TIMEOUT_MS must exceed SYNC_WAIT_MS (a synchronous request\'s socket is quiet while it waits)');
  if (c.HTTP_HEADERS_TIMEOUT_MS > c.HTTP_REQUEST_TIMEOUT_MS) problems.push('HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS');
  if (c.MAX_CONCURRENT_UPLOADS_PER_CLIENT > c.MAX_CONCURRENT_UPLOADS) problems.push('MAX_CONCURRENT_UPLOADS_PER_CLIENT must not exceed MAX_CONCURRENT_UPLOADS');
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(c);
}
