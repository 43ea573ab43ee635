import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import midiFile from 'midi-file';
import type { MidiEvent } from 'midi-file';
import { mixAtRatio, mixDrumHits } from '../../../src/lab/datasets/bundled/drum-kit-mix.js';
import { layerFor, mapKitToNotes, parseDrumkitXml, type DrumKit } from '../../../src/lab/datasets/bundled/drum-kits.js';
import type { Genre } from '../../../src/lab/datasets/bundled/genres.js';
import { splitDrums } from '../../../src/lab/datasets/bundled/midi-drums.js';
import { kitsForGenre, loadDrumKits } from '../../../src/lab/datasets/bundled/render-kit-drums.js';

const note = (type: 'noteOn' | 'noteOff', deltaTime: number, channel: number, noteNumber: number, velocity = 100): MidiEvent => ({ type, deltaTime, channel, noteNumber, velocity });

test('splitDrums: drum hits in seconds through a tempo change; the band keeps every other event at its tick', () => {
  // 480 ticks per beat; 120 bpm (0.5 s/beat) until tick 960, then 60 bpm (1 s/beat).
  const midi = Uint8Array.from(midiFile.writeMidi({
    header: { format: 1, numTracks: 2, ticksPerBeat: 480 },
    tracks: [
      [{ type: 'setTempo', deltaTime: 0, microsecondsPerBeat: 500_000, meta: true }, { type: 'setTempo', deltaTime: 960, microsecondsPerBeat: 1_000_000, meta: true }, { type: 'endOfTrack', deltaTime: 0, meta: true }],
      [
        note('noteOn', 0, 9, 36), note('noteOn', 0, 0, 60), note('noteOff', 240, 9, 36, 0),
        note('noteOn', 240, 9, 38, 80), // tick 480 → 0.5 s
        note('noteOn', 480, 9, 70, 90), // tick 960: percussion the kit lacks, stays in the band
        note('noteOn', 480, 9, 42, 64), // tick 1440 → 2 beats at 0.5 s + 1 beat at 1 s = 2 s
        note('noteOff', 0, 0, 60, 0),
        { type: 'endOfTrack', deltaTime: 0, meta: true },
      ],
    ],
  }));
  const { band, drums, hits } = splitDrums({ midi, take: (n) => n !== 70 });
  assert.deepEqual(hits.map((h) => [h.note, h.velocity, Number(h.timeSec.toFixed(6))]), [[36, 100, 0], [38, 80, 0.5], [42, 64, 2]]);
  const kept = midiFile.parseMidi(band).tracks[1] ?? [];
  let tick = 0;
  const at = kept.map((e) => ((tick += e.deltaTime), [e.type, 'noteNumber' in e ? e.noteNumber : null, tick]));
  assert.deepEqual(at, [['noteOn', 60, 0], ['noteOn', 70, 960], ['noteOff', 60, 1440], ['endOfTrack', null, 1440]]);
  tick = 0;
  const drumTicks = (midiFile.parseMidi(drums).tracks[1] ?? []).map((e) => ((tick += e.deltaTime), ['noteNumber' in e ? e.noteNumber : null, tick]));
  assert.deepEqual(drumTicks, [[36, 0], [36, 240], [38, 480], [42, 1440], [null, 1440]], 'only the taken drum notes, at their ticks');
  assert.equal(midiFile.parseMidi(drums).tracks[0]?.filter((e) => e.type === 'setTempo').length, 2, 'the tempo map stays');
});

