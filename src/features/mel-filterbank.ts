// Slaney mel filterbank with slaney (area) normalisation, as librosa.filters.mel(htk=False,
// norm="slaney"), stored SPARSELY: each triangle touches only the FFT bins between its outer
// edges, so applying the bank costs ~2 multiply-adds per bin instead of n_mels per bin
// (a dense 128×1025 product per frame would cost more than the FFT itself).

export interface SparseMelFilterbank {
  readonly nMels: number;
  readonly nBins: number;
  /** First FFT bin of band m. */
  readonly firstBin: Uint32Array;
  /** Offset of band m's weights in `weights`; band m has offsets[m+1] - offsets[m] weights. */
  readonly offsets: Uint32Array;
  readonly weights: Float64Array;
}

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

export function hzToMelSlaney(hz: number): number {
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
}

export function melToHzSlaney(mel: number): number {
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

export function createMelFilterbank({ sampleRate, nFft, nMels, fmin, fmax }: {
  sampleRate: number;
  nFft: number;
  nMels: number;
  fmin: number;
  fmax: number;
}): SparseMelFilterbank {
  const nBins = nFft / 2 + 1;
  // n_mels + 2 edge frequencies, equally spaced on the mel scale (librosa.mel_frequencies).
  const melLo = hzToMelSlaney(fmin);
  const melHi = hzToMelSlaney(fmax);
  const edges = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) edges[i] = melToHzSlaney(melLo + ((melHi - melLo) * i) / (nMels + 1));

  const firstBin = new Uint32Array(nMels);
  const offsets = new Uint32Array(nMels + 1);
  const collected: number[] = [];
  for (let m = 0; m < nMels; m++) {
    const lo = edges[m]!, centre = edges[m + 1]!, hi = edges[m + 2]!;
    const norm = 2 / (hi - lo);
    let first = -1;
    const band: number[] = [];
    for (let k = 0; k < nBins; k++) {
      // librosa: fftfreqs = linspace(0, sr/2, 1 + n_fft//2)
      const f = (k * (sampleRate / 2)) / (nBins - 1);
      const w = Math.max(0, Math.min((f - lo) / (centre - lo), (hi - f) / (hi - centre)));
      if (w > 0) {
        if (first < 0) first = k;
        // Zeros inside a band (cannot happen for a triangle) would still be kept in order.
        while (first + band.length < k) band.push(0);
        band.push(Math.fround(w * norm)); // librosa stores the bank as float32
      }
    }
    firstBin[m] = Math.max(first, 0);
    offsets[m] = collected.length;
    collected.push(...band);
  }
  offsets[nMels] = collected.length;
  return { nMels, nBins, firstBin, offsets, weights: Float64Array.from(collected) };
}

/**
 * One frame's mel bands into out[offset .. offset + nMels). Positional (hot path, called once per
 * frame; see stft.ts on named-argument wrappers in V8 loops).
 */
export function writeMelFrame(bank: SparseMelFilterbank, power: Float64Array, out: Float32Array, offset: number): void {
  const { firstBin, offsets, weights, nMels } = bank;
  for (let m = 0; m < nMels; m++) {
    let acc = 0;
    const end = offsets[m + 1]!;
    for (let o = offsets[m]!, k = firstBin[m]!; o < end; o++, k++) acc += weights[o]! * power[k]!;
    out[offset + m] = acc;
  }
}
