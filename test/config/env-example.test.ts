import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { configSchema, loadConfig } from '../../src/config.js';

const documented = (text: string) =>
  new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!));

test('.env.example documents every setting of the config schema, and nothing else', () => {
  const keys = documented(readFileSync('.env.example', 'utf8'));
  assert.deepEqual([...keys].sort(), Object.keys(configSchema.shape).sort());
});

test('the values written in .env.example parse, and equal the defaults', () => {
  const text = readFileSync('.env.example', 'utf8');
  const env = Object.fromEntries(
    [...text.matchAll(/^([A-Z][A-Z0-9_]+)=(\S*)/gm)].map((m) => [m[1]!, m[2]!]),
  );
  assert.deepEqual(loadConfig(env), loadConfig({}));
});

test('the README configuration table names every setting', () => {
  const readme = readFileSync('README.md', 'utf8');
  const missing = Object.keys(configSchema.shape).filter((k) => !readme.includes(`\`${k}\``));
  assert.deepEqual(missing, []);
});
