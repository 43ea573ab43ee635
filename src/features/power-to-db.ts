// librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80.0): 10·log10(max(amin, S)) - 10·log10(ref),
// then clipped from below at (max over the WHOLE matrix) - top_db. A per-frame or streaming
// maximum differs from librosa on quiet passages, so the clip waits until every value is known.

export function powerToDbInPlace({ data, ref = 1, amin = 1e-10, topDb = 80 }: {
  data: Float32Array | Float64Array;
  ref?: number;
  amin?: number;
  /** null: no clipping. */
  topDb?: number | null;
}): void {
  if (!(amin > 0)) throw new RangeError('amin must be > 0');
  if (topDb !== null && !(topDb >= 0)) throw new RangeError('topDb must be >= 0');
  const scale = 10 / Math.LN10;
  const refDb = scale * Math.log(Math.max(amin, Math.abs(ref)));
  let peak = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    const db = scale * Math.log(v > amin ? v : amin) - refDb;
    data[i] = db;
    if (db > peak) peak = db;
  }
  if (topDb === null || data.length === 0) return;
  const floor = peak - topDb;
  for (let i = 0; i < data.length; i++) if (data[i]! < floor) data[i] = floor;
}