const LAYERED = `<?xml version="1.0"?><drumkit_info xmlns="http://www.hydrogen-music.org/drumkit"><name>Test Kit</name><instrumentList>
  <instrument><id>0</id><name>Pearl Kick</name><volume>0.8</volume><layer><filename>k-soft.wav</filename><min>0</min><max>0.5</max><gain>1</gain></layer><layer><filename>k-hard.wav</filename><min>0.5</min><max>1</max><gain>0.9</gain></layer></instrument>
  <instrument><id>1</id><name>Snare Roll</name><volume>1</volume><layer><filename>roll.wav</filename><min>0</min><max>1</max><gain>1</gain></layer></instrument>
  <instrument><id>2</id><name>Pearl Snare</name><volume>1</volume><layer><filename>s.wav</filename><min>0</min><max>1</max><gain>1</gain></layer></instrument>
  <instrument><id>3</id><name>Sabian Hat Closed</name><volume>1</volume><layer><filename>hc.wav</filename><min>0</min><max>1</max><gain>1</gain></layer></instrument>
  <instrument><id>4</id><name>Sabian Hat Open</name><volume>1</volume><layer><filename>ho.wav</filename><min>0</min><max>1</max><gain>1</gain></layer></instrument>
  <instrument><id>5</id><name>15</name><volume>1</volume></instrument>
</instrumentList></drumkit_info>`;
const OLD_STYLE = `<drumkit_info><name>Old</name><instrumentList>
  <instrument><id>0</id><filename>bd.flac</filename><name>c3 - bass drum 1</name><volume>0.9</volume></instrument>
  <instrument><id>1</id><filename>cl.flac</filename><name>Clap 1</name><volume>1</volume></instrument>
</instrumentList></drumkit_info>`;

test('parseDrumkitXml reads layered and one-file kits; instruments without samples are dropped', () => {
  const kit = parseDrumkitXml({ xml: LAYERED, dir: '/kits/test' });
  assert.equal(kit.name, 'Test Kit');
  assert.deepEqual(kit.instruments.map((i) => i.name), ['Pearl Kick', 'Snare Roll', 'Pearl Snare', 'Sabian Hat Closed', 'Sabian Hat Open']);
  assert.deepEqual(kit.instruments[0]?.layers[1], { file: 'k-hard.wav', min: 0.5, max: 1, gain: 0.9 });
  const old = parseDrumkitXml({ xml: OLD_STYLE, dir: '/kits/old' });
  assert.deepEqual(old.instruments.map((i) => [i.name, i.level, i.layers[0]?.file]), [['c3 - bass drum 1', 0.9, 'bd.flac'], ['Clap 1', 1, 'cl.flac']]);
  assert.throws(() => parseDrumkitXml({ xml: '<song/>', dir: '/x' }), /not a Hydrogen drumkit/);
});

test('mapKitToNotes: GM notes by instrument name, stand-ins for missing roles, null without kick/snare/hat', () => {
  const notes = mapKitToNotes({ kit: parseDrumkitXml({ xml: LAYERED, dir: '/k' }) });
  assert.ok(notes);
  assert.equal(notes.get(36)?.name, 'Pearl Kick');
  assert.equal(notes.get(38)?.name, 'Pearl Snare', 'a snare roll is not the snare');
  assert.equal(notes.get(46)?.name, 'Sabian Hat Open');
  assert.equal(notes.get(44)?.name, 'Sabian Hat Closed', 'no pedal hat: the closed one plays it');
  assert.equal(notes.get(51)?.name, 'Sabian Hat Closed', 'no ride: the closed hat plays it');
  assert.equal(notes.has(41), false, 'no toms at all: tom notes stay with the soundfont');
  assert.equal(mapKitToNotes({ kit: parseDrumkitXml({ xml: OLD_STYLE, dir: '/k' }) }), null);
});

test('layerFor: the layer whose range holds the velocity, else the nearest', () => {
  const kick = parseDrumkitXml({ xml: LAYERED, dir: '/k' }).instruments[0];
  assert.ok(kick);
  assert.equal(layerFor({ instrument: kick, velocity: 20 }).file, 'k-soft.wav');
  assert.equal(layerFor({ instrument: kick, velocity: 127 }).file, 'k-hard.wav');
  const gap = { ...kick, layers: [{ file: 'a', min: 0, max: 0.2, gain: 1 }, { file: 'b', min: 0.7, max: 1, gain: 1 }] };
  assert.equal(layerFor({ instrument: gap, velocity: 76 }).file, 'b');
});

