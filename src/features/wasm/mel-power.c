// Mel power frames in WebAssembly SIMD: the same algorithm as stft.ts + real-fft.ts +
// mel-filterbank.ts (windowed frame loaded into bit-reversed slots, radix-4 complex FFT of
// N/2 points, split step to |X|², sparse Slaney bank), with every scalar replaced by a v128
// holding the SAME value for FOUR consecutive frames (lane L = frame t + L). Frames never mix,
// so no shuffles are needed and a frame's result does not depend on which group it fell in.
//
// Why hand-written: no npm package computes librosa's mel spectrogram in SIMD WASM; the WASM FFTs
// there stop at the FFT (docs/audio.md). All tables come from the TypeScript plans (mel-power-wasm.ts
// copies them into linear memory as float32), so this file holds loops only.
// Build: scripts/build-wasm.sh (clang --target=wasm32 -msimd128); the result is committed as
// base64 in mel-power-wasm-binary.ts.
#include <stdint.h>
#include <wasm_simd128.h>

typedef v128_t v;

#define ADD wasm_f32x4_add
#define SUB wasm_f32x4_sub
#define MUL wasm_f32x4_mul
#define SPLAT wasm_f32x4_splat

// z[2j] = real parts of complex element j for the four frames, z[2j + 1] = imaginary parts.
static void load_frames(const float *padded, int start, int hop, int half, const uint32_t *bit_reversed,
                        const float *window, v *z) {
  for (int n = 0, i = start; n < half; n++, i += 2) {
    int j = 2 * (int)bit_reversed[n];
    const float *s = padded + i;
    v even = wasm_f32x4_make(s[0], s[hop], s[2 * hop], s[3 * hop]);
    v odd = wasm_f32x4_make(s[1], s[hop + 1], s[2 * hop + 1], s[3 * hop + 1]);
    z[j] = MUL(even, SPLAT(window[2 * n]));
    z[j + 1] = MUL(odd, SPLAT(window[2 * n + 1]));
  }
}

// complexFftInPlace of real-fft.ts, four frames at a time.
static void complex_fft(v *z, int half, int first_stage_radix2, const float *twiddles) {
  int quarter;
  if (first_stage_radix2 || half < 4) {
    for (int s = 0; s < 2 * half; s += 4) {
      v ar = z[s], ai = z[s + 1], br = z[s + 2], bi = z[s + 3];
      z[s] = ADD(ar, br); z[s + 1] = ADD(ai, bi);
      z[s + 2] = SUB(ar, br); z[s + 3] = SUB(ai, bi);
    }
    quarter = 2;
  } else {
    for (int s = 0; s < 2 * half; s += 8) {
      v ar = z[s], ai = z[s + 1], br = z[s + 2], bi = z[s + 3];
      v cr = z[s + 4], ci = z[s + 5], dr = z[s + 6], di = z[s + 7];
      v p0r = ADD(ar, br), p0i = ADD(ai, bi), p1r = SUB(ar, br), p1i = SUB(ai, bi);
      v s0r = ADD(cr, dr), s0i = ADD(ci, di), s1r = SUB(cr, dr), s1i = SUB(ci, di);
      z[s] = ADD(p0r, s0r); z[s + 1] = ADD(p0i, s0i); z[s + 4] = SUB(p0r, s0r); z[s + 5] = SUB(p0i, s0i);
      z[s + 2] = ADD(p1r, s1i); z[s + 3] = SUB(p1i, s1r); z[s + 6] = SUB(p1r, s1i); z[s + 7] = ADD(p1i, s1r);
    }
    quarter = 4;
  }
  const float *tw = twiddles;
  for (; quarter * 4 <= half; quarter *= 4) {
    int len = quarter * 4, step = quarter * 2;
    for (int start = 0; start < half; start += len) {
      for (int k = 0; k < quarter; k++) {
        // Blocks in bit-reversed DIT order: A (w^0), B (w^2k), C (w^k), D (w^3k).
        int ia = (start + k) * 2, ib = ia + step, ic = ib + step, id = ic + step;
        const float *t = tw + k * 6;
        v w1r = SPLAT(t[0]), w1i = SPLAT(t[1]), w2r = SPLAT(t[2]), w2i = SPLAT(t[3]), w3r = SPLAT(t[4]), w3i = SPLAT(t[5]);
        v ar = z[ia], ai = z[ia + 1];
        v xbr = z[ib], xbi = z[ib + 1];
        v br = SUB(MUL(xbr, w2r), MUL(xbi, w2i)), bi = ADD(MUL(xbr, w2i), MUL(xbi, w2r));
        v xcr = z[ic], xci = z[ic + 1];
        v cr = SUB(MUL(xcr, w1r), MUL(xci, w1i)), ci = ADD(MUL(xcr, w1i), MUL(xci, w1r));
        v xdr = z[id], xdi = z[id + 1];
        v dr = SUB(MUL(xdr, w3r), MUL(xdi, w3i)), di = ADD(MUL(xdr, w3i), MUL(xdi, w3r));
        v p0r = ADD(ar, br), p0i = ADD(ai, bi), p1r = SUB(ar, br), p1i = SUB(ai, bi);
        v s0r = ADD(cr, dr), s0i = ADD(ci, di), s1r = SUB(cr, dr), s1i = SUB(ci, di);
        z[ia] = ADD(p0r, s0r); z[ia + 1] = ADD(p0i, s0i);
        z[ic] = SUB(p0r, s0r); z[ic + 1] = SUB(p0i, s0i);
        z[ib] = ADD(p1r, s1i); z[ib + 1] = SUB(p1i, s1r);
        z[id] = SUB(p1r, s1i); z[id + 1] = ADD(p1i, s1r);
      }
    }
    tw += quarter * 6;
  }
}

