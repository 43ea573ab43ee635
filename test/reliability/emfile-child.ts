// Run by fd-leak.test.ts under a low `ulimit -n`: decodes once through the warm pool and the spawn
// helper, then takes every free descriptor and decodes again (every spawn path now fails with
// EMFILE), then gives them back and decodes once more. Prints one JSON line with what happened;
// a crash (the old uncaught TypeError) shows as a non-zero exit without that line.
import { openSync, closeSync } from 'node:fs';
import { decodeAudio } from '../../src/audio/decode.js';
import { closeWarmDecoders } from '../../src/audio/ffmpeg/warm-decoder.js';

const input = Buffer.from(process.argv[2] ?? '', 'base64');
const decode = () => decodeAudio({ input, warmPool: true, spawnHelper: true, timeoutMs: 10_000 });
const outcome = (p: Promise<{ durationSeconds: number }>) =>
  p.then((d) => ({ ok: true, seconds: d.durationSeconds }), (err: Error & { code?: string; status?: number }) => ({ ok: false, code: err.code, status: err.status, message: err.message }));

const first = await outcome(decode());
const hogs: number[] = [];
for (;;) {
  try {
    hogs.push(openSync('/dev/null', 'r'));
  } catch {
    break;
  }
}
const starved = [await outcome(decode()), await outcome(decode())];
hogs.forEach((fd) => closeSync(fd));
const recovered = await outcome(decode());
await closeWarmDecoders();
console.log(JSON.stringify({ first, hogs: hogs.length, starved, recovered }));
