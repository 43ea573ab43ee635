import { basename, dirname, join } from 'node:path';
import { extractArchive, extractDeb, listFiles } from './extract.js';
import type { Genre } from './genres.js';
import { mixStems } from './mix-stems.js';
import { createRng, hashString } from './random.js';
import { renderMidi } from './render-midi.js';
import { renderScore } from './render-score.js';
import { SOUNDFONTS, type Soundfont } from './tools.js';
import { labelTrack, type PackageSource } from './sources.js';

/** How a track came to be: a recording, a human composition synthesised (MIDI/score), or generated. */
export type Origin = 'recording' | 'midi-rendered' | 'generated';

/** One labelled source track, ready to be cut into clips. */
export interface SourceTrack {
  /** Stable id: `<source>/<name>`; becomes the group of every clip cut from it unless `group` is set. */
  id: string;
  /** The piece the track renders, when several tracks render one piece (one per soundfont). */
  group?: string;
  file: string;
  genre: Genre;
  source: string;
  origin: Origin;
  why: string;
}

const AUDIO = /\.(ogg|mp3|wav|flac|opus)$/i;

/**
 * Extracts one package (only the paths it needs) and lists its labelled tracks, rendering MIDI
 * and mixing stems on the way. Unlabelled tracks are dropped here, so nothing downstream can
 * train on them by accident.
 */
export async function packageTracks({ source, deb, workDir, midiSoundfonts = [] }: {
  source: PackageSource;
  deb: string;
  workDir: string;
  /** Soundfonts each MIDI piece is also rendered through, besides its seeded pick (`--midi-every-soundfont`). */
  midiSoundfonts?: readonly Soundfont[];
}): Promise<SourceTrack[]> {
  const root = join(workDir, 'extracted', source.package);
  await extractDeb({ deb, destDir: root, patterns: source.paths });
  let files = await listFiles({ root });
  for (const archive of source.archives ?? []) {
    const inner = files.find((f) => f.endsWith(archive.path));
    if (inner === undefined) continue;
    const innerRoot = join(root, `${archive.path}.d`);
    await extractArchive({ archive: join(root, inner), members: archive.members, destDir: innerRoot });
    files = [...files, ...(await listFiles({ root: innerRoot })).map((f) => join(`${archive.path}.d`, f))];
  }
  // A re-run lists the archive folders extracted last time as well: count each file once.
  files = [...new Set(files)].sort();
  if (source.kind === 'stems') return stemTracks({ source, root, files, workDir });
  const wanted = source.kind === 'midi' ? /\.midi?$/i : source.kind === 'score' ? /\.msc[xz]$/i : AUDIO;
  const tracks: SourceTrack[] = [];
  for (const rel of files.filter((f) => wanted.test(f) && !f.includes('/doc/'))) {
    const rule = labelTrack({ source, relativePath: rel });
    if (rule === null || rule.genre === null) continue;
    const name = basename(rel).replace(/\.[^.]+$/, '');
    const id = `${source.package}/${name}`;
    let file = join(root, rel);
    if (source.kind === 'midi') {
      // A human composition rendered through a seeded choice of General MIDI soundfont.
      const rng = createRng({ seed: hashString(id) });
      const soundfont = rng.pick(SOUNDFONTS).file;
      file = join(workDir, 'rendered', source.package, `${name}.wav`);
      await renderMidi({ midi: join(root, rel), output: file, soundfont, gain: rng.range(0.4, 0.8) });
      // The same piece through the other soundfonts: more takes of the few human-written pieces,
      // in one group so that validation never holds out one take and trains on another.
      for (const other of midiSoundfonts.filter((f) => f.file !== soundfont)) {
        const font = basename(other.file).replace(/\.sf[23]$/, '');
        const output = join(workDir, 'rendered', source.package, `${name}.${font}.wav`);
        await renderMidi({ midi: join(root, rel), output, soundfont: other.file, gain: rng.range(0.4, 0.8) });
        tracks.push({ id: `${id}.${font}`, group: id, file: output, genre: rule.genre, source: source.package, origin: 'midi-rendered', why: rule.why });
      }
    } else if (source.kind === 'score') {
      file = join(workDir, 'rendered', source.package, `${name}.wav`);
      await renderScore({ score: join(root, rel), output: file });
    }
    const origin = source.kind === 'audio' ? 'recording' : 'midi-rendered';
    tracks.push({ id, file, genre: rule.genre, source: source.package, origin, why: rule.why });
  }
  return tracks;
}

async function stemTracks({ source, root, files, workDir }: { source: PackageSource; root: string; files: string[]; workDir: string }): Promise<SourceTrack[]> {
  const songs = [...new Set(files.filter((f) => f.endsWith('/song.ogg')).map((f) => dirname(f)))];
  const tracks: SourceTrack[] = [];
  for (const songDir of songs) {
    const rule = labelTrack({ source, relativePath: songDir });
    if (rule === null || rule.genre === null) continue;
    const stems = ['song.ogg', 'guitar.ogg', 'rhythm.ogg'].map((s) => join(songDir, s)).filter((s) => files.includes(s));
    const name = basename(songDir);
    const output = join(workDir, 'mixed', source.package, `${name}.wav`);
    await mixStems({ stems: stems.map((s) => join(root, s)), output });
    tracks.push({ id: `${source.package}/${name}`, file: output, genre: rule.genre, source: source.package, origin: 'recording', why: rule.why });
  }
  return tracks;
}
