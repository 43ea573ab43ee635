import type { Genre } from './genres.js';

/**
 * The labelling table: which Debian packages give real music, how to get the audio out, and the
 * genre of each track. Labels come from titles, credits and the packages' copyright/README files;
 * every decision is written down in docs/data.md. First matching rule wins; a track that matches
 * no rule (or a rule with genre null) is skipped, because a wrong label hurts more than a missing
 * clip.
 */
export interface TrackRule {
  /** Tested against the track's path relative to the extracted package (or archive) root. */
  match: RegExp;
  genre: Genre | null;
  why: string;
}

export type SourceRole = 'train' | 'eval';

/** How a package stores its music: audio files, MIDI or MuseScore scores to render, or Frets on Fire stems. */
export type SourceKind = 'audio' | 'midi' | 'score' | 'stems';

export interface PackageSource {
  package: string;
  role: SourceRole;
  kind: SourceKind;
  /** tar wildcards pulled from the package's data (copyright is always added). */
  paths: string[];
  /** zip/pk3 archives inside the package whose audio is pulled out (unzip wildcards). */
  archives?: { path: string; members: string }[];
  rules: TrackRule[];
  /** Summary of the package's debian/copyright for the music; the file itself is quoted in the datacard. */
  licence: string;
}

/** Reserved for independent evaluation: never used for training, whatever else changes. */
export const RESERVED_EVAL_PACKAGES = ['widelands-data', 'supertuxkart-data', 'lincity-ng-data'] as const;

export const PACKAGE_SOURCES: readonly PackageSource[] = [
  {
    package: 'wesnoth-1.16-music',
    role: 'train',
    kind: 'audio',
    paths: ['*/music/*.ogg'],
    licence: 'GPL-2+',
    rules: [
      { match: /(defeat|victory|silence)\d*\.ogg$/, genre: null, why: 'short stingers, not full pieces' },
      { match: /\.ogg$/, genre: 'Classical', why: 'orchestral score ("Romantic Classical" per the package)' },
    ],
  },
  {
    package: 'freedink-data',
    role: 'train',
    kind: 'audio',
    paths: ['*/Sound/1.ogg', '*/Sound/106.ogg'],
    licence: 'Wikimedia Commons recordings, per-file terms in debian/copyright',
    rules: [
      { match: /\/1\.ogg$/, genre: 'Classical', why: 'Bach/Gounod Ave Maria, cello recording (copyright file)' },
      { match: /\/106\.ogg$/, genre: 'Classical', why: 'Mendelssohn violin concerto op. 64, concert recording (copyright file)' },
    ],
  },
  {
    package: 'nexuiz-music',
    role: 'train',
    kind: 'audio',
    paths: ['*/music.pk3'],
    archives: [{ path: 'music.pk3', members: 'sound/cdtracks/*.ogg' }],
    licence: 'GPL-2+',
    rules: [
      { match: /thunder\.ogg$/, genre: null, why: 'sound effect, not music' },
      { match: /\.ogg$/, genre: 'EDM', why: 'electronic / industrial / drum and bass soundtrack' },
    ],
  },
  {
    package: 'openarena-088-data',
    role: 'train',
    kind: 'audio',
    paths: ['*/pak6-patch088.pk3'],
    archives: [{ path: 'pak6-patch088.pk3', members: 'music/*.ogg' }],
    licence: 'GPL-2+',
    rules: [{ match: /OA\d+\.ogg$/, genre: 'Metal', why: 'guitar-driven metal arena soundtrack' }],
  },
  {
    package: 'fretsonfire-songs-muldjord',
    role: 'train',
    kind: 'stems',
    paths: ['*/songs/*.ogg'],
    licence: 'CC-BY-SA-3.0 (Frets on Fire song packs)',
    rules: [{ match: /./, genre: 'Metal', why: 'heavy guitar songs; song.ogg mixed with guitar.ogg (and rhythm.ogg)' }],
  },
  {
    package: 'fretsonfire-songs-sectoid',
    role: 'train',
    kind: 'stems',
    paths: ['*/songs/*.ogg'],
    licence: 'CC-BY-SA-3.0 (Frets on Fire song packs)',
    rules: [{ match: /./, genre: 'Metal', why: 'heavy guitar songs; song.ogg mixed with guitar.ogg (and rhythm.ogg)' }],
  },
  {
    package: 'openttd-openmsx',
    role: 'train',
    kind: 'midi',
    paths: ['*/openmsx/*.mid'],
    licence: 'GPL-2',
    rules: [
      { match: /(boogi_marabi|5432gone|moo|say_what|be_sharp_bw|careless_perc|mosey_along)_redfarn\.mid$/, genre: 'Jazz', why: '"Ezy Street" set: jazz/swing replacements of TTD\'s jazz tunes (openmsx.obm)' },
      { match: /(city_blues|slow_neasy|no_work_song|the_hobo)_redfarn\.mid$/, genre: 'Jazz', why: 'blues/swing pieces by redfarn (titles); blues is folded into Jazz' },
      { match: /\.mid$/, genre: null, why: 'train-themed pop/ragtime/other, no clear genre' },
    ],
  },
  {
    package: 'musescore3-common',
    role: 'train',
    kind: 'score',
    paths: ['*/demos/*.mscx', '*/demos/*.mscz'],
    licence: 'GPL-2 (MuseScore demo scores)',
    rules: [
      { match: /(Fugue_1|Dynamic_Strings)\.mscx$/, genre: 'Classical', why: 'string quartet fugue / string trio ("Allegretto")' },
      { match: /Reunion\.mscz$/, genre: 'Classical', why: 'piano piece, "Andante con moto"' },
      { match: /Unclaimed_Gift\.mscx$/, genre: 'Jazz', why: 'jazz piano (Marc Sabatella): chord symbols throughout, swing marking' },
      { match: /Brassed_Up\.mscx$/, genre: 'Jazz', why: 'brass trio with a "Swing" tempo marking' },
    ],
  },
  // ---- reserved: independent evaluation only ----
  {
    package: 'widelands-data',
    role: 'eval',
    kind: 'audio',
    paths: ['*/data/music/*.ogg'],
    licence: 'GPL-2+ / CC-BY-SA (see copyright)',
    rules: [{ match: /(ingame_\d+|intro|menu)\.ogg$/, genre: 'Classical', why: 'orchestral game score' }],
  },
  {
    package: 'supertuxkart-data',
    role: 'eval',
    kind: 'audio',
    paths: ['*/data/music/*.ogg'],
    licence: 'CC-BY-SA / GPL (see copyright, per track)',
    rules: [
      { match: /_fast\.ogg$/, genre: null, why: 'sped-up duplicate of another track' },
      { match: /(xeon6|SkyVibe-HighFrequency|garden|valley|Boom_boom_boom)\.ogg$/, genre: 'EDM', why: 'electronic dance tracks (DJ Helium, Speedsound, Vim, xeon)' },
      { match: /ravenbridge_mansion\.ogg$/, genre: 'Classical', why: 'orchestral' },
      { match: /\.ogg$/, genre: null, why: 'celtic, latin, western, pop, stingers: none of the five genres' },
    ],
  },
  {
    package: 'lincity-ng-data',
    role: 'eval',
    kind: 'audio',
    paths: ['*/music/default/*.ogg'],
    licence: 'GPL-2+',
    rules: [
      { match: /City Blues\.ogg$/, genre: 'Jazz', why: 'title: City Blues (blues, folded into Jazz)' },
      { match: /pronobozo - lincity\.ogg$/, genre: 'EDM', why: 'pronobozo: electronic artist' },
      { match: /\.ogg$/, genre: null, why: 'ambient, no clear genre' },
    ],
  },
];

