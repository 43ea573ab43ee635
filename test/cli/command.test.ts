import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs } from 'node:util';
import { UsageError, usageErrorOf } from '../../src/cli/command.js';
import { runCli } from '../helpers/cli.js';

const parseError = (args: string[]) => {
  try {
    parseArgs({ args, options: { epochs: { type: 'string' } } });
  } catch (err) {
    return err;
  }
  throw new Error('parseArgs accepted ' + args.join(' '));
};

test('a parseArgs error becomes one line; a value that starts with a dash says how to pass it', () => {
  const dashed = usageErrorOf(parseError(['--epochs', '-1']));
  assert.ok(dashed instanceof UsageError);
  assert.equal(dashed.message, '--epochs needs a value; write --epochs=<value> for one that starts with a dash');
  const unknown = usageErrorOf(parseError(['--bogus']));
  assert.match(unknown.message, /^Unknown option '--bogus'/);
  assert.doesNotMatch(unknown.message, /\n/);
});

test('every command answers a dash-led value with that hint and exit 2', () => {
  for (const args of [['train', '--epochs', '-1'], ['features', '--hop-length', '-5'], ['dataset', 'build-bundled', '--per-genre', '-3']]) {
    const r = runCli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`${args.at(-2)}=<value> for one that starts with a dash`));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
