import { test } from 'node:test';
import assert from 'node:assert/strict';
import { beatsPerBarOf, composeMma, fitRhythm, mainGrooves } from '../../../src/lab/datasets/bundled/compose-mma.js';
import { execFileSync } from 'node:child_process';
import { lofiFilterGraph, productionEffects } from '../../../src/lab/datasets/bundled/post-process.js';
import { createRng } from '../../../src/lab/datasets/bundled/random.js';
import { INSTRUMENTAL_HIPHOP, RECIPES } from '../../../src/lab/datasets/bundled/recipes.js';
import { renderGeneratedTrack } from '../../../src/lab/datasets/bundled/render-generated.js';

test('the seeded generator repeats itself exactly and differs between seeds', () => {
  const a = createRng({ seed: 'x' });
  const b = createRng({ seed: 'x' });
  const c = createRng({ seed: 'y' });
  const seqA = Array.from({ length: 20 }, () => a.next());
  assert.deepEqual(seqA, Array.from({ length: 20 }, () => b.next()));
  assert.notDeepEqual(seqA, Array.from({ length: 20 }, () => c.next()));
  assert.ok(seqA.every((x) => x >= 0 && x < 1));
  const r = createRng({ seed: 1 });
  for (let i = 0; i < 200; i++) {
    const n = r.int(3, 5);
    assert.ok(n >= 3 && n <= 5 && Number.isInteger(n));
  }
  assert.throws(() => r.pick([]), RangeError);
});

test('mainGrooves keeps loops and drops intros, endings and fills; beatsPerBarOf reads the meter', () => {
  const lib = 'Time 3\nDefGroove Waltz  a waltz\nDefGroove WaltzSus\nDefGroove WaltzIntro\nDefGroove WaltzEnd\ndefgroove WaltzFill\n';
  assert.deepEqual(mainGrooves({ libraryText: lib }), ['Waltz', 'WaltzSus']);
  assert.equal(beatsPerBarOf({ libraryText: lib }), 3);
  assert.equal(beatsPerBarOf({ libraryText: 'DefGroove X' }), 4);
  assert.equal(fitRhythm({ rhythm: '{1 8 90; 3.5 8 70; 4 4 80}', beatsPerBar: 3 }), '{1 8 90; 3.5 8 70}');
});

test('composeMma: same seed, same song; tempo within the recipe; enough bars for the asked length', () => {
  const make = (seed: number) => composeMma({ recipe: RECIPES.Jazz, grooves: ['Swing', 'SwingSus'], rng: createRng({ seed }), seconds: 40, mmaSeed: 77 });
  assert.equal(make(3).text, make(3).text);
  assert.match(make(3).text, /^RndSeed 77$/m, "mma's own randomness is seeded too");
  assert.notEqual(make(3).text, make(4).text);
  for (let seed = 0; seed < 30; seed++) {
    const song = make(seed);
    assert.ok(song.tempo >= RECIPES.Jazz.tempo[0] && song.tempo <= RECIPES.Jazz.tempo[1]);
    assert.ok((song.bars * 4 * 60) / song.tempo >= 40, 'long enough');
    assert.match(song.text, /^Groove (Swing|SwingSus)$/m);
    assert.match(song.text, new RegExp(`^${song.bars} \\S`, 'm'), 'last bar present');
  }
});

test('production effects come from one distribution for all genres; only saturation strength differs', () => {
  const light = Array.from({ length: 300 }, (_, i) => productionEffects({ rng: createRng({ seed: i }), saturation: 'light' }));
  const heavy = Array.from({ length: 300 }, (_, i) => productionEffects({ rng: createRng({ seed: i }), saturation: 'heavy' }));
  const share = (sets: string[][], fx: string) => sets.filter((s) => s.includes(fx)).length / sets.length;
  for (const fx of ['reverb', 'compand', 'lowpass']) assert.ok(Math.abs(share(light, fx) - share(heavy, fx)) < 0.12, fx);
  assert.ok(share(heavy, 'overdrive') > 0.6 && share(light, 'overdrive') < 0.3);
  assert.ok(light.every((s) => s.at(-2) === 'norm'));
});

test('instrumental hip-hop: the hip-hop grooves with no voice; only hip-hop has it, and lo-fi only hip-hop and jazz', async () => {
  assert.equal(INSTRUMENTAL_HIPHOP.vocalChance, 0);
  assert.deepEqual(INSTRUMENTAL_HIPHOP.grooveFiles, RECIPES.Hiphop.grooveFiles);
  assert.ok(INSTRUMENTAL_HIPHOP.tempo[1] <= RECIPES.Hiphop.tempo[1]);
  const song = composeMma({ recipe: INSTRUMENTAL_HIPHOP, grooves: ['HipHop'], rng: createRng({ seed: 5 }), seconds: 40, mmaSeed: 1 });
  assert.ok(song.tempo >= 70 && song.tempo <= 95);
  await assert.rejects(renderGeneratedTrack({ genre: 'Jazz', index: 0, seed: 1, workDir: '/nonexistent', style: 'instrumental' }), /no instrumental recipe for Jazz/);
  await assert.rejects(renderGeneratedTrack({ genre: 'Metal', index: 0, seed: 1, workDir: '/nonexistent', style: 'lofi' }), /no lofi recipe for Metal/);
});

test('lo-fi production: ffmpeg accepts the graph, it is seeded, and it dulls the top end under a hiss', () => {
  const graph = (seed: number) => lofiFilterGraph({ rng: createRng({ seed }), seconds: 2 });
  assert.equal(graph(3), graph(3));
  assert.notEqual(graph(3), graph(4));
  const rmsOf = (filter: string[]) => {
    const raw = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=9000:sample_rate=44100:duration=2', ...filter, '-ac', '1', '-f', 'f32le', 'pipe:1'], { timeout: 60_000 });
    const samples = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4).subarray(22050);
    return Math.sqrt(samples.reduce((s, v) => s + v * v, 0) / samples.length);
  };
  const before = rmsOf([]);
  for (const seed of [1, 2, 3]) {
    const after = rmsOf(['-filter_complex', graph(seed)]);
    assert.ok(after < before / 4, `9 kHz kept: ${after} of ${before}`);
    assert.ok(after > 0, 'hiss');
  }
});
