// The decode command line is written out by hand (no private fluent-ffmpeg API): pin its shape,
// since the warm pool and the cold path must run the very same arguments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeArguments, INPUT_FORMATS } from '../../src/audio/decode-arguments.js';

test('decodeArguments: a pipe input is whitelisted to the pipe protocol and the accepted demuxers', () => {
  const args = decodeArguments({ source: 'pipe:0', sampleRate: 22050, maxSeconds: 30, useSoxr: true });
  assert.deepEqual(args, [
    '-hide_banner', '-v', 'error', '-nostdin', '-protocol_whitelist', 'pipe', '-format_whitelist', INPUT_FORMATS,
    '-t', '30', '-i', 'pipe:0', '-ac', '1', '-ar', '22050',
    '-filter:a', 'aresample=22050:rematrix_maxval=1:resampler=soxr,aformat=sample_fmts=flt:channel_layouts=mono',
    '-map', '0:a:0', '-vn', '-sn', '-dn', '-t', '30', '-f', 'f32le', 'pipe:1',
  ]);
});

test('decodeArguments: a file input allows only the file protocol; swr when soxr is off', () => {
  const args = decodeArguments({ source: 'file:/tmp/x.m4a', sampleRate: 16000, maxSeconds: 10, useSoxr: false });
  assert.equal(args[args.indexOf('-protocol_whitelist') + 1], 'file');
  assert.equal(args[args.indexOf('-i') + 1], 'file:/tmp/x.m4a');
  assert.equal(args[args.indexOf('-filter:a') + 1], 'aresample=16000:rematrix_maxval=1,aformat=sample_fmts=flt:channel_layouts=mono');
  assert.equal(args[args.indexOf('-t') + 1], '10');
  assert.equal(args[args.lastIndexOf('-t') + 1], '10');
  assert.ok(args.indexOf('-t') < args.indexOf('-i') && args.lastIndexOf('-t') > args.indexOf('-i'), 'both an input and an output limit');
  assert.ok(!INPUT_FORMATS.split(',').some((f) => ['concat', 'hls', 'applehttp'].includes(f)));
});
