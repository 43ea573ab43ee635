// A fixed CPU-bound loop, timed before and after the benchmarks, printed with them. Why: shared
// 2-core VMs change speed by up to ≈ 1.5× within an hour (docs/api.md), so a figure is only
// comparable with another taken at the same probe speed. Two copies run at once as well: on a machine with two real cores they take
// as long as one alone; when they take twice as long, the second core is not really there.
import { Worker } from 'node:worker_threads';

const LOOP = `let x = 0; for (let i = 0; i < 2e7; i++) x += Math.sqrt(i); x`;

function timeLoop(): number {
  const t0 = performance.now();
  new Function(LOOP)();
  return performance.now() - t0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/** Median ms of the loop alone, and while a worker thread runs the same loop (5 runs each). */
export async function probeMachineSpeed(): Promise<{ aloneMs: number; pairedMs: number }> {
  timeLoop();
  const alone = Array.from({ length: 5 }, timeLoop);
  const worker = new Worker(`const { parentPort } = require('node:worker_threads');
    parentPort.on('message', () => { const t0 = performance.now(); new Function(${JSON.stringify(LOOP)})(); parentPort.postMessage(performance.now() - t0); });`, { eval: true });
  const paired: number[] = [];
  try {
    for (let i = 0; i < 6; i++) {
      const other = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('go');
      const ms = timeLoop();
      await other;
      if (i > 0) paired.push(ms);
    }
  } finally {
    await worker.terminate();
  }
  return { aloneMs: median(alone), pairedMs: median(paired) };
}

export function formatSpeed(label: string, { aloneMs, pairedMs }: { aloneMs: number; pairedMs: number }): string {
  return `machine speed ${label}: fixed loop ${aloneMs.toFixed(1)} ms alone, ${pairedMs.toFixed(1)} ms with a second thread running it (×${(pairedMs / aloneMs).toFixed(2)})`;
}
