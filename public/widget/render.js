// Builds the result view from an API answer: the 2017 lines (two genres, whole-percent
// certainty, MFCC image) plus a bar per genre and a per-segment timeline under the image.
// Colours come from CSS classes (mp-genre-0 … mp-genre-7) picked by the label's position in
// the model's label order, so a genre keeps its colour across bars, timeline and legend.
import { h, percent } from './dom.js';

const PALETTE_SIZE = 8;

/**
 * @param {{ result: { first: [string, number], second: [string, number], mfcc?: string,
 *   probabilities?: Record<string, number>, segments?: { start: number, end: number,
 *   probabilities: Record<string, number> }[], track?: { artist?: string, title?: string },
 *   source?: string, uncertain?: boolean, otherScore?: number } }} args
 * @returns {HTMLElement}
 */
export function renderResult({ result }) {
  const probabilities = result.probabilities ?? Object.fromEntries([result.first, result.second]);
  const labels = Object.keys(probabilities);
  const colourOf = (label) => `mp-genre-${Math.max(0, labels.indexOf(label)) % PALETTE_SIZE}`;

  return h('div', { class: 'mp-result' },
    uncertainNote(result),
    h('p', { class: 'mp-best' }, result.uncertain === true ? 'Its closest genres, for what they are worth:' : 'The best prediction of the model:'),
    h('ol', { class: 'mp-top', 'data-testid': 'top-genres' },
      topLine(result.first, colourOf, 'first'),
      topLine(result.second, colourOf, 'second')),
    matchedTrack(result),
    probabilityBars({ probabilities, colourOf }),
    result.mfcc ? mfccFigure({ result, labels, colourOf }) : null);
}

// Models with a "none of the five" output flag music that sounds like none of their genres: say
// so in words instead of presenting a confident wrong genre.
function uncertainNote(result) {
  if (result.uncertain !== true) return null;
  return h('p', { class: 'mp-uncertain', role: 'status', 'data-testid': 'uncertain' },
    "This doesn't sound like any of the five genres we know.");
}

function topLine([label, p], colourOf, rank) {
  return h('li', { class: `mp-top-${rank}`, 'data-genre': label },
    h('span', { class: `mp-swatch ${colourOf(label)}`, 'aria-hidden': 'true' }),
    h('span', { class: 'mp-genre' }, label), ' ',
    h('span', { class: 'mp-certainty' }, percent(p)));
}

function matchedTrack(result) {
  const { artist, title } = result.track ?? {};
  if (!artist && !title) return null;
  const via = result.source ? ` (preview from ${result.source})` : '';
  return h('p', { class: 'mp-track' }, `${[artist, title].filter(Boolean).join(' – ')}${via}`);
}

function probabilityBars({ probabilities, colourOf }) {
  const sorted = Object.entries(probabilities).sort((a, b) => b[1] - a[1]);
  return h('ul', { class: 'mp-bars', 'aria-label': 'Probability of every genre' },
    ...sorted.map(([label, p]) => {
      const fill = h('span', { class: `mp-bar-fill ${colourOf(label)}` });
      // CSSOM writes are allowed under a strict CSP (only style attributes in markup are not).
      fill.style.width = `${Math.min(100, Math.max(0, p * 100)).toFixed(1)}%`;
      return h('li', { class: 'mp-bar', 'data-genre': label },
        h('span', { class: 'mp-bar-label' }, label),
        h('span', { class: 'mp-bar-track', 'aria-hidden': 'true' }, fill),
        h('span', { class: 'mp-bar-value' }, percent(p)));
    }));
}

function mfccFigure({ result, labels, colourOf }) {
  const segments = Array.isArray(result.segments) ? result.segments : [];
  return h('figure', { class: 'mp-figure' },
    h('img', {
      class: 'mp-mfcc',
      src: 'data:image/jpeg;base64,' + result.mfcc,
      alt: 'MFCC image of the audio: time runs left to right, coefficients bottom to top.',
    }),
    segments.length > 0 ? timeline({ segments, colourOf }) : null,
    segments.length > 0 ? legend({ labels, colourOf }) : null,
    h('figcaption', {}, segments.length > 0
      ? 'MFCC image, and below it the most likely genre of every segment (hover or focus a block for details).'
      : 'MFCC image of the audio.'));
}

function dominant(probabilities) {
  return Object.entries(probabilities).reduce((best, entry) => (entry[1] > best[1] ? entry : best), ['?', -1]);
}

function timeline({ segments, colourOf }) {
  // Segments (about 3 s long) may overlap: with a hop shorter than a segment, and always the last
  // one, aligned to the clip's end. Each block spans from its segment's start to the next one's, so
  // the strip lines up with the time axis of the MFCC image above it.
  return h('ol', { class: 'mp-timeline', 'aria-label': 'Most likely genre over time' },
    ...segments.map((segment, i) => {
      const [label, p] = dominant(segment.probabilities);
      const text = `${segment.start.toFixed(1)}–${segment.end.toFixed(1)} s: ${label} ${percent(p)}`;
      const block = h('li', { class: `mp-segment ${colourOf(label)}`, title: text, tabindex: 0, 'data-genre': label },
        h('span', { class: 'mp-visually-hidden' }, text));
      const until = i + 1 < segments.length ? segments[i + 1].start : segment.end;
      block.style.flexGrow = String(Math.max(0.01, until - segment.start));
      return block;
    }));
}

function legend({ labels, colourOf }) {
  return h('ul', { class: 'mp-legend', 'aria-label': 'Colour legend' },
    ...labels.map((label) => h('li', {},
      h('span', { class: `mp-swatch ${colourOf(label)}`, 'aria-hidden': 'true' }), label)));
}
