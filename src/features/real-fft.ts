// Power spectrum of one real frame, hand-written.
//
// Why not a library: fft.js (the well-kept pure-JS option) computes a full complex-output
// transform; the WASM FFTs on npm are single-maintainer Emscripten builds (@echogarden/pffft-wasm:
// one release, float32 only, async start-up) that we would ship as binaries. Our case is narrow —
// real input, one power-of-two size per parameter set, only |X|² wanted — so this file is short:
//   * a real N-point FFT is computed as a complex N/2-point FFT of z[n] = x[2n] + i·x[2n+1],
//     followed by a "split" step that separates the spectra of the even and odd samples;
//   * the complex FFT is iterative decimation-in-time, radix-4 (one radix-2 stage first when
//     log2(N/2) is odd) on one interleaved buffer; the bit-reversal permutation is free because
//     stft.ts writes the windowed samples straight into bit-reversed slots;
//   * twiddles and the bit-reversal table are precomputed per size; the work buffer is reused, so
//     nothing is allocated per frame.
// Measured (CPU ms for 1292 frames of 2048, same process, on the shared 2-core machine under load
// ≈ 10): this complex FFT 14–20, the whole STFT incl. windowing and |X|² 21–28, fft.js
// realTransform alone 23–28, pffft-wasm SIMD STFT 13. So it beats fft.js by ~1.3× end to end;
// only SIMD WASM is clearly faster, and not by enough to justify the dependency (docs/audio.md).
// Since then the same algorithm runs four frames at a time in WebAssembly SIMD (wasm/mel-power.c,
// the default engine, ≈ 6× faster); this file is the float64 reference and the fallback.

export interface RealFftPlan {
  /** Frame length (n_fft), a power of two ≥ 4. */
  readonly size: number;
  /** Complex FFT length, size / 2. */
  readonly half: number;
  readonly bitReversed: Uint32Array;
  /** Per twiddled radix-4 stage: w^k, w^2k, w^3k for k < quarter, as [re, im] pairs. */
  readonly stageTwiddles: Float64Array[];
  /** log2(half) odd: a trivial radix-2 stage comes first; even: a trivial radix-4 stage. */
  readonly firstStageRadix2: boolean;
  /** cos/sin(2πk/size) for the split step, k = 0..half. */
  readonly splitCos: Float64Array;
  readonly splitSin: Float64Array;
  /** Work buffer, interleaved [re0, im0, re1, im1, …]: one stream is faster than two in V8. */
  readonly z: Float64Array;
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

export function createRealFftPlan({ size }: { size: number }): RealFftPlan {
  if (!isPowerOfTwo(size) || size < 4) throw new RangeError(`FFT size must be a power of two ≥ 4, got ${size}`);
  const half = size / 2;
  const bits = Math.log2(half);
  const bitReversed = new Uint32Array(half);
  for (let i = 0; i < half; i++) {
    let r = 0;
    for (let b = 0, x = i; b < bits; b++, x >>= 1) r = (r << 1) | (x & 1);
    bitReversed[i] = r;
  }
  const firstStageRadix2 = bits % 2 === 1;
  const stageTwiddles: Float64Array[] = [];
  for (let len = firstStageRadix2 ? 8 : 16; len <= half; len *= 4) {
    const quarter = len / 4;
    const tw = new Float64Array(quarter * 6);
    for (let k = 0; k < quarter; k++) {
      for (let p = 1; p <= 3; p++) {
        const angle = (-2 * Math.PI * p * k) / len;
        tw[k * 6 + (p - 1) * 2] = Math.cos(angle);
        tw[k * 6 + (p - 1) * 2 + 1] = Math.sin(angle);
      }
    }
    stageTwiddles.push(tw);
  }
  const splitCos = new Float64Array(half + 1);
  const splitSin = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    splitCos[k] = Math.cos((2 * Math.PI * k) / size);
    splitSin[k] = Math.sin((2 * Math.PI * k) / size);
  }
  return { size, half, bitReversed, stageTwiddles, firstStageRadix2, splitCos, splitSin, z: new Float64Array(2 * half) };
}