// splitToPower of real-fft.ts: |X[k]|², k = 0..half, from the N/2-point FFT of the packed frame.
static void split_to_power(const v *z, int half, const float *split_cos, const float *split_sin, v *power) {
  v z0r = z[0], z0i = z[1];
  v sum = ADD(z0r, z0i), diff = SUB(z0r, z0i);
  power[0] = MUL(sum, sum);
  power[half] = MUL(diff, diff);
  v h = SPLAT(0.5f);
  for (int k = 1; k < half; k++) {
    v a = z[2 * k], b = z[2 * k + 1], c = z[2 * (half - k)], d = z[2 * (half - k) + 1];
    v er = MUL(h, ADD(a, c)), ei = MUL(h, SUB(b, d));
    v or = MUL(h, ADD(b, d)), oi = MUL(h, SUB(c, a));
    v cs = SPLAT(split_cos[k]), sn = SPLAT(split_sin[k]);
    v xr = ADD(er, ADD(MUL(cs, or), MUL(sn, oi)));
    v xi = SUB(ADD(ei, MUL(cs, oi)), MUL(sn, or));
    power[k] = ADD(MUL(xr, xr), MUL(xi, xi));
  }
}

// Frame-major output: out[t * n_mels + m] for the `lanes` (1..4) frames of this group.
static void write_mel(const v *power, int n_mels, const uint32_t *first_bin, const uint32_t *offsets,
                      const float *weights, float *out, int lanes) {
  for (int m = 0; m < n_mels; m++) {
    v acc = SPLAT(0.0f);
    const v *p = power + first_bin[m];
    for (uint32_t i = offsets[m], e = offsets[m + 1]; i < e; i++, p++) acc = ADD(acc, MUL(SPLAT(weights[i]), *p));
    out[m] = wasm_f32x4_extract_lane(acc, 0);
    if (lanes > 1) out[n_mels + m] = wasm_f32x4_extract_lane(acc, 1);
    if (lanes > 2) out[2 * n_mels + m] = wasm_f32x4_extract_lane(acc, 2);
    if (lanes > 3) out[3 * n_mels + m] = wasm_f32x4_extract_lane(acc, 3);
  }
}

// `padded[t * hop + n]` is sample n of frame t's window (zeros outside the signal), for
// t < frames rounded up to a multiple of 4; `z` holds N v128s, `power` N/2 + 1.
__attribute__((export_name("mel_power"))) void mel_power(
    const float *padded, int frames, int hop, int half, const uint32_t *bit_reversed, int first_stage_radix2,
    const float *twiddles, const float *split_cos, const float *split_sin, const float *window, int n_mels,
    const uint32_t *first_bin, const uint32_t *offsets, const float *weights, v *z, v *power, float *out) {
  for (int t = 0; t < frames; t += 4) {
    load_frames(padded, t * hop, hop, half, bit_reversed, window, z);
    complex_fft(z, half, first_stage_radix2, twiddles);
    split_to_power(z, half, split_cos, split_sin, power);
    int lanes = frames - t < 4 ? frames - t : 4;
    write_mel(power, n_mels, first_bin, offsets, weights, out + t * n_mels, lanes);
  }
}
