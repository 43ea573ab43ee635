import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.js';

test('defaults give the embedded mode: no Redis, bundled model, deezer then itunes', () => {
  const config = loadConfig({});
  assert.equal(config.REDIS_URL, undefined);
  assert.equal(config.MODEL_DIR, 'models/genre-cnn');
  assert.deepEqual(config.PREVIEW_PROVIDERS, ['deezer', 'itunes']);
  assert.equal(config.ALLOW_INSECURE_PREVIEWS, false);
  assert.equal(config.DEEZER_BASE_URL, 'https://api.deezer.com');
  assert.ok(Object.isFrozen(config));
});

test('values are coerced and trailing slashes dropped from base URLs', () => {
  const config = loadConfig({
    PORT: '8080',
    PREVIEW_PROVIDERS: 'itunes, deezer',
    DEEZER_BASE_URL: 'http://127.0.0.1:9000/',
    ALLOW_INSECURE_PREVIEWS: 'true',
    CORS_ORIGINS: 'https://a.example, https://b.example',
    REDIS_URL: 'redis://127.0.0.1:6379',
  });
  assert.equal(config.PORT, 8080);
  assert.deepEqual(config.PREVIEW_PROVIDERS, ['itunes', 'deezer']);
  assert.equal(config.DEEZER_BASE_URL, 'http://127.0.0.1:9000');
  assert.equal(config.ALLOW_INSECURE_PREVIEWS, true);
  assert.deepEqual(config.CORS_ORIGINS, ['https://a.example', 'https://b.example']);
});

test('empty strings count as unset', () => {
  assert.equal(loadConfig({ REDIS_URL: '', PORT: ' ' }).PORT, 3000);
});

test('every invalid variable is listed at once', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', PREVIEW_PROVIDERS: 'napster', DEEZER_BASE_URL: 'ftp://x', REDIS_URL: 'http://x' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      const joined = err.problems.join('\n');
      for (const key of ['PORT', 'PREVIEW_PROVIDERS', 'DEEZER_BASE_URL', 'REDIS_URL']) assert.match(joined, new RegExp(key));
      return true;
    },
  );
});

test('spotify credentials come in pairs', () => {
  assert.throws(() => loadConfig({ SPOTIFY_CLIENT_ID: 'id' }), ConfigError);
  assert.equal(loadConfig({ SPOTIFY_CLIENT_ID: 'id', SPOTIFY_CLIENT_SECRET: 's' }).SPOTIFY_CLIENT_ID, 'id');
});

test('REDIS_URL: redis:// and rediss:// URLs or an absolute Unix socket path (optionally ?db=N)', () => {
  for (const ok of ['redis://127.0.0.1:6379', 'rediss://user:pw@redis.example:6380/2', '/run/redis/redis.sock', '/tmp/redis.sock?db=2']) {
    assert.equal(loadConfig({ REDIS_URL: ok }).REDIS_URL, ok);
  }
  for (const bad of ['run/redis.sock', 'unix:///tmp/redis.sock', 'http://127.0.0.1:6379', '/tmp/redis.sock?password=x']) {
    assert.throws(() => loadConfig({ REDIS_URL: bad }), (err: unknown) => err instanceof ConfigError && err.problems.some((p) => /REDIS_URL/.test(p)), bad);
  }
});