/** In-place complex FFT of `plan.z` (input already in bit-reversed order). */
export function complexFftInPlace(plan: RealFftPlan): void {
  const { z, half } = plan;
  const end = 2 * half;
  let quarter: number;
  if (plan.firstStageRadix2 || half < 4) {
    for (let s = 0; s < end; s += 4) {
      const ar = z[s]!, ai = z[s + 1]!, br = z[s + 2]!, bi = z[s + 3]!;
      z[s] = ar + br; z[s + 1] = ai + bi;
      z[s + 2] = ar - br; z[s + 3] = ai - bi;
    }
    quarter = 2;
  } else {
    // First radix-4 stage: all twiddles are 1, so no multiplications.
    for (let s = 0; s < end; s += 8) {
      const ar = z[s]!, ai = z[s + 1]!, br = z[s + 2]!, bi = z[s + 3]!;
      const cr = z[s + 4]!, ci = z[s + 5]!, dr = z[s + 6]!, di = z[s + 7]!;
      const p0r = ar + br, p0i = ai + bi, p1r = ar - br, p1i = ai - bi;
      const s0r = cr + dr, s0i = ci + di, s1r = cr - dr, s1i = ci - di;
      z[s] = p0r + s0r; z[s + 1] = p0i + s0i; z[s + 4] = p0r - s0r; z[s + 5] = p0i - s0i;
      z[s + 2] = p1r + s1i; z[s + 3] = p1i - s1r; z[s + 6] = p1r - s1i; z[s + 7] = p1i + s1r;
    }
    quarter = 4;
  }
  for (const tw of plan.stageTwiddles) {
    const len = quarter * 4;
    const step = quarter * 2; // distance between the four blocks, in floats
    for (let start = 0; start < half; start += len) {
      for (let k = 0; k < quarter; k++) {
        // Blocks in bit-reversed DIT order: A (w^0), B (w^2k), C (w^k), D (w^3k).
        const ia = (start + k) * 2, ib = ia + step, ic = ib + step, id = ic + step;
        const t = k * 6;
        const w1r = tw[t]!, w1i = tw[t + 1]!, w2r = tw[t + 2]!, w2i = tw[t + 3]!, w3r = tw[t + 4]!, w3i = tw[t + 5]!;
        const ar = z[ia]!, ai = z[ia + 1]!;
        const xbr = z[ib]!, xbi = z[ib + 1]!;
        const br = xbr * w2r - xbi * w2i, bi = xbr * w2i + xbi * w2r;
        const xcr = z[ic]!, xci = z[ic + 1]!;
        const cr = xcr * w1r - xci * w1i, ci = xcr * w1i + xci * w1r;
        const xdr = z[id]!, xdi = z[id + 1]!;
        const dr = xdr * w3r - xdi * w3i, di = xdr * w3i + xdi * w3r;
        const p0r = ar + br, p0i = ai + bi, p1r = ar - br, p1i = ai - bi;
        const s0r = cr + dr, s0i = ci + di, s1r = cr - dr, s1i = ci - di;
        z[ia] = p0r + s0r; z[ia + 1] = p0i + s0i;
        z[ic] = p0r - s0r; z[ic + 1] = p0i - s0i;
        // -i·s1 = (s1i, -s1r); +i·s1 = (-s1i, s1r)
        z[ib] = p1r + s1i; z[ib + 1] = p1i - s1r;
        z[id] = p1r - s1i; z[id + 1] = p1i + s1r;
      }
    }
    quarter = len;
  }
}

/**
 * Split step: from Z = FFT(x[2n] + i·x[2n+1]) to |X[k]|², k = 0..size/2, written into `power`.
 * X[k] = E[k] + e^{-2πik/N}·O[k], E = (Z[k] + conj Z[M-k]) / 2, O = (Z[k] - conj Z[M-k]) / 2i.
 */
export function splitToPower(plan: RealFftPlan, power: Float64Array): void {
  const { z, half, splitCos, splitSin } = plan;
  const z0r = z[0]!, z0i = z[1]!;
  power[0] = (z0r + z0i) * (z0r + z0i);
  power[half] = (z0r - z0i) * (z0r - z0i);
  for (let k = 1; k < half; k++) {
    const a = z[2 * k]!, b = z[2 * k + 1]!, c = z[2 * (half - k)]!, d = z[2 * (half - k) + 1]!;
    const er = 0.5 * (a + c), ei = 0.5 * (b - d);
    const or = 0.5 * (b + d), oi = -0.5 * (a - c);
    const cs = splitCos[k]!, sn = splitSin[k]!;
    // W = cos - i·sin
    const xr = er + cs * or + sn * oi;
    const xi = ei + cs * oi - sn * or;
    power[k] = xr * xr + xi * xi;
  }
}
