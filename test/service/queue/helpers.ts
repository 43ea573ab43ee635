// Shared by the queue tests: a controllable fake processor (the real pipeline is exercised by
// test/service and test/genre), unique Redis names per test, and cleanup of every key they made.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import type { AudioPrediction } from '../../../src/genre/result.js';
import type { JobProcessor, ProcessorJob } from '../../../src/service/predictions/processor.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const silentLogger = createLogger({ LOG_LEVEL: 'silent' });

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    LOG_LEVEL: 'silent',
    QUEUE_NAME: `test-${randomUUID().slice(0, 8)}`,
    QUEUE_PREFIX: `mp-test-${randomUUID().slice(0, 8)}`,
    JOB_BACKOFF_MS: '0',
    ...overrides,
  });
}

export function fakeResult(label = 'Jazz'): AudioPrediction {
  return {
    first: [label, 0.7],
    second: ['EDM', 0.2],
    probabilities: { [label]: 0.7, EDM: 0.2, Metal: 0.1 },
    segments: [],
    mfcc: Buffer.from('not really a jpeg').toString('base64'),
    durationSeconds: 3,
    timingsMs: { decode: 1, total: 2 },
    model: { name: 'fake', version: '0', backend: 'none' },
  };
}

/** A processor whose behaviour each test scripts; records every call. */
export function scriptedProcessor(behave: (job: ProcessorJob, call: number) => Promise<AudioPrediction>) {
  const calls: ProcessorJob[] = [];
  const process: JobProcessor = async (job) => {
    calls.push(job);
    return behave(job, calls.length);
  };
  return { process, calls };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until it returns `expected` (deep-equal by JSON) or `timeoutMs` passes; returns the last value. */
export async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (JSON.stringify(value) === JSON.stringify(expected) || Date.now() > deadline) return value;
    await sleep(20);
  }
}

/** Deletes every Redis key under the test's prefix. */
export async function cleanupRedis(prefix: string): Promise<string[]> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    return keys;
  } finally {
    redis.disconnect();
  }
}

/** The upload keys still in Redis once the worker has had up to 2 s to drop them ([] expected). */
export function leftUploads(config: Pick<Config, 'QUEUE_PREFIX' | 'QUEUE_NAME'>): Promise<string[]> {
  return eventually(() => redisKeys(`${config.QUEUE_PREFIX}:${config.QUEUE_NAME}:upload:*`), []);
}

export async function redisKeys(pattern: string): Promise<string[]> {
  const redis = new Redis(REDIS_URL);
  try {
    return await redis.keys(pattern);
  } finally {
    redis.disconnect();
  }
}
