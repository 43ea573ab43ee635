import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeArtist, normalizeText } from '../../src/previews/normalize.js';

test('case, accents and whitespace are ignored', () => {
  assert.equal(normalizeArtist('Beyoncé'), 'beyonce');
  assert.equal(normalizeArtist('  BEYONCE  '), 'beyonce');
  assert.equal(normalizeArtist('Sigur Rós'), 'sigur ros');
  assert.equal(normalizeArtist('Motörhead'), 'motorhead');
  assert.equal(normalizeArtist('Die Ärzte\t\n'), 'die arzte');
});

test('feat./ft./featuring tails are cut, but only after a space or bracket', () => {
  assert.equal(normalizeArtist('Coolio feat. L.V.'), 'coolio');
  assert.equal(normalizeArtist('Coolio Feat.L.V.'), 'coolio');
  assert.equal(normalizeArtist('Coolio ft L.V.'), 'coolio');
  assert.equal(normalizeArtist('Coolio (featuring L.V.)'), 'coolio');
  assert.equal(normalizeArtist('Coolio [Ft. L.V.]'), 'coolio');
  assert.equal(normalizeArtist('Ftwo'), 'ftwo');
  assert.equal(normalizeArtist('Feather'), 'feather');
});

test('& and "and" are the same; punctuation joins or splits sensibly', () => {
  assert.equal(normalizeArtist('Simon & Garfunkel'), normalizeArtist('Simon and Garfunkel'));
  assert.equal(normalizeArtist('AC/DC'), 'acdc');
  assert.equal(normalizeArtist('AC/DC'), normalizeArtist('acdc'));
  assert.equal(normalizeArtist("Guns N' Roses"), 'guns n roses');
  assert.equal(normalizeArtist('Guns N’ Roses'), 'guns n roses');
  assert.equal(normalizeArtist('Jay-Z'), 'jay z');
  assert.equal(normalizeArtist('P!nk'), 'p nk');
});

test('empty and punctuation-only names normalise to empty', () => {
  assert.equal(normalizeArtist(''), '');
  assert.equal(normalizeArtist('   '), '');
  assert.equal(normalizeArtist('!!!?'), '');
});

test('non-Latin scripts and compatibility forms survive', () => {
  assert.equal(normalizeArtist('坂本龍一'), '坂本龍一');
  // Stripping marks turns й into и: harmless, since both sides of a comparison go through it.
  assert.equal(normalizeArtist('Мумий Тролль'), 'мумии тролль');
  assert.equal(normalizeArtist('МУМИЙ ТРОЛЛЬ'), normalizeArtist('Мумий Тролль'));
  assert.equal(normalizeArtist('ＢＴＳ'), 'bts'); // full-width letters (NFKD)
  assert.equal(normalizeText('Straße'), 'strasse');
});
