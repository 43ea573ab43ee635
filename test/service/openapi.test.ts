// The contract test: REAL responses of the running app (BullMQ + real pipeline + fake providers)
// validated against the document the app generates from its route schemas (GET /openapi.json),
// with Ajv's JSON Schema 2020-12 dialect (OpenAPI 3.1's); openapi.yaml must be that document.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { generateOpenApiYaml, OPENAPI_FILE } from '../../scripts/openapi.js';
import { audioFixture } from '../helpers/audio-fixtures.js';
import { DEFAULT_TRACKS, pollJob, startTestApp, type TestApp } from './harness.js';

interface Operation {
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }>; headers?: Record<string, unknown> }>;
}
type Doc = { paths: Record<string, Record<string, Operation>>; components: { responses: Record<string, Operation['responses'][string]> } };

let t: TestApp;
let doc: Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('uri', (s: string) => URL.canParse(s));
ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
const checked = new Set<string>();

before(async () => {
  t = await startTestApp({
    queueKind: 'bullmq',
    env: { SYNC_WAIT_MS: '1500' },
    tracks: [...DEFAULT_TRACKS, { artist: 'Slow Band', title: 'Late Song', audio: { seconds: 3 } }],
  });
  const served = await t.http.get('/openapi.json').expect(200).expect('content-type', /application\/json/);
  doc = served.body as Doc;
  ajv.addSchema(doc as object, 'openapi');
  // Warm up ffmpeg and the TF backend so sync answers below come in well under SYNC_WAIT_MS.
  const warm = await t.http.post('/predict?mode=async').attach('file', await readFile(await audioFixture({ format: 'wav', seconds: 2 })), 'w.wav');
  await pollJob(t, warm.headers.location!);
});
after(async () => {
  await t?.close();
});

const pointer = (...parts: string[]) => 'openapi#/' + parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

/** Validates one real response against the documented response for (path, method, status). */
function conforms(path: string, method: string, res: { status: number; headers: Record<string, string>; body: unknown; text: string }): void {
  const op = doc.paths[path]?.[method];
  assert.ok(op, `${method.toUpperCase()} ${path} is documented`);
  let response = op.responses[String(res.status)];
  assert.ok(response, `${method.toUpperCase()} ${path} documents status ${res.status}`);
  let base = pointer('paths', path, method, 'responses', String(res.status));
  if (response.$ref) {
    const name = response.$ref.split('/').at(-1)!;
    response = doc.components.responses[name]!;
    base = pointer('components', 'responses', name);
  }
  const mediaType = res.headers['content-type']!.split(';')[0]!;
  assert.ok(response.content?.[mediaType], `${path} ${res.status} documents ${mediaType}`);
  const validate = ajv.getSchema(`${base}/content/${encodeURIComponent(mediaType.replace(/\//g, '~1'))}/schema`);
  assert.ok(validate, 'schema resolves');
  const value = mediaType === 'application/json' ? res.body : res.text;
  // Schemas document only: the bytes are JSON.stringify's, in the handler's key order.
  if (mediaType === 'application/json') assert.equal(res.text, JSON.stringify(res.body), `${path} ${res.status}: bytes`);
  assert.ok(validate(value), `${method.toUpperCase()} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 300)}`);
  for (const header of Object.keys(response.headers ?? {})) {
    assert.ok(res.headers[header.toLowerCase()], `${path} ${res.status} sends ${header}`);
  }
  checked.add(`${method.toUpperCase()} ${path} ${res.status}`);
}

test('openapi.yaml is the generated document (run `npm run openapi` after changing a route schema)', async () => {
  const generated = await generateOpenApiYaml();
  const committed = await readFile(OPENAPI_FILE, 'utf8');
  const lines = [committed.split('\n'), generated.split('\n')] as const;
  const differs = lines[1].findIndex((line, i) => line !== lines[0][i]);
  const first = differs === -1 ? lines[1].length : differs;
  assert.ok(committed === generated, `${OPENAPI_FILE} is stale from line ${first + 1}: ${JSON.stringify(lines[0][first])} ≠ ${JSON.stringify(lines[1][first])}`);
  // The test app differs from the defaults only in configuration the document does not show.
  assert.deepEqual(parse(generated), doc);
});

test('the API routes are documented; the widget static files and /openapi.json are not', () => {
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of Object.keys(methods)) {
      const url = path.replace('{id}', ':id');
      assert.ok(t.app.hasRoute({ method: method.toUpperCase() as 'GET', url }), `${method} ${path}`);
    }
  }
  for (const path of ['/d/music-prediction', '/predict', '/jobs/{id}', '/healthz', '/readyz', '/metrics']) assert.ok(doc.paths[path], path);
  // The widget's static files and the document itself stay out of it.
  for (const path of ['/', '/*', '/openapi.json']) assert.equal(doc.paths[path], undefined, path);
});

