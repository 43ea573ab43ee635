// Shared benchmark helpers: same input, warm-up runs, several timed runs, medians.
import { performance } from 'node:perf_hooks';

export interface Timing {
  name: string;
  runs: number;
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  minMs: number;
  extra?: Record<string, string | number>;
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summarize(name: string, samplesMs: number[], extra?: Timing['extra']): Timing {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    name,
    runs: sorted.length,
    medianMs: quantile(sorted, 0.5),
    p10Ms: quantile(sorted, 0.1),
    p90Ms: quantile(sorted, 0.9),
    minMs: sorted[0] ?? Number.NaN,
    ...(extra ? { extra } : {}),
  };
}

/** Times `fn` `runs` times after `warmup` untimed calls. */
export async function measure(
  name: string,
  fn: () => unknown | Promise<unknown>,
  { warmup = 3, runs = 15, extra }: { warmup?: number; runs?: number; extra?: Timing['extra'] } = {},
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return summarize(name, samples, extra);
}

export function formatTimings(title: string, timings: Timing[]): string {
  const rows = timings.map((t) => {
    const extra = t.extra ? '  ' + Object.entries(t.extra).map(([k, v]) => `${k}=${v}`).join(' ') : '';
    return `  ${t.name.padEnd(44)} median ${t.medianMs.toFixed(2).padStart(9)} ms  p10 ${t.p10Ms.toFixed(2).padStart(9)}  p90 ${t.p90Ms.toFixed(2).padStart(9)}  (n=${t.runs})${extra}`;
  });
  return [`== ${title}`, ...rows].join('\n');
}
