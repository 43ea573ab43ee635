// Output paths are checked when the command line is read, not after minutes of work.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli as cli } from '../helpers/cli.js';

test('train --out or --cache-dir on a file, evaluate --json/--png in a missing folder or on a folder: usage errors (exit 2) before any data is read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-out-'));
  try {
    const file = join(dir, 'precious');
    writeFileSync(file, 'keep me\n');
    // The data path does not exist either: the output is refused first, so nothing was read.
    const cases: Array<[string[], RegExp]> = [
      [['train', '--data', join(dir, 'none.tsv'), '--out', file], /--out .* exists and is not a folder/],
      [['evaluate', '--data', join(dir, 'none.tsv'), '--json', join(dir, 'missing', 'r.json')], /--json .*: its folder does not exist/],
      [['evaluate', '--data', join(dir, 'none.tsv'), '--json', dir], /--json .* is a folder, not a file/],
      [['evaluate', '--data', join(dir, 'none.tsv'), '--png', join(dir, 'missing', 'c.png')], /--png .*: its folder does not exist/],
      [['evaluate', '--data', join(dir, 'none.tsv'), '--cache-dir', file], /--cache-dir .* exists and is not a folder/],
      [['train', '--data', join(dir, 'none.tsv'), '--out', join(dir, 'model'), '--cache-dir', file], /--cache-dir .* exists and is not a folder/],
    ];
    for (const [args, message] of cases) {
      const r = cli(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
