import type { Rng } from './random.js';

/**
 * A random "production": EQ, compression, room, bandwidth and level, drawn from the SAME
 * distribution for every genre (only the saturation amount differs, because distortion is part
 * of metal's sound). Returns sox effect arguments.
 */
export function productionEffects({ rng, saturation }: { rng: Rng; saturation: 'heavy' | 'light' }): string[] {
  const fx: string[] = [];
  if (saturation === 'heavy' ? rng.chance(0.8) : rng.chance(0.15)) {
    fx.push('overdrive', String(saturation === 'heavy' ? rng.int(8, 25) : rng.int(2, 6)), String(rng.int(10, 30)));
  }
  fx.push('equalizer', String(rng.int(60, 120)), '1q', rng.range(-3, 6).toFixed(1));
  fx.push('treble', rng.range(-6, 4).toFixed(1));
  if (rng.chance(0.5)) fx.push('compand', '0.02,0.2', '-60,-60,-30,-16,0,-8', '-3');
  if (rng.chance(0.6)) fx.push('reverb', String(rng.int(5, 50)));
  if (rng.chance(0.25)) fx.push('lowpass', String(rng.int(6000, 11000)));
  if (rng.chance(0.2)) fx.push('highpass', String(rng.int(30, 90)));
  fx.push('norm', rng.range(-6, -0.5).toFixed(1));
  return fx;
}

/** MP3 bitrate for a lossy round trip (like previews are), or null for none. */
export function lossyBitrate({ rng }: { rng: Rng }): string | null {
  return rng.chance(0.5) ? rng.pick(['96k', '128k', '160k', '192k']) : null;
}

/**
 * Lo-fi hip-hop's sound, as its producers make it: a dull top end, tape wow, light bit reduction
 * and hiss. An ffmpeg filter graph on input 0 (the produced track); for the build's --lofi-*
 * options only, which the bundled set does not use.
 */
export function lofiFilterGraph({ rng, seconds }: { rng: Rng; seconds: number }): string {
  const lowpass = `lowpass=f=${rng.int(2500, 5000)}`;
  const wow = `vibrato=f=${rng.range(0.3, 1.2).toFixed(2)}:d=${rng.range(0.01, 0.05).toFixed(3)}`;
  const crush = `acrusher=bits=${rng.int(9, 13)}:mix=${rng.range(0.2, 0.6).toFixed(2)}`;
  const hiss = `anoisesrc=d=${seconds}:c=pink:a=${rng.range(0.003, 0.02).toFixed(4)}:r=44100:seed=${rng.int(1, 1_000_000)}`;
  return `[0:a]${lowpass},${wow},${crush}[m];${hiss}[n];[m][n]amix=inputs=2:duration=first:normalize=0,alimiter=limit=0.95`;
}
