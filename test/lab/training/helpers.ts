// Training fixtures shared by the training tests.
import type { LabelledClip } from '../../../src/lab/training/train-options.js';

/** Two kinds of 200-frame, 13-coefficient clips (label i % 2) that a tiny network tells apart. */
export function syntheticClips(count: number): LabelledClip[] {
  return Array.from({ length: count }, (_, i) => {
    const frames = 200;
    const data = new Float32Array(13 * frames);
    for (let j = 0; j < data.length; j++) data[j] = Math.sin(j * (0.01 + (i % 2) * 0.05)) * 10 + (i % 2) * 5;
    return { mfcc: { data, nMfcc: 13, frames }, label: i % 2 };
  });
}
