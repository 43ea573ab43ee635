import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mixAtRatio, mixDrumHits, rms, sampleFor, type StereoSamples } from './drum-kit-mix.js';
import { mapKitToNotes, parseDrumkitXml, type DrumKit, type KitInstrument } from './drum-kits.js';
import type { Genre } from './genres.js';
import { splitDrums } from './midi-drums.js';
import { renderMidi } from './render-midi.js';
import { runTool } from './run-tool.js';
import type { PackagedFile } from './tools.js';
import { produceWavOnce } from './wav-output.js';

export const DRUM_KIT_ROOT = '/usr/share/hydrogen/data/drumkits';
/** What `ensureTools` checks for: one kit's file, and the package that installs all of them. */
export const DRUM_KITS: PackagedFile = { file: join(DRUM_KIT_ROOT, 'The Black Pearl 1.0', 'drumkit.xml'), debianPackage: 'hydrogen-drumkits' };
const RATE = 44_100;

/** Drum machines and synthesised kits (from each kit's own description); the rest are recorded acoustic sets. */
const ELECTRONIC_KITS = new Set(['Audiophob', 'ElectricEmpireKit', 'HardElectro1', 'VariBreaks', 'rumpf_kit_z01_h2']);

export interface PlayableKit {
  kit: DrumKit;
  notes: ReadonlyMap<number, KitInstrument>;
  electronic: boolean;
}

/** Every kit under `root` that can play a groove (kick, snare and closed hi-hat), in name order. */
export async function loadDrumKits({ root = DRUM_KIT_ROOT }: { root?: string } = {}): Promise<PlayableKit[]> {
  const kits: PlayableKit[] = [];
  for (const name of (await readdir(root)).sort()) {
    const xml = await readFile(join(root, name, 'drumkit.xml'), 'utf8').catch(() => null);
    if (xml === null) continue;
    const kit = parseDrumkitXml({ xml, dir: join(root, name) });
    const notes = mapKitToNotes({ kit });
    if (notes) kits.push({ kit, notes, electronic: ELECTRONIC_KITS.has(name) });
  }
  return kits;
}

/** EDM gets drum machines, metal and jazz (and any classical percussion) recorded kits, hip-hop both. */
export function kitsForGenre({ kits, genre }: { kits: readonly PlayableKit[]; genre: Genre }): PlayableKit[] {
  if (genre === 'Hiphop') return [...kits];
  return kits.filter((k) => k.electronic === (genre === 'EDM'));
}

/**
 * Renders a MIDI file like `renderMidi`, but the drum notes the kit can play come from the kit's
 * samples instead of the soundfont. Their level keeps the groove's own balance: the kit is mixed
 * at the RMS the soundfont's drums have against the band (rendered once to measure it; grooves
 * range from brushed jazz at 0.05 to dance beats near 1), times `drumLevel`.
 */
export async function renderMidiWithKit({ midi, output, soundfont, gain, reverb, kit, drumLevel, tmp }: {
  midi: string;
  output: string;
  soundfont: string;
  gain: number;
  reverb: boolean;
  kit: PlayableKit;
  drumLevel: number;
  tmp: string;
}): Promise<void> {
  const split = splitDrums({ midi: await readFile(midi), take: (note) => kit.notes.has(note) });
  for (const part of ['band', 'drums'] as const) {
    await writeFile(join(tmp, `${part}-only.mid`), split[part]);
    await renderMidi({ midi: join(tmp, `${part}-only.mid`), output: join(tmp, `${part}-only.wav`), soundfont, gain, reverb });
  }
  const bandSamples = await decodeStereo({ file: join(tmp, 'band-only.wav'), tmp });
  const fontDrumRms = rms(await decodeStereo({ file: join(tmp, 'drums-only.wav'), tmp }));
  const { hits } = split;
  const files = new Set(hits.flatMap((hit) => sampleFor({ hit, notes: kit.notes, kitDir: kit.kit.dir })?.path ?? []));
  const samples = new Map<string, StereoSamples>();
  for (const file of files) samples.set(file, await decodeStereo({ file, tmp }));
  const drums = mixDrumHits({ hits, notes: kit.notes, samples, kitDir: kit.kit.dir, frames: bandSamples.length / 2, sampleRate: RATE });
  const bandRms = rms(bandSamples);
  const mixed = mixAtRatio({ band: bandSamples, drums, drumToBandRatio: bandRms > 0 ? (fontDrumRms / bandRms) * drumLevel : 1 });
  const raw = join(tmp, 'mixed.f32');
  await writeFile(raw, Buffer.from(mixed.buffer, mixed.byteOffset, mixed.byteLength));
  await produceWavOnce({
    output,
    render: async (partial) => {
      await runTool({
        command: 'ffmpeg',
        args: ['-nostdin', '-v', 'error', '-y', '-f', 'f32le', '-ar', String(RATE), '-ac', '2', '-i', raw, '-c:a', 'pcm_s16le', partial],
        timeoutMs: 120_000,
      });
    },
  });
  await rm(raw, { force: true });
}

/**
 * Any audio file → 44.1 kHz stereo float samples (mono samples are doubled to both sides). Not
 * src/audio/decode.ts: that one is the service's mono, librosa-matched downmix; a mix needs stereo.
 */
async function decodeStereo({ file, tmp }: { file: string; tmp: string }): Promise<StereoSamples> {
  const raw = join(tmp, 'decoded.f32');
  await runTool({
    command: 'ffmpeg',
    args: ['-nostdin', '-v', 'error', '-y', '-i', file, '-f', 'f32le', '-ac', '2', '-ar', String(RATE), raw],
    timeoutMs: 60_000,
  });
  const bytes = await readFile(raw);
  await rm(raw, { force: true });
  // Copied byte-wise: a Buffer's offset need not be 4-aligned for a Float32Array view.
  const samples = new Float32Array(Math.floor(bytes.byteLength / 4));
  new Uint8Array(samples.buffer).set(bytes.subarray(0, samples.byteLength));
  return samples;
}
