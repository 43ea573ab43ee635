// applyServerLimits on a bare node:http server: which requests count as uploads still arriving
// (the ones shutdown drops). A request answered before its body arrived no longer counts, so
// refusals (413, 429, 503) cannot pile up in memory.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { applyServerLimits } from '../../src/service/http-limits.js';
import { stalledUpload } from '../reliability/raw-http.js';
import { withinMs } from '../reliability/helpers.js';
import { sleep } from './queue/helpers.js';

const limitsConfig = {
  HTTP_IDLE_TIMEOUT_MS: 30_000,
  HTTP_REQUEST_TIMEOUT_MS: 120_000,
  HTTP_HEADERS_TIMEOUT_MS: 10_000,
  HTTP_KEEP_ALIVE_TIMEOUT_MS: 5_000,
  MAX_CONNECTIONS_PER_CLIENT: 0,
  MAX_UPLOAD_BYTES: 1_000_000,
  TRUST_PROXY: false,
};

test('requests refused before their body arrived are forgotten; one still arriving is dropped at shutdown', async () => {
  // /refuse answers at once and closes, like the upload slots' 413/429/503; anything else is held.
  const server = createServer((req, res) => {
    if (req.url === '/refuse') res.writeHead(413, { connection: 'close', 'content-type': 'application/json' }).end('{}');
  });
  const limits = applyServerLimits(server, limitsConfig);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const port = (server.address() as { port: number }).port;
  try {
    for (let i = 0; i < 20; i++) {
      const refused = await stalledUpload(port, { declaredBytes: 500_000, sentBytes: 20_000, path: '/refuse' });
      await refused.waitFor(/^HTTP\/1\.1 413 /, 2_000);
      await withinMs(2_000, 'refused upload closed', refused.closed);
    }
    const held = await stalledUpload(port, { declaredBytes: 500_000, sentBytes: 20_000, path: '/hold' });
    await sleep(100);
    assert.equal(limits.dropUnfinishedRequests(), 1, 'only the upload still arriving counts');
    await withinMs(2_000, 'held upload dropped', held.closed);
  } finally {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});
