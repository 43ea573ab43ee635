// One signal's MFCC on several threads, for latency: at light load a worker process has idle
// cores, and the STFT (≈ 75 % of the MFCC's ≈ 50 ms for 30 s) splits exactly by frames. Helper
// threads (piscina) compute the mel power of the leading frame ranges from a copy of just the
// samples those frames read; this thread computes the last range meanwhile, then power_to_db over
// the whole matrix and the DCT (mfcc.ts). Every frame runs the same per-frame code as
// computeMfcc, so the result is bit-identical to it (test/features/mfcc-parallel.test.ts).
// Under full load the split cannot help (the cores are busy anyway), and costs one sample copy
// and a thread hop per job.
import { existsSync } from 'node:fs';
import { Piscina } from 'piscina';
import type { MfccMatrix } from '../types.js';
import { computeMelPower, type MelPowerFrames } from './mel-power.js';
import type { MelPowerTask } from './mel-power-task.js';
import { checkMfccOptions, computeMfcc, mfccFromMelPower, type MfccOptions } from './mfcc.js';
import { frameSamples, stftFrameCount } from './stft.js';

/** Shorter clips (≈ 12 s at hop 512) stay on one thread: the hand-off would eat most of the gain. */
const MIN_FRAMES_TO_SPLIT = 512;

/** The built task module (dist), or the TypeScript source when running under tsx (tests, dev). */
function taskModule(): string {
  const built = new URL('./mel-power-task.js', import.meta.url);
  return (existsSync(built) ? built : new URL('./mel-power-task.ts', import.meta.url)).href;
}

export interface MfccThreads {
  readonly helpers: number;
  /** Clips split across threads, computed alone, and helper tasks that failed (and were redone). */
  readonly counts: { split: number; alone: number; helperFailures: number };
  computeMfcc(options: MfccOptions): Promise<MfccMatrix>;
  close(): Promise<void>;
}

export function createMfccThreads({ helpers, onHelperError, taskFile = taskModule() }: {
  /** Helper threads besides the calling one; 0 = plain computeMfcc. */
  helpers: number;
  /** The helpers' module (default mel-power-task); tests pass a failing one. */
  taskFile?: string;
  /** A failed helper task is recomputed on this thread; this hears about it (e.g. to log). */
  onHelperError?: (err: unknown) => void;
}): MfccThreads {
  if (!Number.isInteger(helpers) || helpers < 0) throw new RangeError(`helpers must be an integer >= 0, got ${helpers}`);
  const pool = helpers > 0
    ? new Piscina<MelPowerTask, Float32Array>({
      filename: taskFile,
      minThreads: helpers,
      maxThreads: helpers,
      idleTimeout: Number.MAX_SAFE_INTEGER,
    })
    : undefined;
  let inFlight = 0;
  const counts = { split: 0, alone: 0, helperFailures: 0 };
  // A thread that dies (it should not: the task is a pure function) is replaced by piscina and its
  // task recomputed here; without a listener the 'error' event would end the process.
  pool?.on('error', (err: unknown) => onHelperError?.(err));

  async function parallelMfcc({ nMfcc = 13, lifter = 0, nMels = 128, nFft = 2048, hopLength = 512, samples, ...melOptions }: MfccOptions): Promise<MfccMatrix> {
    checkMfccOptions({ nMfcc, lifter, nMels });
    const params = { ...melOptions, nFft, hopLength, nMels };
    const frames = stftFrameCount({ length: samples.length, hopLength: params.hopLength });
    // Busy helpers (another job's MFCC, several jobs at once): queueing behind them would be slower
    // than computing alone, so the clip is then computed on this thread.
    if (!pool || frames < MIN_FRAMES_TO_SPLIT || inFlight > 0) {
      counts.alone++;
      return computeMfcc({ samples, ...params, nMfcc, lifter });
    }
    counts.split++;
    inFlight++;
    try {
      return mfccFromMelPower({ mel: await splitMelPower({ pool, samples, params, frames }), nMfcc, lifter });
    } finally {
      inFlight--;
    }
  }

  /** Mel power of all `frames`: the leading ranges on the helpers, the last one on this thread. */
  async function splitMelPower({ pool, samples, params, frames }: {
    pool: Piscina<MelPowerTask, Float32Array>;
    samples: Float32Array;
    params: MelPowerTask['params'] & { nFft: number; hopLength: number; nMels: number };
    frames: number;
  }): Promise<MelPowerFrames> {
    const { nFft, hopLength, nMels } = params;
    const parts = helpers + 1;
    const bounds = Array.from({ length: parts + 1 }, (_, i) => Math.round((frames * i) / parts));
    const helperParts = bounds.slice(0, -2).map(async (firstFrame, i) => {
      const endFrame = bounds[i + 1]!;
      const { start, end } = frameSamples({ nFft, hopLength, signalLength: samples.length, firstFrame, endFrame });
      const range = { signalLength: samples.length, firstFrame, endFrame, sampleOffset: start };
      const slice = samples.slice(start, end);
      try {
        return await pool.run({ samples: slice, params, range }, { transferList: [slice.buffer] });
      } catch (err) {
        counts.helperFailures++;
        onHelperError?.(err);
        return computeMelPower({ ...params, samples: samples.subarray(start, end), range }).data;
      }
    });
    const lastFirst = bounds[parts - 1]!;
    const last = computeMelPower({
      ...params, samples, range: { signalLength: samples.length, firstFrame: lastFirst, endFrame: frames, sampleOffset: 0 },
    });
    const data = new Float32Array(frames * nMels);
    (await Promise.all(helperParts)).forEach((part, i) => data.set(part, bounds[i]! * nMels));
    data.set(last.data, lastFirst * nMels);
    return { data, nMels, frames };
  }

  return {
    helpers,
    counts,
    computeMfcc: parallelMfcc,
    close: async () => pool?.destroy(),
  };
}