/**
 * `dataset build-bundled --more-sources`: two more training packages found by searching Debian's
 * Contents index for music files with a genre in their name. Few tracks, but from
 * composers the default table has none of: more human-written jazz (the weakest genre) and a
 * second real EDM producer. Training only; measured on the selection split (docs/model.md).
 */
export const MORE_PACKAGE_SOURCES: readonly PackageSource[] = [
  {
    package: 'simutrans-data',
    role: 'train',
    kind: 'midi',
    paths: ['*/simutrans/music/*.mid'],
    licence: 'Artistic-1.0 (Simutrans team)',
    rules: [
      { match: /09-Simupolitan-Swing\.mid$/, genre: 'Jazz', why: 'title: swing; trumpet, acoustic bass and drums' },
      { match: /(13-Stephenson-blues|15-The-Wayside-Blues)\.mid$/, genre: 'Jazz', why: 'titles: blues (piano and acoustic bass; harmonica and organ); blues is folded into Jazz' },
      { match: /(46-House-in-the-station|48-Techno-movement)\.mid$/, genre: 'EDM', why: 'titles: house, techno; synth leads, pads and synth bass' },
      { match: /\.mid$/, genre: null, why: 'transport-themed pieces in other styles, or no genre in the title' },
    ],
  },
  {
    package: 'davegnukem-data',
    role: 'train',
    kind: 'audio',
    paths: ['*/music/eric_matyas/*.ogg'],
    licence: 'Expat or GPL-2 or GPL-3 (package copyright, Files: *); music by Eric Matyas, soundimage.org',
    rules: [
      { match: /Techno-(Caper|Gameplay_Looping)\.ogg$/, genre: 'EDM', why: 'titles: techno (Eric Matyas, produced recordings)' },
      { match: /\.ogg$/, genre: null, why: 'chiptune, funk, orchestral-horror: none of the five genres, or unclear' },
    ],
  },
];

/** The genre of one track of a source, or null (skip). */
export function labelTrack({ source, relativePath }: { source: PackageSource; relativePath: string }): TrackRule | null {
  const rule = source.rules.find((r) => r.match.test(relativePath));
  return rule && rule.genre !== null ? rule : null;
}
