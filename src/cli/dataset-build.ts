// `dataset build-bundled`: the command line of the Debian + generated set's builder (its options
// are listed in the dataset command's help).
import { parseArgs } from 'node:util';
import { buildBundled } from '../lab/datasets/bundled/build.js';
import { UsageError } from './command.js';

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got "${value}"`);
  return n;
}

/** `dataset build-bundled`: the options of `buildBundled`, read from the command line. */
export async function buildBundledCommand(argv: string[], help: string): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cache: { type: 'string', default: '.cache/debian' },
      out: { type: 'string', default: 'data/bundled' },
      seed: { type: 'string' },
      'per-genre': { type: 'string' },
      'instrumental-hiphop': { type: 'string' },
      'lofi-hiphop': { type: 'string' },
      'lofi-jazz': { type: 'string' },
      'max-clips': { type: 'string' },
      concurrency: { type: 'string' },
      'more-soundfonts': { type: 'boolean' },
      'more-sources': { type: 'boolean' },
      'midi-every-soundfont': { type: 'boolean' },
      'no-drum-kits': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const card = await buildBundled({
    cacheDir: values.cache,
    outDir: values.out,
    seed: positiveInt('seed', values.seed, 20170601),
    generatedPerGenre: positiveInt('per-genre', values['per-genre'], 60),
    instrumentalHiphop: positiveInt('instrumental-hiphop', values['instrumental-hiphop'], 0),
    lofiHiphop: positiveInt('lofi-hiphop', values['lofi-hiphop'], 0),
    lofiJazz: positiveInt('lofi-jazz', values['lofi-jazz'], 0),
    maxClipsPerTrack: Math.max(1, positiveInt('max-clips', values['max-clips'], 4)),
    concurrency: Math.max(1, positiveInt('concurrency', values.concurrency, 2)),
    moreSoundfonts: values['more-soundfonts'] ?? false,
    moreSources: values['more-sources'] ?? false,
    midiEverySoundfont: values['midi-every-soundfont'] ?? false,
    drumKits: !(values['no-drum-kits'] ?? false),
    log: (line) => console.error(`[build-bundled] ${line}`),
  });
  console.log(JSON.stringify({ out: values.out, buildSeconds: card.buildSeconds, train: card.split.train, eval: card.split.eval }, null, 2));
  return 0;
}
