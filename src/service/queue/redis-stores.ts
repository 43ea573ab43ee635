// Two small Redis stores beside the BullMQ queue, under the same prefix and queue name:
// upload bytes (so workers on other machines can read them; TTL so nothing outlives a lost job)
// and finished results (so a repeat answers without a job), laid out by the caller's codec.
import type { Redis } from 'ioredis';
import type { ResultCodec } from './job-queue.js';

export interface UploadStore {
  /** Stores (or stores again) the bytes for UPLOAD_TTL_S. */
  put(sha256: string, audio: Buffer): Promise<void>;
  /** The bytes, their TTL renewed: a job attempt that dies still leaves them for the next one. */
  get(sha256: string): Promise<Buffer | null>;
  delete(sha256: string): Promise<void>;
}

export interface ResultCache<Result, Hit> {
  /** A cache lookup: null when this process has the cache turned off (RESULT_CACHE_TTL_S=0). */
  get(key: string): Promise<Hit | null>;
  /** The stored result whatever this process's cache setting: a job's result by reference. */
  load(key: string): Promise<Hit | null>;
  /** Whether a result is stored for this key (without reading it). */
  has(key: string): Promise<boolean>;
  set(key: string, result: Result): Promise<void>;
}

export function redisKeyspace({ prefix, queueName }: { prefix: string; queueName: string }) {
  const base = `${prefix}:${queueName}`;
  return {
    upload: (sha256: string) => `${base}:upload:${sha256}`,
    result: (key: string) => `${base}:result:${key}`,
  };
}

export function createRedisUploadStore({
  redis,
  prefix,
  queueName,
  ttlSeconds,
}: {
  redis: Redis;
  prefix: string;
  queueName: string;
  ttlSeconds: number;
}): UploadStore {
  const keys = redisKeyspace({ prefix, queueName });
  return {
    async put(sha256, audio) {
      await redis.set(keys.upload(sha256), audio, 'EX', ttlSeconds);
    },
    async get(sha256) {
      const key = keys.upload(sha256);
      const replies = await redis.multi().getBuffer(key).expire(key, ttlSeconds).exec();
      const [err, audio] = replies?.[0] ?? [new Error('the upload read was aborted'), null];
      if (err) throw err;
      return (audio as Buffer | null) ?? null;
    },
    async delete(sha256) {
      await redis.del(keys.upload(sha256));
    },
  };
}

export function createRedisResultCache<Result, Hit>({
  redis,
  codec,
  prefix,
  queueName,
  ttlSeconds,
}: {
  redis: Redis;
  codec: ResultCodec<Result, Hit>;
  prefix: string;
  queueName: string;
  ttlSeconds: number;
}): ResultCache<Result, Hit> {
  const keys = redisKeyspace({ prefix, queueName });
  // Bytes, not a string: a codec may pass parts on without a UTF-8 decode.
  const load = async (key: string) => {
    const raw = await redis.getBuffer(keys.result(key));
    return raw === null ? null : codec.parse(raw);
  };
  return {
    get: async (key) => (ttlSeconds === 0 ? null : load(key)),
    load,
    has: async (key) => (await redis.exists(keys.result(key))) === 1,
    async set(key, result) {
      if (ttlSeconds === 0) return;
      await redis.set(keys.result(key), codec.serialize(result), 'EX', ttlSeconds);
    },
  };
}
