// The queue is generic: a job kind that has nothing to do with predictions (a word count, its
// result stored by its own codec) runs through both implementations with the same semantics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { createBullmqQueue } from '../../../src/service/queue/bullmq-queue.js';
import { startBullmqWorker } from '../../../src/service/queue/bullmq-worker.js';
import { createInlineQueue } from '../../../src/service/queue/inline-queue.js';
import type { JobProcessor, QueueSpec } from '../../../src/service/queue/job-queue.js';
import { REDIS_URL, cleanupRedis, silentLogger, testConfig } from './helpers.js';

type CountData = { key: string; text?: string; blobId?: string; blobBytes?: number };
type Count = { words: number };
/** What a read returns: the result and where it came from, so the test sees which codec path ran. */
type CountHit = { count: Count; via: 'redis' | 'fresh' | 'memory' };

const countJobs: QueueSpec<CountData, Count, CountHit> = {
  codec: {
    serialize: (count) => `words=${count.words}`,
    parse: (raw) => ({ count: { words: Number(raw.toString().slice('words='.length)) }, via: 'redis' }),
    resultOf: (hit) => hit.count,
    fresh: (count) => ({ count, via: 'fresh' }),
    forCache: (count) => ({ count, via: 'memory' }),
    sizeOf: () => 16,
    timingsOf: (count) => ({ words: count.words }),
  },
  uploadOf: (data) => (data.blobId ? { id: data.blobId, bytes: data.blobBytes ?? 0 } : undefined),
};

const countWords: JobProcessor<CountData, Count> = async (job) => {
  const text = job.data.text ?? job.audio?.toString() ?? '';
  return { words: text.split(/\s+/).filter(Boolean).length };
};

test('in process: a non-prediction job kind runs, dedupes and is cached through its codec', async () => {
  const queue = createInlineQueue({ spec: countJobs, config: testConfig(), process: countWords, logger: silentLogger });
  const finished: Array<Record<string, number> | undefined> = [];
  queue.onFinished((e) => void (e.outcome === 'completed' && finished.push(e.timingsMs)));
  const { id } = await queue.submit({ data: { key: 'count:a', text: 'one two three' } });
  assert.deepEqual(await queue.waitForResult(id, 1000), { count: { words: 3 }, via: 'fresh' });
  assert.deepEqual(await queue.getCachedResult('count:a'), { count: { words: 3 }, via: 'memory' });
  assert.deepEqual((await queue.getStatus(id))?.result, { words: 3 });
  assert.deepEqual(await queue.submit({ data: { key: 'count:a', text: 'ignored' } }), { id, deduplicated: true });
  const blob = await queue.submit({ data: { key: 'count:b', blobId: 'b', blobBytes: 9 }, audio: Buffer.from('four five') });
  assert.deepEqual((await queue.waitForResult(blob.id, 1000)).count, { words: 2 });
  assert.deepEqual(finished, [{ words: 3 }, { words: 2 }]);
  await queue.close();
});

test('BullMQ: the codec writes the Redis value, upload bytes sit under the accessor id and are counted', async () => {
  const config = testConfig();
  const queue = await createBullmqQueue({ spec: countJobs, config, redisUrl: REDIS_URL, logger: silentLogger });
  const redis = new Redis(REDIS_URL);
  const base = `${config.QUEUE_PREFIX}:${config.QUEUE_NAME}`;
  try {
    const { id } = await queue.submit({ data: { key: 'count:c', blobId: 'c1', blobBytes: 14 }, audio: Buffer.from('a b c d e f g ') });
    assert.equal(await queue.queuedBytes(), 14, 'bytes named by uploadOf, before any worker runs');
    assert.equal((await redis.getBuffer(`${base}:upload:c1`))?.toString(), 'a b c d e f g ');
    const worker = startBullmqWorker({ spec: countJobs, config, redisUrl: REDIS_URL, process: countWords, logger: silentLogger });
    try {
      await worker.ready();
      // The worker returns a reference (cache TTL >= retention by default): the API reads the codec's bytes back.
      assert.deepEqual(await queue.waitForResult(id, 5000), { count: { words: 7 }, via: 'redis' });
      assert.equal(await redis.get(`${base}:result:count:c`), 'words=7');
      assert.equal(await redis.exists(`${base}:upload:c1`), 0, 'bytes deleted once done');
      assert.deepEqual((await queue.getStatus(id))?.result, { words: 7 });
    } finally {
      await worker.close();
    }
  } finally {
    redis.disconnect();
    await queue.close();
    await cleanupRedis(config.QUEUE_PREFIX);
  }
});