test('real responses conform to the served document', async () => {
  const legacy = '/d/music-prediction';
  const q = (artist: string, track: string, extra = '') => `${legacy}?artist=${encodeURIComponent(artist)}&track=${encodeURIComponent(track)}${extra}`;
  conforms(legacy, 'get', await t.http.get(q('Coolio', "Gangsta's Paradise")));
  conforms(legacy, 'get', await t.http.get(q('Nobody Known', 'Nothing')));
  conforms(legacy, 'get', await t.http.get(`${legacy}?artist=&track=x`));
  const accepted = await t.http.get(q('Miles Davis', 'So What', '&mode=async'));
  conforms(legacy, 'get', accepted);
  const polled = await t.http.get(accepted.headers.location!);
  conforms('/jobs/{id}', 'get', polled);
  await pollJob(t, accepted.headers.location!);
  conforms('/jobs/{id}', 'get', await t.http.get(accepted.headers.location!));
  conforms('/jobs/{id}', 'get', await t.http.get('/jobs/xyz'));
  conforms('/jobs/{id}', 'get', await t.http.get(`/jobs/${'0'.repeat(32)}`));
  t.fake.setBehaviour({ deezer: 'error500', itunes: 'error500' });
  // A query not asked before: the lookup of 'So What' above is remembered (LOOKUP_CACHE_TTL_S).
  conforms(legacy, 'get', await t.http.get(q('Miles Davis', 'Blue in Green')));
  t.fake.setBehaviour({});

  const mp3 = await readFile(await audioFixture({ format: 'mp3', seconds: 3, frequencyHz: 300 }));
  conforms('/predict', 'post', await t.http.post('/predict').attach('file', mp3, 'a.mp3'));
  const asyncUpload = await t.http.post('/predict?mode=async').attach('file', Buffer.concat([mp3, Buffer.alloc(1)]), 'b.mp3');
  conforms('/predict', 'post', asyncUpload);
  await pollJob(t, asyncUpload.headers.location!);
  conforms('/jobs/{id}', 'get', await t.http.get(asyncUpload.headers.location!));
  conforms('/predict', 'post', await t.http.post('/predict').field('x', 'y'));
  conforms('/predict', 'post', await t.http.post('/predict').attach('file', Buffer.from('plain text, not audio'.repeat(20)), 'c.mp3'));
  conforms('/predict', 'post', await t.http.post('/predict').send({}));
  const wav = await readFile(await audioFixture({ format: 'wav', seconds: 0.3 }));
  conforms('/predict', 'post', await t.http.post('/predict').attach('file', wav, 'short.wav'));
  const failed = await t.http.post('/predict?mode=async').attach('file', Buffer.concat([wav, Buffer.alloc(2)]), 'short.wav');
  await pollJob(t, failed.headers.location!);
  conforms('/jobs/{id}', 'get', await t.http.get(failed.headers.location!));

  conforms('/healthz', 'get', await t.http.get('/healthz'));
  conforms('/readyz', 'get', await t.http.get('/readyz'));
  conforms('/metrics', 'get', await t.http.get('/metrics'));
  assert.ok(checked.size >= 15, [...checked].join("\n"));
  for (const expected of ['GET /d/music-prediction 200', 'POST /predict 200', 'GET /d/music-prediction 502', 'GET /d/music-prediction 202', 'GET /d/music-prediction 400', 'POST /predict 415', 'POST /predict 422', 'GET /jobs/{id} 404']) {
    assert.ok(checked.has(expected), expected);
  }
});

test('504 with a job id conforms (sync wait beyond SYNC_WAIT_MS)', async () => {
  t.fake.setBehaviour({ preview: { fault: 'slow', times: 1 }, slowMs: 2500 });
  try {
    const res = await t.http.get('/d/music-prediction?artist=Slow%20Band&track=Late%20Song');
    assert.equal(res.status, 504);
    conforms('/d/music-prediction', 'get', res);
    await pollJob(t, res.headers.location!);
  } finally {
    t.fake.setBehaviour({});
  }
});

test('a model with a "none of the five" output: otherScore and uncertain are documented and conform', async () => {
  const other = await startTestApp({ queueKind: 'inline', env: { MODEL_DIR: 'test/fixtures/tiny-other' } });
  try {
    const mp3 = await readFile(await audioFixture({ format: 'mp3', seconds: 3, frequencyHz: 300 }));
    const res = await other.http.post('/predict').attach('file', mp3, 'a.mp3');
    assert.equal(res.status, 200);
    assert.equal(typeof res.body.otherScore, 'number');
    assert.equal(res.body.uncertain, res.body.otherScore >= 0.1);
    assert.deepEqual(Object.keys(res.body.probabilities), ['Hiphop', 'EDM', 'Classical', 'Metal', 'Jazz']);
    conforms('/predict', 'post', res);
    const schema = (doc as unknown as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } }).components.schemas;
    assert.ok(schema.AudioPrediction!.properties.otherScore && schema.AudioPrediction!.properties.uncertain);
  } finally {
    await other.close();
  }
});
