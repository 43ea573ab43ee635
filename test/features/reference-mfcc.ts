// A deliberately naive float64 re-implementation of librosa's MFCC, straight from librosa 0.11's
// definitions: O(N²) DFT, dense filterbank. Slow, so tests use it on short input
// with small parameters; it checks the fast code on lengths and sizes the golden clip lacks.

export function referencePowerSpectrogram(y: Float32Array, nFft: number, hop: number): Float64Array[] {
  const frames = 1 + Math.floor(y.length / hop);
  const out: Float64Array[] = [];
  for (let t = 0; t < frames; t++) {
    const bins = new Float64Array(nFft / 2 + 1);
    for (let k = 0; k <= nFft / 2; k++) {
      let re = 0, im = 0;
      for (let n = 0; n < nFft; n++) {
        const i = t * hop - nFft / 2 + n;
        const x = i >= 0 && i < y.length ? y[i]! : 0;
        const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / nFft);
        re += x * w * Math.cos((2 * Math.PI * k * n) / nFft);
        im -= x * w * Math.sin((2 * Math.PI * k * n) / nFft);
      }
      bins[k] = re * re + im * im;
    }
    out.push(bins);
  }
  return out;
}

function hzToMel(f: number): number {
  return f < 1000 ? f / (200 / 3) : 15 + Math.log(f / 1000) / (Math.log(6.4) / 27);
}
function melToHz(m: number): number {
  return m < 15 ? (200 / 3) * m : 1000 * Math.exp((Math.log(6.4) / 27) * (m - 15));
}

export function referenceMfcc(y: Float32Array, o: { sr: number; nFft: number; hop: number; nMels: number; nMfcc: number; lifter: number }): number[][] {
  const spec = referencePowerSpectrogram(y, o.nFft, o.hop);
  const f = Array.from({ length: o.nMels + 2 }, (_, i) => melToHz(hzToMel(0) + ((hzToMel(o.sr / 2) - hzToMel(0)) * i) / (o.nMels + 1)));
  const logMel = spec.map((bins) =>
    Array.from({ length: o.nMels }, (_, m) => {
      let acc = 0;
      bins.forEach((p, k) => {
        const hz = (k * o.sr) / o.nFft;
        const w = Math.max(0, Math.min((hz - f[m]!) / (f[m + 1]! - f[m]!), (f[m + 2]! - hz) / (f[m + 2]! - f[m + 1]!)));
        acc += w * (2 / (f[m + 2]! - f[m]!)) * p;
      });
      return 10 * Math.log10(Math.max(1e-10, acc));
    }),
  );
  const peak = Math.max(...logMel.flat());
  const clipped = logMel.map((row) => row.map((v) => Math.max(v, peak - 80)));
  return Array.from({ length: o.nMfcc }, (_, k) =>
    clipped.map((x) => {
      let c = 0;
      for (let m = 0; m < o.nMels; m++) c += x[m]! * Math.cos((Math.PI * k * (2 * m + 1)) / (2 * o.nMels));
      c *= k === 0 ? Math.sqrt(1 / o.nMels) : Math.sqrt(2 / o.nMels);
      return o.lifter > 0 ? c * (1 + (o.lifter / 2) * Math.sin((Math.PI * (k + 1)) / o.lifter)) : c;
    }),
  );
}
