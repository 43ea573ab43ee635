#!/usr/bin/env node
// Node 20's `node --test` does not expand globs, so we list test files ourselves and hand them over.
// Usage: node scripts/run-tests.mjs [substring-filter…]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return findTests(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

const filters = process.argv.slice(2);
const files = findTests('test').filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  // --test-force-exit: a test file whose assertions are done must not hang CI on a leaked handle
  // (known case: BullMQ's QueueEvents keeps reconnecting after close() when Redis is unreachable;
  // the server and worker entries exit explicitly, so only test processes are affected).
  ['--import', 'tsx', '--test', '--test-force-exit', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
