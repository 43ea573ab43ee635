// Features for the cross-source folds (docs/experiments.md): each file decoded (≤ 90 s), optionally
// through an mp3/aac round trip or a low-pass filter, cut into 30-s windows, 40 MFCC rows each (the
// first n rows are the n-coefficient MFCC). Usage: npx tsx scripts/cross-source/extract.ts <manifest>
// <out-prefix> [orig|mp3|aac|lowpass] [max-seconds]
// lowpass: the decoded samples through bandLimit (src/lab/training/band-limit.ts) at the file's
// cutoff (bandLimitCutoffHz of source/file name), the augmentation `train --band-limit` applies.
import { readDataset } from '../../src/lab/datasets/manifest.js';
import { decodeAudio } from '../../src/audio/decode.js';
import { computeMfcc } from '../../src/features/mfcc.js';
import { bandLimit, bandLimitCutoffHz, bandLimitKey } from '../../src/lab/training/band-limit.js';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
const [manifest, out, variant = 'orig', maxSecArg = '90'] = process.argv.slice(2);
const maxSec = Number(maxSecArg);
const entries = await readDataset({ location: manifest! });
const ff = '/usr/bin/ffmpeg';
if (!['orig', 'mp3', 'aac', 'lowpass'].includes(variant)) throw new Error(`unknown variant ${variant}`);
function roundTrip(path: string): Promise<Buffer> {
  const args = variant === 'mp3' ? ['-c:a', 'libmp3lame', '-b:a', '128k', '-f', 'mp3'] : ['-c:a', 'aac', '-b:a', '96k', '-f', 'adts'];
  return new Promise((res, rej) => {
    const p = spawn(ff, ['-v', 'error', '-t', String(maxSec), '-i', path, '-ac', '1', '-ar', '44100', ...args, 'pipe:1']);
    const chunks: Buffer[] = [];
    p.stdout.on('data', (c) => chunks.push(c));
    p.on('close', (code) => (code === 0 ? res(Buffer.concat(chunks)) : rej(new Error('ffmpeg ' + code))));
  });
}
const rows: unknown[] = [];
const datas: Float32Array[] = [];
let next = 0, done = 0;
const results: ({ meta: Record<string, unknown>; data: Float32Array }[] | undefined)[] = new Array(entries.length);
async function worker() {
  while (next < entries.length) {
    const i = next++;
    const e = entries[i]!;
    try {
      const input = variant === 'orig' || variant === 'lowpass' ? e.path : await roundTrip(e.path);
      const a = await decodeAudio({ input, sampleRate: 22050, maxSeconds: maxSec, minSeconds: 0.5, timeoutMs: 60000 });
      if (variant === 'lowpass') a.samples = bandLimit(a.samples, 22050, bandLimitCutoffHz(bandLimitKey(e)));
      const win = 30 * 22050;
      const n = a.samples.length;
      const starts: number[] = [0];
      for (let s = win; s + 10 * 22050 <= n; s += win) starts.push(s);
      results[i] = starts.map((s, w) => {
        const m = computeMfcc({ samples: a.samples.subarray(s, Math.min(n, s + win)), sampleRate: 22050, nFft: 2048, hopLength: 512, nMels: 128, nMfcc: 40, lifter: 0, fmin: 0, fmax: 11025 });
        return { meta: { ...e, window: w, frames: m.frames }, data: m.data };
      });
    } catch (err) { console.error('fail', e.path, (err as Error).message); }
    if (++done % 50 === 0) console.error(done, '/', entries.length);
  }
}
await Promise.all([worker(), worker()]);
let offset = 0;
for (const r of results) for (const x of r ?? []) { rows.push({ ...x.meta, offset }); datas.push(x.data); offset += x.data.length; }
const all = new Float32Array(offset);
let o = 0; for (const d of datas) { all.set(d, o); o += d.length; }
mkdirSync(dirname(out!), { recursive: true });
writeFileSync(out + '.f32', Buffer.from(all.buffer));
writeFileSync(out + '.json', JSON.stringify(rows));
console.error('wrote', rows.length, 'windows');
