// The API's MFCC image is the 2017 one: 13 coefficients, whatever a model reads. The ortho DCT's
// row k does not depend on how many rows are computed, so the first 13 rows of a 20- or
// 40-coefficient MFCC are the 13-coefficient MFCC (up to float rounding).
import type { MfccMatrix } from '../types.js';

export const IMAGE_COEFFICIENTS = 13;

export function imageCoefficients(mfcc: MfccMatrix): MfccMatrix {
  if (mfcc.nMfcc <= IMAGE_COEFFICIENTS) return mfcc;
  return { data: mfcc.data.subarray(0, IMAGE_COEFFICIENTS * mfcc.frames), nMfcc: IMAGE_COEFFICIENTS, frames: mfcc.frames };
}
