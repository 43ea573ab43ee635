import { join } from 'node:path';
import { cutClip, planClips, probeDuration } from './clip.js';
import { downloadPackages } from './download.js';
import { GENRES, type Genre } from './genres.js';
import { buildDatacard, trainingManifests, writeDatacard, writeManifest, type ClipRow, type Datacard } from './manifest.js';
import { packageTracks, type SourceTrack } from './package-tracks.js';
import { renderGeneratedTrack, type GeneratedStyle } from './render-generated.js';
import { DRUM_KITS, loadDrumKits } from './render-kit-drums.js';
import { MORE_PACKAGE_SOURCES, PACKAGE_SOURCES, RESERVED_EVAL_PACKAGES, type PackageSource } from './sources.js';
import { MORE_SOUNDFONTS, SOUNDFONTS, ensureTools } from './tools.js';

export interface BuildOptions {
  cacheDir: string;
  outDir: string;
  seed: number;
  /** Generated tracks per genre (each gives one 30-s clip). */
  generatedPerGenre: number;
  /** Generated instrumental hip-hop tracks on top (recipes.ts INSTRUMENTAL_HIPHOP); default 0. */
  instrumentalHiphop?: number;
  /** Generated lo-fi hip-hop tracks on top (instrumental, through lofiFilterGraph); default 0. */
  lofiHiphop?: number;
  /** Generated jazz tracks through the same lo-fi production, on top; default 0. */
  lofiJazz?: number;
  maxClipsPerTrack: number;
  concurrency: number;
  /** Generated tracks also draw MuseScore General (MORE_SOUNDFONTS). */
  moreSoundfonts?: boolean;
  /** Half the generated tracks play their drums from Debian's Hydrogen kits (render-kit-drums.ts); default on. */
  drumKits?: boolean;
  /** Every human-composed MIDI piece also rendered through each other soundfont of MORE_SOUNDFONTS. */
  midiEverySoundfont?: boolean;
  /** Also MORE_PACKAGE_SOURCES (sources.ts); ignored when `sources` is given. */
  moreSources?: boolean;
  sources?: readonly PackageSource[];
  log: (line: string) => void;
}

/**
 * `dataset build-bundled`: tools → apt-get download → extract/label → render generated music →
 * cut 30-s clips → train.tsv (training sources), extra-<genre>-<style>.tsv (each generated extra
 * asked for), eval-heldout.tsv (reserved packages only), datacard.json. Every step skips work
 * already on disk, so an interrupted build resumes.
 */
