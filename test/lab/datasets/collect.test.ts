import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import collectCommand from '../../../src/cli/dataset-collect.js';
import { loadConfig } from '../../../src/config.js';
import { collectDataset, type CollectDownloadSettings } from '../../../src/lab/datasets/collect.js';
import { parseCollectCsv } from '../../../src/lab/datasets/collect-csv.js';
import { readDataset } from '../../../src/lab/datasets/manifest.js';
import { createProviders } from '../../../src/previews/providers.js';
import { audioFixtureBytes } from '../../helpers/audio-fixtures.js';
import { startFakeProviders, type FakeProviders } from '../../helpers/fake-providers.js';

let fake: FakeProviders;
let dir: string;
const download: CollectDownloadSettings = { allowInsecure: true, maxBytes: 1_000_000, timeoutMs: 1_000, extraHosts: ['127.0.0.1'] };
const fast = { attempts: 4, baseDelayMs: 10, maxDelayMs: 50 };

before(async () => {
  fake = await startFakeProviders({
    tracks: [
      { id: 1, artist: 'Coolio', title: "Gangsta's Paradise" },
      { id: 2, artist: 'Daft Punk', title: 'Around the World', providers: ['itunes'], audio: { frequencyHz: 880 } },
      { id: 3, artist: 'Miles Davis', title: 'So What, Again' },
    ],
  });
  dir = await mkdtemp(join(tmpdir(), 'collect-test-'));
});
after(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

const providers = () => createProviders({ config: loadConfig({ ...fake.env(), PROVIDER_TIMEOUT_MS: '500' }) });

test('CSV: optional header, quoted commas and quotes, CRLF, blank lines, line numbers', () => {
  const rows = parseCollectCsv({ text: 'artist,track,genre\r\nCoolio,"Gangsta\'s Paradise",Hiphop\r\n\r\n"Miles Davis","So What, ""Again""",Jazz\n"Multi\nLine",T,EDM\n' });
  assert.deepEqual(rows, [
    { row: 2, artist: 'Coolio', track: "Gangsta's Paradise", genre: 'Hiphop' },
    { row: 4, artist: 'Miles Davis', track: 'So What, "Again"', genre: 'Jazz' },
    { row: 5, artist: 'Multi\nLine', track: 'T', genre: 'EDM' },
  ]);
  assert.equal(parseCollectCsv({ text: 'Coolio,X,Hiphop' })[0]?.row, 1, 'no header');
});

test('CSV: bad rows are clear InputErrors with the line', () => {
  for (const [text, pattern] of [
    ['a,b,Hiphop\nonly,two\n', /line 2: expected artist,track,genre/],
    ['a,b,c,d', /line 1/],
    ['a,b,../../etc', /genre "..\/..\/etc"/],
    ['a,b,', /genre ""/],
    ['a,"b,Hiphop', /unterminated/],
  ] as const) {
    assert.throws(() => parseCollectCsv({ text }), (err: Error & { code?: string }) => err.code === 'BAD_CSV' && pattern.test(err.message));
  }
});

test('collects previews, records misses and duplicates, survives a quota error, and resumes', async () => {
  const out = join(dir, 'run1');
  const rows = parseCollectCsv({ text: [
    'Coolio,Gangsta\'s Paradise,Hiphop',
    'Daft Punk,Around the World,EDM',
    'Nobody,Nothing At All,Jazz',
    'coolio,gangsta\'s paradise,Hiphop ', // the same row again: resumed within the run
    'Coolio feat. L.V.,Gangsta\'s Paradise (Remix),Hiphop', // another row, same track: a duplicate
    'Coolio,Gangsta\'s Paradise,EDM', // same track, other genre: a second file, same group
  ].join('\n') });
  // First attempt of row 1: Deezer over quota and iTunes down → a retry after backoff succeeds.
  fake.setBehaviour({ deezer: { fault: 'quota', times: 1 }, itunes: { fault: 'error500', times: 1 } });
  fake.requests.length = 0;
  const warnings: unknown[] = [];
  const logger = { warn: (o: unknown) => warnings.push(o), info: () => {}, debug: () => {} } as never;
  const summary = await collectDataset({ rows, outDir: out, providers: providers(), download, logger, ...fast });
  assert.deepEqual({ ...summary, failed: summary.failed.length }, {
    rows: 6, downloaded: 3, resumed: 1, missed: 1, duplicates: 1, failed: 0, byProvider: { deezer: 2, itunes: 1 },
  });
  assert.deepEqual(warnings.filter((w) => (w as { code?: string }).code !== undefined).map((w) => (w as { code: string }).code), ['PROVIDER_QUOTA'], 'one retry, after the quota error');

  assert.deepEqual(await readFile(join(out, 'Hiphop/deezer-1.mp3')), await audioFixtureBytes({ format: 'mp3' }));
  assert.deepEqual(await readFile(join(out, 'EDM/itunes-2.m4a')), await audioFixtureBytes({ format: 'm4a', frequencyHz: 880 }));
  assert.deepEqual((await readdir(out)).sort(), ['EDM', 'Hiphop', 'manifest.tsv', 'misses.tsv']);

  const dataset = await readDataset({ location: join(out, 'manifest.tsv') });
  assert.deepEqual(dataset.map((e) => [e.path.slice(out.length + 1), e.genre, e.group, e.source]), [
    ['Hiphop/deezer-1.mp3', 'Hiphop', 'deezer:1', 'deezer'],
    ['EDM/itunes-2.m4a', 'EDM', 'itunes:2', 'itunes'],
    ['EDM/deezer-1.mp3', 'EDM', 'deezer:1', 'deezer'],
  ]);
  const misses = (await readFile(join(out, 'misses.tsv'), 'utf8')).trim().split('\n');
  assert.equal(misses.length, 3);
  assert.match(misses[1]!, /^3\tNobody\tNothing At All\tJazz\tno match with a preview$/);
  assert.match(misses[2]!, /^5\t.*\tduplicate: same track as Hiphop\/deezer-1\.mp3$/);

  fake.setBehaviour({});
  fake.requests.length = 0;
  const again = await collectDataset({ rows, outDir: out, providers: providers(), download, ...fast });
  assert.equal(again.resumed, 6);
  assert.equal(again.downloaded + again.missed + again.duplicates, 0);
  assert.equal(fake.requests.length, 0, 'resume asks no provider');
});

test('an outage is not recorded as a miss: the row is retried on the next run', async () => {
  const out = join(dir, 'run2');
  const rows = parseCollectCsv({ text: 'Miles Davis,"So What, Again",Jazz' });
  fake.setBehaviour({ deezer: 'error500', itunes: 'error500' });
  const failed = await collectDataset({ rows, outDir: out, providers: providers(), download, ...fast });
  assert.deepEqual(failed.failed.map((f) => [f.row, f.code]), [[1, 'PROVIDER_UNAVAILABLE']]);
  assert.equal((await readFile(join(out, 'misses.tsv'), 'utf8')).trim().split('\n').length, 1, 'header only');
  fake.setBehaviour({});
  const recovered = await collectDataset({ rows, outDir: out, providers: providers(), download, ...fast });
  assert.equal(recovered.downloaded, 1);
});

test('an expired preview link is looked up again; a refused one is a recorded miss', async () => {
  const out = join(dir, 'run3');
  fake.setBehaviour({ preview: { fault: 'forbidden', times: 1 } });
  fake.requests.length = 0;
  const first = await collectDataset({ rows: parseCollectCsv({ text: 'Coolio,Gangsta\'s Paradise,Hiphop' }), outDir: out, providers: providers(), download, ...fast });
  assert.equal(first.downloaded, 1);
  assert.deepEqual(fake.requests.map((r) => r.server), ['deezer', 'audio', 'deezer', 'audio'], '403, fresh lookup, download');
  fake.setBehaviour({ preview: 'otherHost' });
  const refused = await collectDataset({ rows: parseCollectCsv({ text: 'Miles Davis,"So What, Again",Jazz' }), outDir: out, providers: providers(), download, ...fast });
  assert.equal(refused.missed, 1);
  assert.match(await readFile(join(out, 'misses.tsv'), 'utf8'), /PREVIEW_FORBIDDEN: preview refused: host localhost is not in the allowlist/);
  fake.setBehaviour({});
});

test('the CLI command runs end to end and prints a summary', async () => {
  const out = join(dir, 'cli');
  const csv = join(dir, 'list.csv');
  await writeFile(csv, 'artist,track,genre\nCoolio,Gangsta\'s Paradise,Hiphop\nNobody,Nothing,Jazz\n');
  const saved = { ...process.env };
  Object.assign(process.env, fake.env(), { ALLOW_INSECURE_PREVIEWS: 'true', LOG_LEVEL: 'silent', SPOTIFY_CLIENT_ID: '', SPOTIFY_CLIENT_SECRET: '' });
  const printed: string[] = [];
  const log = console.log;
  console.log = (line: string) => printed.push(line);
  try {
    assert.equal(await collectCommand.run(['--csv', csv, '--out', out, '--providers', 'deezer', '--rate', '10/1s']), 0);
    await assert.rejects(collectCommand.run(['--csv', csv]), /--csv and --out are required/);
    await assert.rejects(collectCommand.run(['--csv', csv, '--out', out, '--rate', 'fast']), /--rate "fast"/);
  } finally {
    console.log = log;
    process.env = saved;
  }
  assert.match(printed.join('\n'), /rows 2: downloaded 1 \(deezer 1\), already done 0, missed 1, duplicates 0, failed 0/);
  assert.deepEqual(await readdir(join(out, 'Hiphop')), ['deezer-1.mp3']);
});
