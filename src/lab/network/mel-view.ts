// A fixed layer that turns the CNN path's centred cepstral rows back into a smoothed log-mel
// spectrum: the inverse of the orthonormal DCT of src/features/dct.ts, truncated to the nMfcc
// coefficients the model gets and sampled at `bands` evenly spaced mel bands. Why: a 3×3 conv over
// cepstral coefficients mixes rows that are not neighbours in any sense, while on a log-mel image
// a pattern (a formant, a drum's band) stays local and max-pooling over frequency tolerates small
// shifts. The weights never train, so the model still takes the 2017 MFCC input.
import type * as tfjs from '@tensorflow/tfjs';

export const melViewName = (bands: number) => `mel-view${bands}`;

/** nMfcc × bands, row-major: W[k, j] = std_k · s_k · cos(πk(2m_j + 1)/(2·nMels)) at the band
 * centre m_j = (j + ½)·nMels/bands − ½; `std` undoes the per-coefficient normalisation so the
 * output is in dB. Scaled so that Σ_k W[k, j]² averages 1 over the bands. */
export function cepstrumToMelMatrix({ nMfcc, nMels, bands, std }: {
  nMfcc: number;
  nMels: number;
  bands: number;
  std: readonly number[];
}): Float32Array {
  if (std.length < nMfcc) throw new Error(`need ${nMfcc} coefficient spreads, got ${std.length}`);
  if (!(bands >= 2 && bands <= nMels)) throw new Error(`bands must be in 2..${nMels}`);
  const w = new Float64Array(nMfcc * bands);
  for (let k = 0; k < nMfcc; k++) {
    const s = k === 0 ? Math.sqrt(1 / nMels) : Math.sqrt(2 / nMels);
    for (let j = 0; j < bands; j++) {
      const m = ((j + 0.5) * nMels) / bands - 0.5;
      w[k * bands + j] = std[k]! * s * Math.cos((Math.PI * k * (2 * m + 1)) / (2 * nMels));
    }
  }
  let energy = 0;
  for (const x of w) energy += x * x;
  const scale = 1 / Math.sqrt(energy / bands);
  return Float32Array.from(w, (x) => x * scale);
}

/** Applies the view to a symbolic nMfcc × frames × 1 tensor: a frozen conv spanning every
 * coefficient (one output channel per band), then the channels moved to the rows: bands × frames × 1.
 * The kernel is set once the conv is built, so no initial-weights tensor outlives the call. */
export function applyMelView(x: tfjs.SymbolicTensor, { tf, nMfcc, nMels, bands, std }: {
  tf: typeof tfjs;
  nMfcc: number;
  nMels: number;
  bands: number;
  std: readonly number[];
}): tfjs.SymbolicTensor {
  const conv = tf.layers.conv2d({ filters: bands, kernelSize: [nMfcc, 1], padding: 'valid', useBias: false, trainable: false, name: 'mel_view' });
  const bandsAsChannels = conv.apply(x) as tfjs.SymbolicTensor;
  tf.tidy(() => conv.setWeights([tf.tensor4d(cepstrumToMelMatrix({ nMfcc, nMels, bands, std }), [nMfcc, 1, 1, bands])]));
  return tf.layers.permute({ dims: [3, 2, 1] }).apply(bandsAsChannels) as tfjs.SymbolicTensor;
}
