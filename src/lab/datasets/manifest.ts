import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { tsvRows } from './tsv.js';

/** One labelled audio file. `group` is the source track (clips of one track share it: split by
 * group, never by clip); `source` is where it came from (a Debian package, a generator, a folder),
 * so evaluation can hold out whole sources. */
export interface DatasetEntry {
  path: string;
  genre: string;
  group: string;
  source: string;
  /** What the source says about rights, when the manifest has a `licence` column. */
  licence?: string;
}

export const AUDIO_EXTENSIONS = new Set(['.mp3', '.m4a', '.aac', '.wav', '.ogg', '.oga', '.opus', '.flac', '.au', '.aiff', '.aif']);

/**
 * Reads a dataset from a folder tree `<root>/<genre>/**\/*.<audio>` (the GTZAN layout) or from a
 * TSV manifest `path<TAB>genre<TAB>group[<TAB>source]` (relative paths resolve against the
 * manifest's folder; `#` lines are skipped; a header row starting with `path` may name the columns).
 */
export async function readDataset({ location }: { location: string }): Promise<DatasetEntry[]> {
  const info = await stat(location).catch(() => {
    throw new InputError('DATASET_NOT_FOUND', `dataset not found: ${location}`);
  });
  if (info.isDirectory()) return readFolder(resolve(location));
  // A FIFO or device would block the read forever (or never end).
  if (!info.isFile()) throw new InputError('BAD_MANIFEST', `${location} is neither a folder nor a regular file`);
  return readManifest(resolve(location));
}

async function readManifest(file: string): Promise<DatasetEntry[]> {
  const text = await readFile(file, 'utf8');
  const entries: DatasetEntry[] = [];
  // A header row (first column "path") may name the columns in any order, with extra columns
  // (e.g. path, genre, source, group, licence, …); without one the order is path, genre, group, source.
  let columns = { path: 0, genre: 1, group: 2, source: 3, licence: -1 };
  // The first row that is not a comment may be the header (`#` lines may come before it).
  for (const [index, { line, cols: raw }] of tsvRows(text).entries()) {
    const cols = raw.map((c) => c.trim());
    if (index === 0 && cols[0] === 'path') {
      columns = headerColumns(cols, file);
      continue;
    }
    const [path, genre, group, source, licence] = [cols[columns.path], cols[columns.genre], cols[columns.group], cols[columns.source], cols[columns.licence]];
    if (!path || !genre) {
      throw new InputError('BAD_MANIFEST', `${file}:${line}: expected path<TAB>genre<TAB>group[<TAB>source]`);
    }
    const full = isAbsolute(path) ? path : join(dirname(file), path);
    entries.push({ path: full, genre, group: group || path, source: source || basename(file), ...(licence ? { licence: licence.replace(/^"|"$/g, '').replace(/""/g, '"') } : {}) });
  }
  return entries;
}

function headerColumns(header: string[], file: string): { path: number; genre: number; group: number; source: number; licence: number } {
  const at = (name: string, fallback: number) => {
    const i = header.indexOf(name);
    return i >= 0 ? i : fallback;
  };
  if (!header.includes('genre')) throw new InputError('BAD_MANIFEST', `${file}:1: the header names no "genre" column`);
  // -1 → undefined cell → defaults (the file's own path as group, the manifest's name as source).
  return { path: 0, genre: header.indexOf('genre'), group: at('group', -1), source: at('source', -1), licence: at('licence', -1) };
}

async function readFolder(root: string): Promise<DatasetEntry[]> {
  const entries: DatasetEntry[] = [];
  const genres = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.'));
  for (const genreDir of genres.sort((a, b) => a.name.localeCompare(b.name))) {
    for (const file of await listAudio(join(root, genreDir.name))) {
      // GTZAN-style folders have one clip per track: the file is its own group.
      const rel = relative(root, file);
      entries.push({ path: file, genre: genreDir.name, group: rel, source: basename(root) });
    }
  }
  if (entries.length === 0) {
    throw new InputError('EMPTY_DATASET', `no audio files under ${root}/<genre>/`);
  }
  return entries;
}

async function listAudio(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, d.name);
    if (d.isDirectory()) out.push(...(await listAudio(full)));
    else if (AUDIO_EXTENSIONS.has(extname(d.name).toLowerCase())) out.push(full);
  }
  return out.sort();
}
