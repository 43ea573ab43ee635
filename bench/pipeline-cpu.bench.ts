// Where a worker's CPU goes: process CPU time (all of Node's threads, not the ffmpeg child) of each
// pipeline stage run in sequence on a 30-s mp3, as a worker runs them, 400 ms apart (one job at a
// time), cold spawn, warm pool, and warm pool started by the spawn helper (FFMPEG_PATH picks the
// binary). The sum of these is what caps sustained throughput on 2 cores
// together with ffmpeg's own CPU (docs/api.md); compare with the same stages timed alone in
// `npm run bench audio` / `model`: the difference is work a stage leaves behind (GC, spawns).
// Run: npm run bench pipeline-cpu
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeWarmDecoders } from '../src/audio/ffmpeg/warm-decoder.js';
import { renderMfccImage } from '../src/genre/mfcc-image.js';
import { createGenrePipeline, loadGenrePipeline } from '../src/genre/pipeline.js';
import { formatTimings, summarize, type Timing } from './lib.js';

const RUNS = 20;
const WARM_UP = 5;

export default async function pipelineCpuBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'music-prediction-bench-'));
  try {
    const mp3 = join(dir, 'clip.mp3');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=30', '-af', 'pan=stereo|c0=c0|c1=0.5*c0', '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '192k', mp3], { timeout: 60_000 });
    const input = readFileSync(mp3);
    const loaded = await loadGenrePipeline(process.env.MODEL_DIR ?? 'models/genre-cnn', { backend: 'wasm' });
    const { model } = loaded;
    const modes = [
      { label: 'cold spawn', warmPool: false, spawnHelper: false },
      { label: 'warm pool, forked by this process', warmPool: true, spawnHelper: false },
      { label: 'warm pool through the spawn helper (the service default)', warmPool: true, spawnHelper: true },
    ];
    const ffmpegPath = process.env.FFMPEG_PATH || undefined;
    for (const { label, warmPool, spawnHelper } of modes) {
      const pipeline = createGenrePipeline({ model, limits: { warmPool, spawnHelper, ...(ffmpegPath ? { ffmpegPath } : {}) } });
      const cpu: Record<string, number[]> = { decode: [], mfcc: [], classify: [], image: [] };
      const stage = async <T>(name: string, run: () => Promise<T> | T, record: boolean): Promise<T> => {
        const start = process.cpuUsage();
        const value = await run();
        const used = process.cpuUsage(start);
        if (record) cpu[name]!.push((used.user + used.system) / 1000);
        return value;
      };
      for (let i = 0; i < WARM_UP + RUNS; i++) {
        await new Promise((resolve) => setTimeout(resolve, 400));
        const record = i >= WARM_UP;
        // One extract call; the decode's CPU is read when it hands over to the MFCC.
        const start = process.cpuUsage();
        let decoded = start;
        const { mfcc } = await pipeline.extract(input, { onDecoded: () => { decoded = process.cpuUsage(); } });
        const done = process.cpuUsage();
        if (record) {
          cpu.decode!.push((decoded.user + decoded.system - start.user - start.system) / 1000);
          cpu.mfcc!.push((done.user + done.system - decoded.user - decoded.system) / 1000);
        }
        await stage('classify', () => pipeline.classify(mfcc), record);
        await stage('image', () => renderMfccImage({ mfcc }), record);
      }
      const rows: Timing[] = Object.entries(cpu).map(([name, samples]) => summarize(`${name} (process CPU ms)`, samples));
      const totals = cpu.decode!.map((_, i) => Object.values(cpu).reduce((sum, s) => sum + s[i]!, 0));
      rows.push(summarize('all four stages (process CPU ms)', totals));
      console.log(formatTimings(`pipeline CPU per 30-s mp3 in one Node process, ${label} (model ${model.name}@${model.version})`, rows));
    }
    loaded.dispose();
  } finally {
    await closeWarmDecoders();
    rmSync(dir, { recursive: true, force: true });
  }
}
