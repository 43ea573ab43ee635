// Runs in a helper thread of mfcc-parallel.ts (piscina): the mel power of one frame range of a
// signal slice. The same computeMelPower as the single-threaded path, so the values are the same.
import { move } from 'piscina';
import { computeMelPower, type FrameRange, type MelParameters } from './mel-power.js';

export interface MelPowerTask {
  samples: Float32Array;
  params: MelParameters;
  range: FrameRange;
}

export default function melPowerTask({ samples, params, range }: MelPowerTask): Float32Array {
  // move(): the result's buffer is transferred back to the caller, not copied.
  return move(computeMelPower({ ...params, samples, range }).data) as unknown as Float32Array;
}
