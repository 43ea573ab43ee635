import type { Genre } from './genres.js';

/**
 * What the generator plays for each genre: mma groove libraries (human-written accompaniment
 * styles shipped with Debian's mma), tempo range, chord progressions (Roman-numeral-free: written
 * in C and transposed), voice swaps that turn a groove's instruments into the genre's sound, and
 * lead/melody instruments. Every genre gets the same render chain afterwards, so the genre lives
 * in the music, not in the processing.
 */
export interface GenreRecipe {
  /** mma library files (relative to /usr/share/mma/lib) whose grooves fit the genre. */
  grooveFiles: string[];
  tempo: [number, number];
  progressions: string[][];
  /** Alternative VoiceTr tables (mma voice translation); one is drawn per render. */
  voiceSwaps: string[][];
  leadVoices: string[];
  /** Probability of a voice track (rap for hip-hop; spoken/sung lines elsewhere). */
  vocalChance: number;
}

const JAZZ_PROGRESSIONS = [
  ['Dm9', 'G13', 'Cmaj9', 'Cmaj9', 'Dm9', 'G7b9', 'Cmaj7', 'A7#9'],
  ['Cmaj7', 'A7', 'Dm7', 'G7', 'Em7', 'A7', 'Dm7', 'G7'],
  ['C7', 'F7', 'C7', 'Gm7 C7', 'F7', 'F#dim7', 'C7', 'A7', 'Dm7', 'G7', 'C7 A7', 'Dm7 G7'],
  ['Dm7b5', 'G7b9', 'Cm9', 'Cm9', 'Fm9', 'Bb13', 'Ebmaj7', 'Abmaj7'],
  ['Fmaj7', 'Em7b5 A7', 'Dm7', 'Cm7 F7', 'Bbmaj7', 'Bbm6', 'Am7', 'D7b9', 'Gm7', 'C13'],
  ['Cm6', 'Cm6', 'Fm9', 'Fm9', 'Dm7b5', 'G7#5', 'Cm6', 'G7b9'],
];

