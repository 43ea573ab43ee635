// Writes a model directory: metadata.json, and model.json + weights.bin (tfjs layers format) for
// each network: in the directory itself for a one-network model, in each member's folder otherwise.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { fileSystemHandler } from '../../genre/model/file-io.js';
import { METADATA_FILE, memberSpecs, parseMetadata, type GenreModelMetadata } from '../../genre/model/metadata.js';

/** `networks` in the order of `metadata.members` (one network when the metadata has none). */
export async function saveGenreModel({ networks, metadata, dir }: {
  networks: readonly tfjs.LayersModel[];
  metadata: GenreModelMetadata;
  dir: string;
}): Promise<void> {
  // Validate before writing: a model directory we wrote must always load.
  const checked = parseMetadata(metadata);
  const specs = memberSpecs(checked);
  if (specs.length !== networks.length) throw new Error(`the metadata describes ${specs.length} network(s), ${networks.length} given`);
  for (const [i, spec] of specs.entries()) await networks[i]!.save(fileSystemHandler({ dir: join(dir, spec.path) }));
  await writeFile(join(dir, METADATA_FILE), JSON.stringify(checked, null, 2) + '\n');
}
