import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beatsPerBarOf, composeMma, mainGrooves } from './compose-mma.js';
import type { Genre } from './genres.js';
import type { SourceTrack } from './package-tracks.js';
import { lofiFilterGraph, lossyBitrate, productionEffects } from './post-process.js';
import { createRng, hashString } from './random.js';
import { rapLines, songLines } from './rap-lyrics.js';
import { INSTRUMENTAL_HIPHOP, RECIPES, type GenreRecipe } from './recipes.js';
import { renderMidi } from './render-midi.js';
import { kitsForGenre, renderMidiWithKit, type PlayableKit } from './render-kit-drums.js';
import { runTool } from './run-tool.js';
import { SOUNDFONTS, type Soundfont } from './tools.js';

export const MMA_SOURCE = 'generated-mma';
export type GeneratedStyle = 'default' | 'instrumental' | 'lofi';
/** What each style plays for the genres it has a recipe for ('lofi' adds lofiFilterGraph). */
const STYLE_RECIPES: Record<GeneratedStyle, Partial<Record<Genre, GenreRecipe>>> = {
  default: RECIPES,
  instrumental: { Hiphop: INSTRUMENTAL_HIPHOP },
  lofi: { Hiphop: INSTRUMENTAL_HIPHOP, Jazz: RECIPES.Jazz },
};
const MMA_LIB = '/usr/share/mma/lib';
const VOICES = ['en-us', 'en', 'en-029', 'en-gb-x-rp', 'en-gb-scotland', 'en-gb-x-gbclan', 'en-us+m3', 'en+f2', 'en-us+f4', 'en+m7'];

/**
 * Renders one generated track: mma song → MIDI → fluidsynth (seeded soundfont) → optional voice
 * (espeak-ng) → sox production chain → optional MP3 round trip. Everything is derived from
 * `seed`, genre and index, so a track is the same on every machine and every re-run; a finished
 * track is skipped.
 */