test('mixDrumHits: hits land at their frame scaled by velocity and level; a closed hat chokes an open one', () => {
  const kit: DrumKit = parseDrumkitXml({ xml: LAYERED, dir: '/k' });
  const notes = mapKitToNotes({ kit });
  assert.ok(notes);
  const ones = (frames: number): Float32Array => new Float32Array(frames * 2).fill(1);
  const samples = new Map(['k-soft.wav', 'k-hard.wav', 's.wav', 'hc.wav', 'ho.wav'].map((f) => [`/k/${f}`, ones(f === 'ho.wav' ? 500 : 10)]));
  const out = mixDrumHits({
    hits: [{ timeSec: 0.01, note: 36, velocity: 127 }, { timeSec: 0.1, note: 46, velocity: 127 }, { timeSec: 0.2, note: 42, velocity: 127 }, { timeSec: 0.299, note: 38, velocity: 127 }],
    notes, samples, kitDir: '/k', frames: 300, sampleRate: 1000,
  });
  assert.equal(out.length, 600);
  assert.ok(Math.abs((out[20] as number) - 0.8 * 0.9) < 1e-6, 'kick at frame 10: level 0.8 × layer gain 0.9');
  assert.equal(out[18], 0);
  assert.equal(out[2 * 150], 1, 'open hat rings until the closed hat');
  assert.equal(out[2 * 209], 1, 'closed hat sample itself');
  assert.equal(out[2 * 250], 0, 'open hat choked: its 500-frame sample does not reach frame 250');
  assert.equal(out[2 * 299], 1, 'snare cut at the buffer end, no overflow');
});

test('mixAtRatio: drums scaled to the asked RMS ratio; the sum never clips; silence is safe', () => {
  const band = new Float32Array(1000).map((_, i) => 0.2 * Math.sin(i / 7));
  const drums = new Float32Array(1000).map((_, i) => (i % 100 === 0 ? 1 : 0));
  const rms = (x: Float32Array): number => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
  const mixed = mixAtRatio({ band, drums, drumToBandRatio: 0.5, peak: 10 });
  const drumPart = mixed.map((v, i) => v - (band[i] as number));
  assert.ok(Math.abs(rms(drumPart) / rms(band) - 0.5) < 1e-3);
  const loud = mixAtRatio({ band, drums, drumToBandRatio: 3 });
  assert.ok(Math.max(...loud.map(Math.abs)) <= 0.98 + 1e-6);
  assert.deepEqual(mixAtRatio({ band, drums: new Float32Array(1000), drumToBandRatio: 1 }), band);
});

test('loadDrumKits keeps the kits that can play a groove; kitsForGenre gives EDM drum machines, metal recorded kits, hip-hop both', async () => {
  const root = await mkdtemp(join(tmpdir(), 'kits-'));
  try {
    for (const [name, xml] of [['The Black Pearl 1.0', LAYERED], ['HardElectro1', LAYERED], ['Gimme A Hand 1.0', OLD_STYLE], ['empty', null]] as const) {
      await mkdir(join(root, name));
      if (xml) await writeFile(join(root, name, 'drumkit.xml'), xml);
    }
    const kits = await loadDrumKits({ root });
    assert.deepEqual(kits.map((k) => [k.kit.dir, k.electronic]), [[join(root, 'HardElectro1'), true], [join(root, 'The Black Pearl 1.0'), false]]);
    const dirs = (genre: Genre): string[] => kitsForGenre({ kits, genre }).map((k) => k.kit.dir.slice(root.length + 1));
    assert.deepEqual(dirs('EDM'), ['HardElectro1']);
    assert.deepEqual(dirs('Metal'), ['The Black Pearl 1.0']);
    assert.deepEqual(dirs('Hiphop'), ['HardElectro1', 'The Black Pearl 1.0']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
