import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchPreview } from '../../src/previews/match.js';
import type { PreviewCandidate } from '../../src/previews/provider.js';

let next = 1;
const c = (artist: string, previewUrl: string | null = 'https://cdnt-preview.dzcdn.net/x.mp3'): PreviewCandidate => ({
  id: String(next++),
  artist,
  title: 'Some Track',
  previewUrl,
});

test('exact first-artist match wins over an earlier containment match', () => {
  const contains = c('Coolio & Friends');
  const exact = c('Coolio');
  assert.equal(matchPreview({ artist: 'coolio', candidates: [contains, exact] }), exact);
});

test('exact match needs a preview: one without is skipped', () => {
  const noPreview = c('Coolio', '');
  const nullPreview = c('Coolio', null);
  const withPreview = c('Coolio');
  assert.equal(matchPreview({ artist: 'Coolio', candidates: [noPreview, nullPreview, withPreview] }), withPreview);
});

test('falls back to the first containment match with a preview', () => {
  const other = c('Weird Al Yankovic');
  const contains = c('Coolio feat. L.V.');
  assert.equal(matchPreview({ artist: 'Coolio', candidates: [other, contains] })?.artist, 'Coolio feat. L.V.');
  const duo = c('Coolio and L.V.');
  assert.equal(matchPreview({ artist: 'Coolio', candidates: [other, duo] }), duo);
});

test('normalisation makes accents, case and punctuation irrelevant', () => {
  const beyonce = c('Beyoncé');
  assert.equal(matchPreview({ artist: 'beyonce', candidates: [c('Beyonce Tribute Band', ''), beyonce] }), beyonce);
  const acdc = c('AC/DC');
  assert.equal(matchPreview({ artist: 'acdc', candidates: [acdc] }), acdc);
  const gnr = c("Guns N' Roses");
  assert.equal(matchPreview({ artist: 'guns n’ roses', candidates: [gnr] }), gnr);
  const jp = c('坂本龍一');
  assert.equal(matchPreview({ artist: '坂本龍一', candidates: [c('Other'), jp] }), jp);
});

test('containment is whole-word: a prefix of another word does not count', () => {
  assert.equal(matchPreview({ artist: 'Ice', candidates: [c('Vanilla Icecream')] }), null);
  assert.equal(matchPreview({ artist: 'Ice', candidates: [c('Vanilla Ice')] })?.artist, 'Vanilla Ice');
});

test('misses: no results, no previews, other artists, empty asked artist', () => {
  assert.equal(matchPreview({ artist: 'Coolio', candidates: [] }), null);
  assert.equal(matchPreview({ artist: 'Coolio', candidates: [c('Coolio', ''), c('Coolio', null)] }), null);
  assert.equal(matchPreview({ artist: 'Coolio', candidates: [c('Weird Al Yankovic')] }), null);
  assert.equal(matchPreview({ artist: '', candidates: [c('Coolio')] }), null);
  assert.equal(matchPreview({ artist: '?!', candidates: [c('?!')] }), null);
});

test('a whitespace-only preview URL counts as none', () => {
  assert.equal(matchPreview({ artist: 'Coolio', candidates: [c('Coolio', '  ')] }), null);
});
