// Validates docker-compose.yml without a Docker engine: the three services, persistence and
// eviction policy of Redis, ports, replicas, health checks (the api's is executed here for real),
// depends_on conditions, and that every environment variable is a setting src/config.ts knows
// and that the defaults the file supplies pass the config schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { configSchema, loadConfig } from '../../src/config.js';
import { runHealthCheck } from './healthcheck.js';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string | number | boolean>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  deploy?: { replicas?: number };
  container_name?: string;
  volumes?: string[];
}

const text = readFileSync('docker-compose.yml', 'utf8');
const compose = parse(text, { merge: true }) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const { redis, api, worker } = compose.services;
const appServices = { api: api!, worker: worker! };

/** Compose's `${NAME:-default}` / `${NAME-default}` / `${NAME}`: what the container gets when NAME is unset. */
const withDefaults = (value: string | number | boolean) =>
  String(value).replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _name: string, fallback?: string) => fallback ?? '');

test('top-level keys that Debian bookworm\'s docker-compose 1.29 also reads (no `name:`)', () => {
  // Compose v1 rejects any other top-level key, and bookworm ships no compose v2 plugin.
  const keys = Object.keys(parse(text) as object).filter((key) => !key.startsWith('x-'));
  for (const key of keys) assert.ok(['services', 'volumes', 'networks', 'configs', 'secrets'].includes(key), `top-level ${key}`);
});

test('three services: redis, api and worker', () => {
  assert.deepEqual(Object.keys(compose.services).sort(), ['api', 'redis', 'worker']);
});

test('redis persists with append-only files and never evicts (BullMQ needs noeviction)', () => {
  assert.match(redis!.image ?? '', /^redis:7\b/);
  const command = redis!.command!.join(' ');
  assert.match(command, /--appendonly yes/);
  assert.match(command, /--maxmemory-policy noeviction/);
  assert.ok(redis!.volumes?.some((v) => v.endsWith(':/data')), 'a volume keeps /data');
  assert.ok(compose.volumes && 'redis-data' in compose.volumes);
  assert.deepEqual(redis!.healthcheck?.test, ['CMD', 'redis-cli', 'ping']);
});

test('api publishes port 3000 and listens on all interfaces inside the container', () => {
  assert.deepEqual(api!.ports, ['3000:3000']);
  assert.equal(String(api!.environment?.HOST), '0.0.0.0');
  assert.equal(String(api!.environment?.PORT), '3000');
  assert.deepEqual(api!.command, ['node', 'dist/src/server.js']);
});

test('two worker replicas from the same image, running the worker entry point', () => {
  assert.equal(worker!.deploy?.replicas, 2);
  assert.equal(worker!.container_name, undefined, 'a fixed container name would forbid replicas');
  assert.equal(worker!.ports, undefined, 'replicas cannot share a host port');
  assert.deepEqual(worker!.command, ['node', 'dist/src/worker.js']);
  assert.equal(worker!.image, api!.image);
  assert.deepEqual(worker!.build, api!.build);
  // The image's HEALTHCHECK asks /healthz over HTTP; a worker serves no HTTP, so inheriting it
  // would mark every healthy worker unhealthy.
  assert.equal(worker!.healthcheck?.disable, true);
});

test('api and workers wait for a healthy redis and reach it by its service name', () => {
  for (const [name, service] of Object.entries(appServices)) {
    assert.deepEqual(service.depends_on, { redis: { condition: 'service_healthy' } }, name);
    assert.equal(new URL(withDefaults(service.environment!.REDIS_URL!)).host, 'redis:6379', name);
  }
});

test('every environment variable is a config setting, and the defaults given here are valid', () => {
  const known = Object.keys(configSchema.shape);
  for (const [name, service] of Object.entries(appServices)) {
    const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, withDefaults(v)]));
    for (const key of Object.keys(env)) assert.ok(known.includes(key), `${name}: ${key} is not in configSchema`);
    assert.doesNotThrow(() => loadConfig(env), `${name}: its environment fails the config schema`);
  }
  for (const [, variable] of text.matchAll(/\$\{(\w+)/g)) {
    assert.ok(known.includes(variable!), `\${${variable}} is not a config setting`);
  }
});

test('api health check uses node, asks /readyz and fails when the app is not ready', async () => {
  const [kind, ...command] = api!.healthcheck!.test!;
  assert.equal(kind, 'CMD');
  assert.equal((await runHealthCheck({ command, path: '/readyz', status: 200 })).exitCode, 0);
  assert.equal((await runHealthCheck({ command, path: '/readyz', status: 503 })).exitCode, 1);
});