export const RECIPES: Record<Genre, GenreRecipe> = {
  Jazz: {
    grooveFiles: [
      'stdlib/swing.mma', 'stdlib/bebop.mma', 'stdlib/jazzcombo.mma', 'stdlib/bigband.mma', 'stdlib/fastswing.mma',
      'stdlib/slowjazz.mma', 'stdlib/mellowjazz.mma', 'stdlib/modernjazz.mma', 'stdlib/nitejazz.mma', 'stdlib/jazzguitar.mma',
      'stdlib/easyswing.mma', 'stdlib/jazzwaltz.mma', 'stdlib/evansish.mma', 'stdlib/slowblues.mma', 'stdlib/dixie.mma',
      'yamaha/jazzswing.mma', 'yamaha/jazzbasie.mma', 'yamaha/jazztrio.mma', 'yamaha/jazzGrtrio.mma', 'casio/jazzcombo.mma',
      'casio/swing.mma', 'casio/slowswing.mma', 'zoom/jazz.mma',
    ],
    tempo: [70, 230],
    progressions: JAZZ_PROGRESSIONS,
    voiceSwaps: [[], ['Piano1=RhodesPiano'], ['Piano1=Vibraphone'], ['Piano1=JazzGuitar'], ['Strings=BrassSection']],
    leadVoices: ['TenorSax', 'AltoSax', 'Trumpet', 'MutedTrumpet', 'Trombone', 'Vibraphone', 'Piano1', 'JazzGuitar', 'Clarinet', 'BaritoneSax'],
    vocalChance: 0.15,
  },
  Hiphop: {
    grooveFiles: ['zoom/hiphop.mma', 'alexis/hiphop.mma', 'casio/hip-hop.mma', 'casio/triphop.mma', 'zoom/rnb.mma', 'kara/Kfunk1.mma', 'zoom/funk.mma'],
    tempo: [78, 100],
    progressions: [
      ['Cm9', 'Cm9', 'Abmaj7', 'Abmaj7'], ['Am7', 'Dm7', 'Am7', 'Em7'], ['Fm7', 'Bbm7', 'Eb', 'Ab'],
      ['Cm', 'Ab', 'Eb', 'Bb'], ['Dm9', 'Gm9'], ['Ebmaj7', 'Dm7', 'Cm7', 'Cm7'], ['Em', 'Em', 'C', 'B7'],
    ],
    voiceSwaps: [
      ['Piano1=RhodesPiano', 'FingeredBass=SynthBass2', 'AcousticBass=SynthBass2'],
      ['Piano1=Strings', 'FingeredBass=SynthBass1'], ['Piano1=EPiano', 'CleanGuitar=MutedGuitar'], ['Organ1=WarmPad'], [],
    ],
    leadVoices: ['RhodesPiano', 'Strings', 'Flute', 'SynthBrass1', 'Vibraphone', 'Piano1', 'WarmPad', 'MutedTrumpet'],
    vocalChance: 1,
  },
  Metal: {
    grooveFiles: ['pflib/metal1.mma', 'pflib/metal2.mma', 'casio/heavymetal.mma', 'casio/digitalrock.mma', 'casio/rock1.mma', 'casio/rock2.mma', 'zoom/rock.mma', 'stdlib/rock-128.mma', 'pflib/rock1.mma', 'casio/shufflerock.mma'],
    tempo: [100, 200],
    progressions: [
      ['E5', 'E5', 'G5', 'A5'], ['E5', 'C5', 'D5', 'B5'], ['D5', 'F5', 'G5', 'Bb5'], ['A5', 'G5', 'F5', 'E5'],
      ['Em', 'C', 'D', 'Bm'], ['C#5', 'E5', 'F#5', 'C#5'], ['E5', 'F5', 'E5', 'G5 F5'],
    ],
    voiceSwaps: [
      ['Piano1=DistortionGuitar', 'CleanGuitar=DistortionGuitar', 'SteelGuitar=OverDriveGuitar', 'NylonGuitar=DistortionGuitar', 'Organ1=DistortionGuitar', 'Strings=OverDriveGuitar', 'FingeredBass=PickedBass', 'MutedGuitar=DistortionGuitar', 'JazzGuitar=OverDriveGuitar'],
      ['Piano1=OverDriveGuitar', 'CleanGuitar=OverDriveGuitar', 'SteelGuitar=DistortionGuitar', 'Organ1=DistortionGuitar', 'Organ2=DistortionGuitar', 'MutedGuitar=OverDriveGuitar', 'Strings=DistortionGuitar'],
    ],
    leadVoices: ['DistortionGuitar', 'OverDriveGuitar', 'DistortionGuitar', 'GuitarHarmonics'],
    vocalChance: 0.2,
  },
  EDM: {
    grooveFiles: ['casio/techno.mma', 'casio/house.mma', 'casio/trance1.mma', 'casio/trance2.mma', 'casio/dance1.mma', 'casio/dance2.mma', 'casio/dancepop1.mma', 'casio/dancepop2.mma', 'casio/8beatdance.mma', 'zoom/dance.mma', 'zoom/house.mma', 'zoom/techno.mma', 'alexis/teamtechno.mma', 'stdlib/trance.mma'],
    tempo: [118, 140],
    progressions: [['Am', 'F', 'C', 'G'], ['Fm', 'Db', 'Ab', 'Eb'], ['Cm', 'Cm', 'Ab', 'Bb'], ['Dm', 'Bb', 'F', 'C'], ['Gm', 'Eb', 'Bb', 'F'], ['Am', 'Am', 'Am', 'G']],
    voiceSwaps: [
      ['Piano1=SawWave', 'Strings=WarmPad', 'FingeredBass=SynthBass1'], ['Piano1=5thSawWave', 'Strings=PolySynth', 'FingeredBass=SynthBass2'],
      ['Piano1=SquareWave', 'Organ1=SweepPad'], [],
    ],
    leadVoices: ['SawWave', 'SquareWave', '5thSawWave', 'Bass&Lead', 'PolySynth', 'SynCalliope', 'ChifferLead', 'Charang'],
    vocalChance: 0.2,
  },
  Classical: {
    grooveFiles: ['stdlib/arpeggio44.mma', 'stdlib/arpeggio68.mma', 'stdlib/arpeggiowaltz.mma', 'stdlib/stringballad.mma', 'stdlib/waltz.mma', 'stdlib/vienesewaltz.mma', 'stdlib/hymn.mma', 'stdlib/pianoballad.mma', 'stdlib/ballad68.mma', 'stdlib/lullaby.mma'],
    tempo: [56, 140],
    progressions: [
      ['C', 'G/B', 'Am', 'Em/G', 'F', 'C/E', 'Dm', 'G7'], ['Am', 'Dm', 'G7', 'C', 'F', 'Bdim', 'E7', 'Am'],
      ['D', 'A', 'Bm', 'F#m', 'G', 'D', 'G', 'A7'], ['Cm', 'Fm', 'G7', 'Cm', 'Ab', 'Fm', 'D7', 'G'],
    ],
    voiceSwaps: [
      ['Piano1=Strings', 'Piano2=Strings', 'FingeredBass=ContraBass', 'AcousticBass=Cello', 'NylonGuitar=OrchestralHarp'],
      ['NylonGuitar=Piano1', 'FingeredBass=Cello', 'AcousticBass=Cello'], ['Piano1=HarpsiChord', 'AcousticBass=Cello'], [],
    ],
    leadVoices: ['Violin', 'Flute', 'Oboe', 'Clarinet', 'Cello', 'FrenchHorn', 'Piano1', 'Strings', 'Viola'],
    vocalChance: 0.1,
  },
};

/**
 * Instrumental hip-hop (beats, lo-fi): the hip-hop grooves at slower tempos under jazz-like
 * chords and mellow keys, with no voice (every default hip-hop track raps). Used only by the
 * build's --instrumental-hiphop / --lofi-hiphop options: the lo-fi tracks train the bundled
 * model's second network, the plain instrumental ones were not adopted (docs/experiments.md).
 */
export const INSTRUMENTAL_HIPHOP: GenreRecipe = {
  ...RECIPES.Hiphop,
  tempo: [70, 95],
  progressions: [
    ...RECIPES.Hiphop.progressions,
    ['Dm9', 'G13', 'Cmaj9', 'Cmaj9'], ['Fmaj7', 'Em7', 'Dm7', 'Cmaj7'], ['Cm9', 'Fm9'], ['Ebmaj7', 'Dm7', 'Cm7', 'Bb13'],
  ],
  voiceSwaps: [
    ['Piano1=RhodesPiano', 'FingeredBass=AcousticBass'], ['Piano1=EPiano'], ['Piano1=Vibraphone'],
    ['Piano1=RhodesPiano', 'Strings=WarmPad'], ['Piano1=NylonGuitar'], [],
  ],
  leadVoices: ['RhodesPiano', 'Vibraphone', 'MutedTrumpet', 'Flute', 'NylonGuitar', 'Piano1', 'TenorSax', 'WarmPad'],
  vocalChance: 0,
};
