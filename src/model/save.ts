// Writes a model directory: model.json + weights.bin (tfjs layers format) and metadata.json.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { fileSystemHandler } from './file-io.js';
import { METADATA_FILE, parseMetadata, type GenreModelMetadata } from './metadata.js';

export async function saveGenreModel({ layersModel, metadata, dir }: {
  layersModel: tfjs.LayersModel;
  metadata: GenreModelMetadata;
  dir: string;
}): Promise<void> {
  // Validate before writing: a model directory we wrote must always load.
  const checked = parseMetadata(metadata);
  await layersModel.save(fileSystemHandler({ dir }));
  await writeFile(join(dir, METADATA_FILE), JSON.stringify(checked, null, 2) + '\n');
}
