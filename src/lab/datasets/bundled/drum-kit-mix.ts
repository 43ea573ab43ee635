import { layerFor, type KitInstrument, type KitLayer } from './drum-kits.js';
import type { DrumHit } from './midi-drums.js';

/** Stereo interleaved float samples at the mix rate. */
export type StereoSamples = Float32Array;

const OPEN_HAT = 46;
const HAT_CLOSERS = new Set([42, 44]);
const CHOKE_FADE_SEC = 0.008;

/**
 * Plays drum hits from kit samples into a stereo buffer of `frames` frames: the velocity picks
 * the layer and scales it (as Hydrogen does), and a closed or pedal hi-hat chokes a ringing open
 * one (a real hi-hat cannot be open and closed at once). Hits past the end are cut off.
 */
export function mixDrumHits({ hits, notes, samples, kitDir, frames, sampleRate }: {
  hits: readonly DrumHit[];
  notes: ReadonlyMap<number, KitInstrument>;
  samples: ReadonlyMap<string, StereoSamples>;
  kitDir: string;
  frames: number;
  sampleRate: number;
}): StereoSamples {
  const out = new Float32Array(frames * 2);
  const closerTimes = hits.filter((h) => HAT_CLOSERS.has(h.note)).map((h) => h.timeSec);
  for (const hit of hits) {
    const played = sampleFor({ hit, notes, kitDir });
    if (!played) continue;
    const { instrument, layer, path } = played;
    const sample = samples.get(path);
    if (!sample) throw new RangeError(`sample not loaded: ${layer.file}`);
    const start = Math.round(hit.timeSec * sampleRate);
    let length = Math.min(sample.length / 2, frames - start);
    let fadeFrom = length;
    if (hit.note === OPEN_HAT) {
      const closer = closerTimes.find((t) => t > hit.timeSec);
      if (closer !== undefined) {
        fadeFrom = Math.max(0, Math.min(length, Math.round((closer - hit.timeSec) * sampleRate)));
        length = Math.min(length, fadeFrom + Math.round(CHOKE_FADE_SEC * sampleRate));
      }
    }
    const gain = instrument.level * layer.gain * (hit.velocity / 127);
    const fadeFrames = Math.max(1, length - fadeFrom);
    for (let i = 0; i < length; i++) {
      const g = i < fadeFrom ? gain : gain * (1 - (i - fadeFrom) / fadeFrames);
      out[(start + i) * 2] = (out[(start + i) * 2] as number) + (sample[i * 2] as number) * g;
      out[(start + i) * 2 + 1] = (out[(start + i) * 2 + 1] as number) + (sample[i * 2 + 1] as number) * g;
    }
  }
  return out;
}

/**
 * Band + drums with the drums' RMS at `drumToBandRatio` of the band's (the band's level is the
 * reference, so the loudness of the soundfont render is kept), then scaled down as a whole only if
 * the sum would clip. A silent band or silent drums are returned as they are, never divided by 0.
 */
export function mixAtRatio({ band, drums, drumToBandRatio, peak = 0.98 }: {
  band: StereoSamples;
  drums: StereoSamples;
  drumToBandRatio: number;
  peak?: number;
}): StereoSamples {
  const bandRms = rms(band);
  const drumRms = rms(drums);
  const drumGain = bandRms > 0 && drumRms > 0 ? (bandRms * drumToBandRatio) / drumRms : 1;
  const out = new Float32Array(Math.max(band.length, drums.length));
  let max = 0;
  for (let i = 0; i < out.length; i++) {
    const v = (band[i] ?? 0) + (drums[i] ?? 0) * drumGain;
    out[i] = v;
    max = Math.max(max, Math.abs(v));
  }
  if (max > peak) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * (peak / max);
  return out;
}

/** The instrument, velocity layer and sample file that play a hit; undefined when the kit has no such drum. */
export function sampleFor({ hit, notes, kitDir }: { hit: DrumHit; notes: ReadonlyMap<number, KitInstrument>; kitDir: string }): { instrument: KitInstrument; layer: KitLayer; path: string } | undefined {
  const instrument = notes.get(hit.note);
  if (!instrument) return undefined;
  const layer = layerFor({ instrument, velocity: hit.velocity });
  return { instrument, layer, path: `${kitDir}/${layer.file}` };
}

export function rms(x: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += (x[i] as number) ** 2;
  return x.length === 0 ? 0 : Math.sqrt(sum / x.length);
}
