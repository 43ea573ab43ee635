// The "every soundfont" check of docs/model.md: a MIDI source's labelled tunes (the rows of one
// source in a bundled manifest) rendered through each soundfont the build knows, cut into clips
// like the build does, and scored by one or more models; prints the recall of the source's genre
// per font and model, and the mean over fonts. Why: a held-out MIDI source is rendered through one
// seeded font per tune, and what the network calls jazz changes with the font (22 % vs 60 %).
//   npx tsx scripts/soundfont-check.ts --data data/bundled/train.tsv --source openttd-openmsx \
//     --models /tmp/exp/centre-s1,/tmp/exp/centre-s2 [--out .cache/soundfont-check]
// The models should have held the source out (train --holdout-sources), or the check is not one.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import evaluateCommand from '../src/cli/evaluate.js';
import { readDataset } from '../src/lab/datasets/manifest.js';
import { cutClip, planClips, probeDuration } from '../src/lab/datasets/bundled/clip.js';
import { renderMidi } from '../src/lab/datasets/bundled/render-midi.js';
import { MORE_SOUNDFONTS } from '../src/lab/datasets/bundled/tools.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' }, source: { type: 'string' }, models: { type: 'string' },
    out: { type: 'string', default: '.cache/soundfont-check' }, cache: { type: 'string', default: '.cache/debian' },
  },
});
if (!values.data || !values.source || !values.models) throw new Error('need --data, --source and --models (see the comment at the top)');
const source = values.source;
const models = values.models.split(',').filter(Boolean);
const rows = (await readDataset({ location: values.data })).filter((e) => e.source === source);
if (rows.length === 0) throw new Error(`no rows of source ${source} in ${values.data}`);
const genre = rows[0]!.genre;
const tunes = [...new Set(rows.map((e) => e.group.split('/').pop()!))].sort();

async function findMidi(dir: string, name: string): Promise<string | undefined> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const hit = await findMidi(path, name);
      if (hit) return hit;
    } else if (/\.midi?$/i.test(entry.name) && entry.name.replace(/\.[^.]+$/, '') === name) return path;
  }
  return undefined;
}

const recall: Record<string, number[]> = {};
for (const font of MORE_SOUNDFONTS) {
  const tag = basename(font.file).replace(/\.[^.]+$/, '');
  // Absolute: the manifest's clip paths are read relative to the manifest's own folder.
  const dir = join(resolve(values.out), source, tag);
  await mkdir(join(dir, 'clips'), { recursive: true });
  const manifest = ['path\tgenre\tgroup\tsource'];
  for (const tune of tunes) {
    const midi = await findMidi(join(values.cache, 'extracted', source), tune);
    if (!midi) throw new Error(`${tune}: no MIDI file under ${values.cache}/extracted/${source} (run dataset build-bundled first)`);
    const wav = join(dir, `${tune}.wav`);
    await renderMidi({ midi, output: wav, soundfont: font.file, gain: 0.6 });
    for (const [i, startSec] of planClips({ durationSec: await probeDuration({ file: wav }), maxClips: 4 }).entries()) {
      const clip = join(dir, 'clips', `${tune}-${i}.wav`);
      await cutClip({ input: wav, output: clip, startSec });
      manifest.push(`${clip}\t${genre}\t${source}-${tag}/${tune}\t${source}-${tag}`);
    }
  }
  await writeFile(join(dir, 'manifest.tsv'), manifest.join('\n') + '\n');
  for (const model of models) {
    const json = join(dir, `${basename(model)}.json`);
    if (await evaluateCommand.run(['--model', model, '--data', join(dir, 'manifest.tsv'), '--json', json]) !== 0) throw new Error(`evaluate failed for ${model}`);
    const report = JSON.parse(await readFile(json, 'utf8')) as { metrics: { perClass: Record<string, { recall: number }> } };
    (recall[tag] ??= []).push(report.metrics.perClass[genre]?.recall ?? Number.NaN);
  }
}

const fmt = (x: number) => x.toFixed(2);
console.log(`\n${genre} recall of ${source} (${tunes.length} tunes) by soundfont; models: ${models.join(', ')}`);
for (const [tag, values] of Object.entries(recall)) console.log(`  ${tag.padEnd(24)} ${values.map(fmt).join('  ')}   mean ${fmt(values.reduce((a, b) => a + b, 0) / values.length)}`);
const perModel = models.map((_, m) => Object.values(recall).reduce((a, v) => a + v[m]!, 0) / Object.keys(recall).length);
console.log(`  ${'mean over fonts'.padEnd(24)} ${perModel.map(fmt).join('  ')}   mean ${fmt(perModel.reduce((a, b) => a + b, 0) / perModel.length)}`);
