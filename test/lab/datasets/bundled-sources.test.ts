import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GENRES, isGenre } from '../../../src/lab/datasets/bundled/genres.js';
import { labelTrack, MORE_PACKAGE_SOURCES, PACKAGE_SOURCES, RESERVED_EVAL_PACKAGES } from '../../../src/lab/datasets/bundled/sources.js';
import { RECIPES } from '../../../src/lab/datasets/bundled/recipes.js';

test('the reserved packages are in the table, for evaluation only, and no other package is', () => {
  for (const reserved of RESERVED_EVAL_PACKAGES) {
    const rows = PACKAGE_SOURCES.filter((s) => s.package === reserved);
    assert.equal(rows.length, 1, `${reserved} listed once`);
    assert.equal(rows[0]?.role, 'eval', `${reserved} never trains`);
  }
  const evalOnly = PACKAGE_SOURCES.filter((s) => s.role === 'eval').map((s) => s.package).sort();
  assert.deepEqual(evalOnly, [...RESERVED_EVAL_PACKAGES].sort());
  assert.equal(new Set(PACKAGE_SOURCES.map((s) => s.package)).size, PACKAGE_SOURCES.length, 'no package listed twice');
});

test('--more-sources packages train only, are not reserved and not already in the default table', () => {
  const defaults = new Set(PACKAGE_SOURCES.map((s) => s.package));
  for (const source of MORE_PACKAGE_SOURCES) {
    assert.equal(source.role, 'train', source.package);
    assert.ok(!(RESERVED_EVAL_PACKAGES as readonly string[]).includes(source.package), `${source.package} is reserved`);
    assert.ok(!defaults.has(source.package), `${source.package} listed twice`);
  }
  const simutrans = MORE_PACKAGE_SOURCES.find((s) => s.package === 'simutrans-data')!;
  const music = 'usr/share/games/simutrans/music/';
  assert.equal(labelTrack({ source: simutrans, relativePath: `${music}09-Simupolitan-Swing.mid` })?.genre, 'Jazz');
  assert.equal(labelTrack({ source: simutrans, relativePath: `${music}15-The-Wayside-Blues.mid` })?.genre, 'Jazz');
  assert.equal(labelTrack({ source: simutrans, relativePath: `${music}48-Techno-movement.mid` })?.genre, 'EDM');
  assert.equal(labelTrack({ source: simutrans, relativePath: `${music}19-Rockin-trucker.mid` }), null, 'rock and roll is none of the five');
  const dave = MORE_PACKAGE_SOURCES.find((s) => s.package === 'davegnukem-data')!;
  assert.equal(labelTrack({ source: dave, relativePath: 'usr/share/games/davegnukem/music/eric_matyas/Techno-Caper.ogg' })?.genre, 'EDM');
  assert.equal(labelTrack({ source: dave, relativePath: 'usr/share/games/davegnukem/music/eric_matyas/8-Bit-Mayhem.ogg' }), null);
});

test('every rule labels with one of the five genres or skips, and says why', () => {
  for (const source of [...PACKAGE_SOURCES, ...MORE_PACKAGE_SOURCES]) {
    assert.ok(source.rules.length > 0, source.package);
    assert.ok(source.licence.length > 0, `${source.package} has a licence summary`);
    for (const rule of source.rules) {
      assert.ok(rule.genre === null || isGenre(rule.genre), `${source.package}: ${rule.genre}`);
      assert.ok(rule.why.length > 3, `${source.package}: ${rule.match} explains itself`);
    }
  }
});

test('labelTrack: first match wins, skip rules and unmatched tracks give null', () => {
  const stk = PACKAGE_SOURCES.find((s) => s.package === 'supertuxkart-data')!;
  assert.equal(labelTrack({ source: stk, relativePath: 'usr/share/games/supertuxkart/data/music/xeon6.ogg' })?.genre, 'EDM');
  assert.equal(labelTrack({ source: stk, relativePath: 'usr/share/games/supertuxkart/data/music/celtic.ogg' }), null);
  assert.equal(labelTrack({ source: stk, relativePath: 'usr/share/games/supertuxkart/data/music/garden_fast.ogg' }), null, 'sped-up duplicates skipped');
  const wesnoth = PACKAGE_SOURCES.find((s) => s.package === 'wesnoth-1.16-music')!;
  assert.equal(labelTrack({ source: wesnoth, relativePath: 'x/music/victory2.ogg' }), null, 'stingers skipped');
  assert.equal(labelTrack({ source: wesnoth, relativePath: 'x/music/knolls.ogg' })?.genre, 'Classical');
  assert.equal(labelTrack({ source: wesnoth, relativePath: 'x/music/readme.txt' }), null);
});

test('training sources cover Classical, EDM, Metal and Jazz with real music, and the generator covers all five', () => {
  const realTrainGenres = new Set(PACKAGE_SOURCES.filter((s) => s.role === 'train').flatMap((s) => s.rules.map((r) => r.genre)).filter((g) => g !== null));
  for (const g of ['Classical', 'EDM', 'Metal', 'Jazz']) assert.ok(realTrainGenres.has(g as never), g);
  assert.deepEqual(Object.keys(RECIPES).sort(), [...GENRES].sort());
  for (const g of GENRES) {
    const r = RECIPES[g];
    assert.ok(r.grooveFiles.length >= 3 && r.progressions.length >= 3 && r.leadVoices.length >= 3, `${g} recipe has variety`);
    assert.ok(r.tempo[0] < r.tempo[1]);
  }
  assert.equal(RECIPES.Hiphop.vocalChance, 1, 'every hip-hop track has a voice');
  for (const g of GENRES.filter((x) => x !== 'Hiphop')) assert.ok(RECIPES[g].vocalChance > 0, `${g} sometimes has a voice too`);
});