export async function buildBundled(options: BuildOptions): Promise<Datacard> {
  const started = Date.now();
  const { cacheDir, outDir, log } = options;
  const sources = options.sources ?? (options.moreSources ? [...PACKAGE_SOURCES, ...MORE_PACKAGE_SOURCES] : PACKAGE_SOURCES);
  const soundfonts = options.moreSoundfonts ? MORE_SOUNDFONTS : SOUNDFONTS;
  const useKits = options.drumKits ?? true;
  const midiSoundfonts = options.midiEverySoundfont ? MORE_SOUNDFONTS : [];
  await ensureTools({ files: [...new Set([...soundfonts, ...midiSoundfonts, ...(useKits ? [DRUM_KITS] : [])])], log });
  const drumKits = useKits ? await loadDrumKits() : undefined;
  if (drumKits) log(`drum kits: ${drumKits.map((k) => k.kit.name).join(', ')}`);
  const debs = await downloadPackages({ packages: sources.map((s) => s.package), cacheDir, log });

  const tracks: SourceTrack[] = [];
  for (const source of sources) {
    const found = await packageTracks({ source, deb: debs.get(source.package) as string, workDir: cacheDir, midiSoundfonts });
    log(`${source.package}: ${found.length} labelled tracks (${source.role})`);
    tracks.push(...found);
  }
  const batches: { genre: Genre; style: GeneratedStyle; count: number }[] = [
    ...GENRES.map((genre) => ({ genre, style: 'default' as const, count: options.generatedPerGenre })),
    { genre: 'Hiphop', style: 'instrumental', count: options.instrumentalHiphop ?? 0 },
    { genre: 'Hiphop', style: 'lofi', count: options.lofiHiphop ?? 0 },
    { genre: 'Jazz', style: 'lofi', count: options.lofiJazz ?? 0 },
  ];
  const jobs = batches.flatMap(({ genre, style, count }) => Array.from({ length: count }, (_, index) => ({ genre, style, index })));
  let done = 0;
  const generated = await mapPool(jobs, options.concurrency, async ({ genre, index, style }) => {
    const track = await renderGeneratedTrack({ genre, index, style, seed: options.seed, workDir: cacheDir, soundfonts, drumKits });
    if (++done % 25 === 0) log(`generated ${done}/${jobs.length}`);
    return track;
  });
  tracks.push(...generated);
  const extraOf = new Map(generated.flatMap((track, i) => {
    const { genre, style } = jobs[i]!;
    return style === 'default' ? [] : [[track.id, `extra-${genre.toLowerCase()}-${style}.tsv`] as const];
  }));

  const clipLists = await mapPool(tracks, options.concurrency, (track) => clipTrack({ track, outDir, maxClips: options.maxClipsPerTrack }));
  const clips = clipLists.flat();
  const roleOf = (source: string): 'train' | 'eval' => (sources.find((s) => s.package === source)?.role ?? 'train');
  const assertNoLeak = clips.filter((c) => roleOf(c.source) === 'train' && (RESERVED_EVAL_PACKAGES as readonly string[]).includes(c.source));
  if (assertNoLeak.length > 0) throw new Error(`reserved package in training rows: ${assertNoLeak[0]?.source}`);
  for (const [name, rows] of trainingManifests({ rows: clips.filter((c) => roleOf(c.source) === 'train'), extraOf })) {
    await writeManifest({ file: join(outDir, name), rows });
  }
  await writeManifest({ file: join(outDir, 'eval-heldout.tsv'), rows: clips.filter((c) => roleOf(c.source) === 'eval') });
  const card = buildDatacard({
    seed: options.seed,
    tracks,
    clips,
    roleOf,
    licenceOf: (source) => licenceOf({ source, sources, cacheDir, moreSoundfonts: options.moreSoundfonts ?? false, drumKits: useKits }),
    createdAt: new Date().toISOString(),
  });
  card.buildSeconds = Math.round((Date.now() - started) / 1000);
  await writeDatacard({ file: join(outDir, 'datacard.json'), card });
  return card;
}

async function clipTrack({ track, outDir, maxClips }: { track: SourceTrack; outDir: string; maxClips: number }): Promise<ClipRow[]> {
  const starts = planClips({ durationSec: await probeDuration({ file: track.file }), maxClips });
  const rows: ClipRow[] = [];
  for (const [i, startSec] of starts.entries()) {
    const path = join(outDir, 'clips', track.id.replace(/[^\w/.-]+/g, '_') + `-${String(i).padStart(2, '0')}.wav`);
    await cutClip({ input: track.file, output: path, startSec });
    rows.push({ path, genre: track.genre, group: track.group ?? track.id, source: track.source, origin: track.origin });
  }
  return rows;
}

function licenceOf({ source, sources, cacheDir, moreSoundfonts, drumKits }: { source: string; sources: readonly PackageSource[]; cacheDir: string; moreSoundfonts: boolean; drumKits: boolean }): { licence: string; copyrightFile?: string } {
  const pkg = sources.find((s) => s.package === source);
  if (!pkg) {
    const fonts = `fluid-soundfont-gm: MIT; timgm6mb: GPL-2${moreSoundfonts ? '; musescore-general-soundfont-small: MIT' : ''}${drumKits ? '; hydrogen-drumkits: GPL / CC-BY / CC0 per kit' : ''}`;
    return { licence: `generated by this build from GPL-2 mma grooves and GM soundfonts (${fonts})` };
  }
  return { licence: pkg.licence, copyrightFile: join(cacheDir, 'extracted', pkg.package, 'usr/share/doc', pkg.package, 'copyright') };
}

/** Runs `fn` over items with at most `limit` in flight; results keep the input order. */
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
