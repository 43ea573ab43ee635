// The layout's rules, checked on the real import graph of src/: imports point one way (entries →
// service/lab → genre/previews → features/audio → base) and the serving entries never reach
// training code.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';

const SRC = 'src';
const RANK: Record<string, number> = { base: 0, audio: 1, features: 1, genre: 2, previews: 2, service: 3, lab: 3, cli: 4, entry: 4 };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Relative import specifiers, static and dynamic, resolved to src/ paths (.js → .ts). */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)];
  return found.map((m) => join(dirname(file), (m[1] ?? m[2])!).replace(/\.js$/, '.ts'));
}

/** The folder a module belongs to: its first folder under src/; at the top, cli.ts is the CLI,
 * server.ts and worker.ts are the serving entries, the rest is the base. */
export function wingOf(file: string): string {
  const [first, second] = relative(SRC, file).split('/');
  if (second !== undefined) return first!;
  if (first === 'cli.ts') return 'cli';
  return ['server.ts', 'worker.ts'].includes(first!) ? 'entry' : 'base';
}

/** Why an import from `from` to `to` breaks the layout, or undefined when it is allowed. */
export function wrongWay(from: string, to: string): string | undefined {
  const a = wingOf(from);
  const b = wingOf(to);
  if (a === b) return undefined;
  // `serve` and `worker` start the entries; the entries themselves never reach the lab.
  if (a === 'cli' && b === 'entry') return undefined;
  if (RANK[b]! < RANK[a]! && !(a === 'entry' && b === 'lab')) return undefined;
  return `${a}/ may not import ${b}/`;
}

const files = sourceFiles(SRC);

test('imports point one way: entries → service/lab → genre/previews → features/audio → base', () => {
  const wrong = files.flatMap((f) => importsOf(f).map((to) => ({ f, to, why: wrongWay(f, to) }))).filter((x) => x.why);
  assert.deepEqual(wrong.map((x) => `${x.f} → ${x.to}: ${x.why}`), []);
});

test('the rule refuses a wrong-way import, a same-level import and a lab import from serving', () => {
  assert.match(wrongWay('src/features/mfcc.ts', 'src/genre/model/metadata.ts') ?? '', /features\/ may not import genre\//);
  assert.match(wrongWay('src/genre/model/backend.ts', 'src/lab/network/wasm-kernels/register.ts') ?? '', /genre\/ may not import lab\//);
  assert.match(wrongWay('src/service/app.ts', 'src/lab/training/train.ts') ?? '', /service\/ may not import lab\//);
  assert.match(wrongWay('src/server.ts', 'src/lab/training/train.ts') ?? '', /entry\/ may not import lab\//);
  assert.match(wrongWay('src/genre/pipeline.ts', 'src/previews/download.ts') ?? '', /genre\/ may not import previews\//);
  assert.equal(wrongWay('src/cli/train.ts', 'src/lab/training/train.ts'), undefined);
  assert.deepEqual(importsOf('src/x/a.ts', "import { a } from '../b.js';\nconst m = await import('./c/d.js');"), ['src/b.ts', 'src/x/c/d.ts']);
});

test('the serving entries reach no training code and register no gradient kernels', () => {
  for (const entry of ['src/server.ts', 'src/worker.ts']) {
    const seen = new Set<string>();
    const todo = [entry];
    while (todo.length > 0) {
      const file = todo.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      todo.push(...importsOf(file));
    }
    const reached = [...seen];
    assert.ok(reached.includes('src/genre/pipeline.ts'), `${entry} should reach the genre pipeline`);
    assert.deepEqual(reached.filter((f) => wingOf(f) === 'lab'), [], `${entry} reaches training code`);
    assert.deepEqual(reached.filter((f) => /registerKernel\(/.test(readFileSync(f, 'utf8'))), [], `${entry} registers kernels`);
  }
});

/** Why a queue module's import breaks "the queue knows nothing about the shape of a prediction". */
export function queueLeak(from: string, to: string): string | undefined {
  if (!from.startsWith('src/service/queue/')) return undefined;
  const banned = ['src/service/predictions/', 'src/service/routes/', 'src/genre/', 'src/previews/', 'src/types.ts'];
  const hit = banned.find((b) => to.startsWith(b));
  return hit === undefined ? undefined : `service/queue may not import ${hit.replace(/^src\//, '')}`;
}

test('the generic queue imports nothing about predictions (job kinds, results, codec, processor)', () => {
  const wrong = files.flatMap((f) => importsOf(f).map((to) => ({ f, to, why: queueLeak(f, to) }))).filter((x) => x.why);
  assert.deepEqual(wrong.map((x) => `${x.f} → ${x.to}: ${x.why}`), []);
  assert.match(queueLeak('src/service/queue/job-queue.ts', 'src/service/predictions/result-json.ts') ?? '', /may not import service\/predictions\//);
  assert.match(queueLeak('src/service/queue/redis-stores.ts', 'src/genre/result.ts') ?? '', /may not import genre\//);
  assert.match(queueLeak('src/service/queue/job-queue.ts', 'src/types.ts') ?? '', /may not import types\.ts/);
  assert.equal(queueLeak('src/service/predictions/jobs.ts', 'src/service/queue/job-queue.ts'), undefined);
  assert.equal(queueLeak('src/service/queue/bullmq-queue.ts', 'src/errors.ts'), undefined);
});
