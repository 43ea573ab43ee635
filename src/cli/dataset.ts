import { parseArgs } from 'node:util';
import { readDataset, type DatasetEntry } from '../lab/datasets/manifest.js';
import { buildBundledCommand } from './dataset-build.js';
import { UsageError, usageErrorOf, failureExitCode, type CliCommand } from './command.js';

const HELP = `Usage: music-prediction dataset <sub-command> [options]

Sub-commands:
  build-bundled   build the bundled model's training set and held-out evaluation set from Debian
                  packages (apt-get download) plus generated music; resumable and deterministic
      --cache <dir>        download/extract/render cache (default .cache/debian)
      --out <dir>          output folder (default data/bundled): train.tsv, eval-heldout.tsv,
                           datacard.json, clips/
      --seed <n>           seed of every random choice (default 20170601)
      --per-genre <n>      generated tracks per genre (default 60)
      --instrumental-hiphop <n>
                           generated instrumental hip-hop tracks, written to
                           extra-hiphop-instrumental.tsv (default 0)
      --lofi-hiphop <n>    generated lo-fi hip-hop tracks, to extra-hiphop-lofi.tsv (default 0)
      --lofi-jazz <n>      generated jazz through the same lo-fi production, to
                           extra-jazz-lofi.tsv (default 0); train on an extra with --data
      --max-clips <n>      30-s clips cut from one real track at most (default 4)
      --concurrency <n>    parallel renders/cuts (default 2)
      --more-soundfonts    generated tracks also draw MuseScore General Lite (an experiment;
                           renders them anew into their own cache folder; docs/data.md)
      --midi-every-soundfont
                           every human-composed MIDI piece also rendered through each other
                           soundfont, MuseScore General Lite included: more takes of the few
                           human-written swing pieces (an experiment, docs/data.md)
      --more-sources       also simutrans-data (swing/blues and house/techno MIDI) and
                           davegnukem-data (two techno recordings): an experiment, docs/data.md
      --no-drum-kits       every generated track plays the soundfont's drums (by default
                           half of them play one of Debian's Hydrogen drum kits,
                           hydrogen-drumkits: chosen on the selection split, docs/experiments.md)
  info <dataset>  counts per genre, source and group of a TSV manifest or GTZAN-style folder
  collect         build a dataset from preview providers (see \`dataset collect --help\`)

Tip: run long builds with \`nice -n 10\`.`;

const dataset: CliCommand = {
  async run(argv) {
    const [sub, ...rest] = argv;
    try {
      if (sub === undefined || sub === '--help' || sub === '-h') {
        console.log(HELP);
        return sub === undefined ? 2 : 0;
      }
      if (sub === 'collect') return await (await import('./dataset-collect.js')).default.run(rest);
      if (sub === 'info') return await info(rest);
      if (sub === 'build-bundled') return await buildBundledCommand(rest, HELP);
      throw new UsageError(`unknown sub-command "${sub}" (build-bundled, info, collect)`);
    } catch (err) {
      if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
        console.error(`music-prediction dataset: ${err instanceof UsageError ? err.message : usageErrorOf(err).message}`);
        return 2;
      }
      return failureExitCode('dataset', err);
    }
  },
};
export default dataset;

async function info(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (values.help) {
    console.log('Usage: music-prediction dataset info <manifest.tsv | folder> [--json]');
    return 0;
  }
  const location = positionals[0];
  if (location === undefined || positionals.length > 1) throw new UsageError('info takes exactly one dataset (a TSV manifest or a folder)');
  const entries = await readDataset({ location });
  const summary = summarise(entries);
  if (values.json) console.log(JSON.stringify(summary, null, 2));
  else console.log(formatSummary(summary));
  return 0;
}

export interface DatasetSummary {
  clips: number;
  groups: number;
  byGenre: Record<string, { clips: number; groups: number }>;
  bySource: Record<string, Record<string, number>>;
}

export function summarise(entries: readonly DatasetEntry[]): DatasetSummary {
  const byGenre: DatasetSummary['byGenre'] = {};
  const groupsPerGenre = new Map<string, Set<string>>();
  const bySource: DatasetSummary['bySource'] = {};
  for (const e of entries) {
    byGenre[e.genre] = { clips: (byGenre[e.genre]?.clips ?? 0) + 1, groups: 0 };
    groupsPerGenre.set(e.genre, (groupsPerGenre.get(e.genre) ?? new Set()).add(e.group));
    const s = (bySource[e.source] ??= {});
    s[e.genre] = (s[e.genre] ?? 0) + 1;
  }
  for (const [genre, groups] of groupsPerGenre) (byGenre[genre] as { groups: number }).groups = groups.size;
  return { clips: entries.length, groups: new Set(entries.map((e) => e.group)).size, byGenre, bySource };
}

function formatSummary(s: DatasetSummary): string {
  const genres = Object.keys(s.byGenre).sort();
  const width = Math.max(6, ...Object.keys(s.bySource).map((x) => x.length));
  const lines = [`${s.clips} clips from ${s.groups} groups (tracks)`, '', 'genre        clips  groups'];
  for (const g of genres) lines.push(`${g.padEnd(12)} ${String(s.byGenre[g]?.clips).padStart(5)}  ${String(s.byGenre[g]?.groups).padStart(6)}`);
  lines.push('', `${'source'.padEnd(width)}  ${genres.map((g) => g.padStart(9)).join(' ')}`);
  for (const source of Object.keys(s.bySource).sort()) {
    lines.push(`${source.padEnd(width)}  ${genres.map((g) => String(s.bySource[source]?.[g] ?? 0).padStart(9)).join(' ')}`);
  }
  return lines.join('\n');
}