export async function renderGeneratedTrack({ genre, index, seed, workDir, seconds = 42, soundfonts = SOUNDFONTS, drumKits, style = 'default' }: {
  genre: Genre;
  index: number;
  /**
   * 'instrumental' (hip-hop only) is a beat with no voice (INSTRUMENTAL_HIPHOP); 'lofi' is the
   * same beat, or for jazz the jazz recipe, through lo-fi production (lofiFilterGraph). Named
   * <genre>-<style>-NNNN.
   */
  style?: GeneratedStyle;
  seed: number;
  workDir: string;
  seconds?: number;
  /** The fonts a track draws from; another set renders (and caches) every track anew. */
  soundfonts?: readonly Soundfont[];
  /** Hydrogen kits (build-bundled loads them unless --no-drum-kits): half the tracks play their drums from one. */
  drumKits?: readonly PlayableKit[];
}): Promise<SourceTrack> {
  const recipe = STYLE_RECIPES[style][genre];
  if (!recipe) throw new Error(`no ${style} recipe for ${genre}`);
  const name = `${genre.toLowerCase()}${style === 'default' ? '' : `-${style}`}-${String(index).padStart(4, '0')}`;
  const id = `${MMA_SOURCE}/${name}`;
  const rng = createRng({ seed: hashString(`${seed}:${id}`) });
  // Its own stream: drawing a kit must not change any other choice of the track.
  const kitRng = createRng({ seed: hashString(`${seed}:${id}:drum-kit`) });
  const kitChoices = drumKits ? kitsForGenre({ kits: drumKits, genre }) : [];
  const drumKit = kitChoices.length > 0 && kitRng.chance(0.5) ? { kit: kitRng.pick(kitChoices), drumLevel: kitRng.range(0.7, 1.4) } : null;
  // The default set keeps its old folder, so existing caches stay valid; a track without a kit is
  // the default track, so it shares the default's file.
  const variant = `${soundfonts === SOUNDFONTS ? '' : `-${soundfonts.length}sf`}${drumKit ? '-kits' : ''}`;
  const dir = join(workDir, `generated${variant}`, genre);
  const libraryFile = rng.pick(recipe.grooveFiles);
  const libraryText = await readFile(join(MMA_LIB, libraryFile), 'utf8');
  const grooves = mainGrooves({ libraryText });
  const song = composeMma({ recipe, grooves: grooves.length > 0 ? grooves : ['Swing'], rng, seconds, beatsPerBar: beatsPerBarOf({ libraryText }), mmaSeed: hashString(`${seed}:${id}:mma`) % 2_147_483_647 });
  const soundfont = rng.pick(soundfonts).file;
  const bitrate = lossyBitrate({ rng });
  const final = join(dir, `${name}.${bitrate ? 'mp3' : 'wav'}`);
  const drums = drumKit ? `, drums: ${drumKit.kit.kit.name}` : '';
  const track: SourceTrack = { id, file: final, genre, source: MMA_SOURCE, origin: 'generated', why: `mma ${libraryFile} ${song.groove} @${song.tempo} bpm${drums}` };
  if (await stat(final).then((s) => s.size > 1000, () => false)) return track;

  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${name}`);
  await mkdir(tmp, { recursive: true });
  await writeFile(join(tmp, 'song.mma'), song.text);
  await runTool({ command: 'mma', args: ['-f', join(tmp, 'song.mid'), join(tmp, 'song.mma')], timeoutMs: 60_000 });
  const render = { midi: join(tmp, 'song.mid'), output: join(tmp, 'band.wav'), soundfont, gain: rng.range(0.3, 0.7), reverb: rng.chance(0.5) };
  if (drumKit) await renderMidiWithKit({ ...render, ...drumKit, tmp });
  else await renderMidi(render);

  let mixIn = join(tmp, 'band.wav');
  if (rng.chance(recipe.vocalChance)) {
    mixIn = await addVoice({ genre, tmp, band: mixIn, barSeconds: 240 / song.tempo, rng });
  }
  const produced = join(tmp, 'produced.wav');
  const fx = productionEffects({ rng, saturation: genre === 'Metal' ? 'heavy' : 'light' });
  // -R: sox's dither is otherwise seeded from the clock, so no two renders were alike.
  await runTool({ command: 'sox', args: ['-R', '-q', mixIn, produced, ...fx], timeoutMs: 120_000 });
  const partial = join(dir, `.partial-${name}.${bitrate ? 'mp3' : 'wav'}`);
  const codec = bitrate ? ['-c:a', 'libmp3lame', '-b:a', bitrate] : ['-c:a', 'pcm_s16le'];
  const lofi = style === 'lofi' ? ['-filter_complex', lofiFilterGraph({ rng, seconds })] : [];
  await runTool({ command: 'ffmpeg', args: ['-nostdin', '-v', 'error', '-y', '-i', produced, ...lofi, ...codec, partial], timeoutMs: 120_000 });
  await rename(partial, final);
  await rm(tmp, { recursive: true, force: true });
  return track;
}

/** Speech over the band: dense, fast, low rap for hip-hop; slower lines elsewhere. */
async function addVoice({ genre, tmp, band, barSeconds, rng }: { genre: Genre; tmp: string; band: string; barSeconds: number; rng: ReturnType<typeof createRng> }): Promise<string> {
  const rap = genre === 'Hiphop';
  const text = (rap ? rapLines({ rng, count: 16 }) : songLines({ rng, count: 8 })).join(rap ? ', ' : '. ');
  const voice = join(tmp, 'voice.wav');
  await runTool({
    command: 'espeak-ng',
    args: ['-v', rng.pick(VOICES), '-s', String(rap ? rng.int(190, 280) : rng.int(110, 160)), '-p', String(rap ? rng.int(15, 45) : rng.int(40, 80)), '-g', String(rng.int(0, 4)), '-w', voice, text],
    timeoutMs: 60_000,
  });
  const out = join(tmp, 'with-voice.wav');
  const delayMs = Math.round(barSeconds * 1000 * rng.int(1, 2));
  const level = rng.range(0.6, 1.2).toFixed(2);
  await runTool({
    command: 'ffmpeg',
    args: [
      '-nostdin', '-v', 'error', '-y', '-i', band, '-i', voice, '-filter_complex',
      `[1:a]aresample=44100,highpass=f=120,acompressor=threshold=0.1:ratio=4,aecho=0.8:0.5:${rng.int(20, 60)}:0.2,volume=${level},adelay=${delayMs}:all=1[v];[0:a][v]amix=inputs=2:duration=first:normalize=0,alimiter=limit=0.95`,
      '-ar', '44100', '-c:a', 'pcm_s16le', out,
    ],
    timeoutMs: 120_000,
  });
  return out;
}
