// The music-prediction widget. It mounts itself into every element with a
// `data-music-prediction` attribute and loads its own stylesheet, so embedding it elsewhere takes
// one element and one module script (docs/widget.md). The API base is the element's
// `data-api-base`, or else the folder this script was loaded from.
// No inline script or style anywhere: the page runs under a strict Content-Security-Policy.
import { h, percent } from './widget/dom.js';
import { createApiClient } from './widget/api.js';
import { renderResult } from './widget/render.js';
import { createPlayer } from './widget/player.js';

const MISS_MESSAGE = 'The song you are searching could not be found or has no available preview.';
const scriptFolder = new URL('.', import.meta.url).href;
let mounted = 0;

/** Embedded on another site, the widget brings its own stylesheet (CORS mode, like this module). */
function ensureStylesheet() {
  const href = new URL('widget.css', import.meta.url).href;
  const present = [...document.querySelectorAll('link[rel="stylesheet"]')].some((link) => link.href === href);
  if (!present) document.head.append(h('link', { rel: 'stylesheet', href, crossorigin: 'anonymous' }));
}

function mount(root) {
  const n = ++mounted;
  const api = createApiClient({ base: root.dataset.apiBase || scriptFolder });
  const field = (name, label, value) => h('div', { class: 'mp-field' },
    h('label', { for: `mp-${name}-${n}` }, label),
    h('input', { id: `mp-${name}-${n}`, name, value, required: true, maxlength: 200, autocomplete: 'off', spellcheck: 'false' }));

  const predictButton = h('button', { type: 'submit', class: 'mp-predict' }, 'Predict!');
  const pauseButton = h('button', { type: 'button', class: 'mp-pause', disabled: true }, 'Pause song');
  const form = h('form', { class: 'mp-form' },
    h('div', { class: 'mp-fields' }, field('artist', 'Artist', 'coolio'), field('track', 'Song', "gangsta's paradise")),
    h('div', { class: 'mp-actions' }, predictButton, pauseButton));
  const fileInput = h('input', { type: 'file', id: `mp-file-${n}`, accept: 'audio/*,.mp3,.m4a,.wav,.ogg,.flac,.aac,.opus', class: 'mp-file' });
  const dropZone = h('div', { class: 'mp-drop' },
    h('label', { for: `mp-file-${n}` }, 'Or analyse an audio file of your own'),
    fileInput,
    h('p', { class: 'mp-drop-hint' }, 'Choose a file, or drag and drop one here.'));
  const status = h('p', { class: 'mp-status', role: 'status', 'aria-live': 'polite' });
  const error = h('p', { class: 'mp-error', role: 'alert' });
  const output = h('div', { class: 'mp-output' });
  root.replaceChildren(form, dropZone, status, error, output);
  root.classList.add('mp-widget');

  const player = createPlayer({
    onStateChange(state) {
      pauseButton.disabled = state === 'none';
      pauseButton.textContent = state === 'paused' ? 'Play song' : 'Pause song';
    },
  });
  let controller = null;

  async function run({ waitingText, call, audioSource }) {
    controller?.abort();
    const mine = (controller = new AbortController());
    player.stop();
    output.replaceChildren();
    error.textContent = '';
    status.textContent = waitingText;
    status.classList.remove('mp-visually-hidden');
    root.setAttribute('aria-busy', 'true');
    try {
      const outcome = await call(mine.signal);
      if (!outcome.found) {
        status.textContent = MISS_MESSAGE;
        return;
      }
      const { first, second } = outcome.result;
      status.textContent = `Prediction ready: ${first[0]} ${percent(first[1])}, ${second[0]} ${percent(second[1])}.`;
      status.classList.add('mp-visually-hidden');
      output.append(renderResult({ result: outcome.result }));
      const source = audioSource(outcome.result);
      if (source) {
        const started = await player.start({ container: output, ...source });
        if (mine.signal.aborted) return;
        if (started === 'blocked') output.append(h('p', { class: 'mp-note' }, 'Your browser did not start the song by itself: press play on the player.'));
        if (started === 'failed') output.append(h('p', { class: 'mp-note' }, 'The preview could not be loaded, but the prediction above is complete.'));
      }
    } catch (err) {
      if (mine.signal.aborted) return; // superseded by a newer request
      status.textContent = '';
      error.textContent = err?.name === 'WidgetError' ? err.message : 'Something went wrong in this page. Please reload it and try again.';
      if (err?.retryAfterSeconds && (err.kind === 'rate-limit' || err.kind === 'busy')) coolDown(err.retryAfterSeconds);
    } finally {
      if (controller === mine) root.removeAttribute('aria-busy');
    }
  }

  function coolDown(seconds) {
    predictButton.disabled = true;
    fileInput.disabled = true;
    setTimeout(() => { predictButton.disabled = false; fileInput.disabled = false; }, seconds * 1000);
  }

  function analyseFile(file) {
    if (!file) return;
    run({
      waitingText: `Analysing ${file.name}…`,
      call: (signal) => api.predictFile({ file, signal }),
      // No playback of the upload: a blob: URL would need `media-src blob:` in the API's CSP.
      audioSource: () => null,
    });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault(); // Enter in either field submits too: a native form does that for free
    const artist = form.elements.namedItem('artist').value.trim();
    const track = form.elements.namedItem('track').value.trim();
    if (!artist || !track) {
      error.textContent = 'Please type both an artist and a song.';
      return;
    }
    run({
      waitingText: `Searching for ${artist} - ${track}…`,
      call: (signal) => api.predictTrack({ artist, track, signal }),
      audioSource: (result) => (typeof result.mp3 === 'string' && result.mp3 ? { src: result.mp3 } : null),
    });
  });
  pauseButton.addEventListener('click', () => player.toggle());
  fileInput.addEventListener('change', () => {
    analyseFile(fileInput.files?.[0]);
    fileInput.value = '';
  });
  dropZone.addEventListener('dragover', (event) => {
    event.preventDefault();
    dropZone.classList.add('mp-drop-active');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('mp-drop-active'));
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropZone.classList.remove('mp-drop-active');
    analyseFile(event.dataTransfer?.files?.[0]);
  });
}

const roots = document.querySelectorAll('[data-music-prediction]');
if (roots.length > 0) ensureStylesheet();
for (const root of roots) mount(root);
