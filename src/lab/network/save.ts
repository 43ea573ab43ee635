// Writes a model directory: metadata.json, and model.json + weights.bin (tfjs layers format) for
// each network: in the directory itself for a one-network model, in each member's folder otherwise.
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { fileSystemHandler } from '../../genre/model/file-io.js';
import { METADATA_FILE, memberSpecs, parseMetadata, type GenreModelMetadata } from '../../genre/model/metadata.js';

/**
 * `networks` in the order of `metadata.members` (one network when the metadata has none). The files
 * are written into a folder next to `dir` and moved in once all are written, metadata.json last:
 * a save that fails leaves the model that was there whole, never new weights under old metadata.
 * Other files in `dir` are kept.
 */
export async function saveGenreModel({ networks, metadata, dir }: {
  networks: readonly tfjs.LayersModel[];
  metadata: GenreModelMetadata;
  dir: string;
}): Promise<void> {
  // Validate before writing: a model directory we wrote must always load.
  const checked = parseMetadata(metadata);
  const specs = memberSpecs(checked);
  if (specs.length !== networks.length) throw new Error(`the metadata describes ${specs.length} network(s), ${networks.length} given`);
  const target = resolve(dir);
  await mkdir(dirname(target), { recursive: true });
  const staging = await mkdtemp(join(dirname(target), `.${basename(target)}.saving-`));
  try {
    for (const [i, spec] of specs.entries()) await networks[i]!.save(fileSystemHandler({ dir: join(staging, spec.path) }));
    await writeFile(join(staging, METADATA_FILE), JSON.stringify(checked, null, 2) + '\n');
    await mkdir(target, { recursive: true });
    const names = (await readdir(staging)).sort((a, b) => Number(a === METADATA_FILE) - Number(b === METADATA_FILE));
    for (const name of names) {
      await rm(join(target, name), { recursive: true, force: true });
      await rename(join(staging, name), join(target, name));
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
