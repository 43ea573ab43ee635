// Orthonormal DCT-II along the mel axis (scipy.fft.dct(type=2, norm="ortho")), first n_mfcc rows,
// with librosa's optional lifter folded into the table rows:
//   c_k = s_k Σ_m x_m cos(πk(2m+1)/(2M)),  s_0 = √(1/M), s_k = √(2/M);
//   lifter L > 0: c_k *= 1 + (L/2)·sin(π(k+1)/L).
// Only n_mfcc ≪ n_mels outputs are needed, so a direct table product beats a fast DCT here.

export interface DctTable {
  readonly nMfcc: number;
  readonly nMels: number;
  /** nMfcc × nMels, row-major. */
  readonly table: Float64Array;
}

export function createDctTable({ nMels, nMfcc, lifter = 0 }: { nMels: number; nMfcc: number; lifter?: number }): DctTable {
  const table = new Float64Array(nMfcc * nMels);
  for (let k = 0; k < nMfcc; k++) {
    const scale = k === 0 ? Math.sqrt(1 / nMels) : Math.sqrt(2 / nMels);
    const lift = lifter > 0 ? 1 + (lifter / 2) * Math.sin((Math.PI * (k + 1)) / lifter) : 1;
    for (let m = 0; m < nMels; m++) {
      table[k * nMels + m] = lift * scale * Math.cos((Math.PI * k * (2 * m + 1)) / (2 * nMels));
    }
  }
  return { nMfcc, nMels, table };
}

/**
 * out[k·frames + t] = Σ_m table[k, m] · logMel[t·nMels + m]: input frame-major (each frame's bands
 * contiguous), output coefficient-major (librosa's layout).
 * DCT-II rows are even (k even) or odd (k odd) about the middle of the mel axis —
 * cos(πk(2(M-1-m)+1)/2M) = (-1)^k cos(πk(2m+1)/2M) — so each frame is folded once into sums and
 * differences of mirrored bands and every coefficient needs only M/2 multiply-adds.
 */
export function applyDct({ dct, logMelFrameMajor, frames }: { dct: DctTable; logMelFrameMajor: Float32Array; frames: number }): Float32Array {
  const { nMfcc, nMels, table } = dct;
  const half = nMels >> 1;
  const middle = nMels % 2 === 1 ? half : -1;
  const out = new Float32Array(nMfcc * frames);
  const sums = new Float64Array(half);
  const diffs = new Float64Array(half);
  for (let t = 0; t < frames; t++) {
    const base = t * nMels;
    for (let m = 0; m < half; m++) {
      const a = logMelFrameMajor[base + m]!, b = logMelFrameMajor[base + nMels - 1 - m]!;
      sums[m] = a + b;
      diffs[m] = a - b;
    }
    for (let k = 0; k < nMfcc; k++) {
      const folded = (k & 1) === 0 ? sums : diffs;
      const row = k * nMels;
      let acc = middle >= 0 ? table[row + middle]! * logMelFrameMajor[base + middle]! : 0;
      for (let m = 0; m < half; m++) acc += table[row + m]! * folded[m]!;
      out[k * frames + t] = acc;
    }
  }
  return out;
}
