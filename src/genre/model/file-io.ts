// A tfjs IOHandler on the local filesystem. `model.save('file://…')` and `tf.loadLayersModel('file://…')`
// need tfjs-node, which does not install everywhere (its install downloads libtensorflow); this handler writes and reads the
// same layout (model.json + weights.bin) with node:fs, so it works on every backend.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { io } from '@tensorflow/tfjs';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

function toBuffer(data: io.WeightData): Buffer {
  return Buffer.from(io.CompositeArrayBuffer.join(data));
}

/** An IOHandler that saves to / loads from `dir` (created on save). */
export function fileSystemHandler({ dir }: { dir: string }): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('binary model topologies are not supported');
      await mkdir(dir, { recursive: true });
      const weights = artifacts.weightData ? toBuffer(artifacts.weightData) : Buffer.alloc(0);
      const manifest: io.WeightsManifestConfig = [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }];
      const json: io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        weightsManifest: manifest,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? 'music-prediction',
        convertedBy: artifacts.convertedBy ?? null,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeFile(join(dir, WEIGHTS_FILE), weights);
      await writeFile(join(dir, MODEL_FILE), JSON.stringify(json));
      return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<io.ModelArtifacts> {
      const json = JSON.parse(await readFile(join(dir, MODEL_FILE), 'utf8')) as io.ModelJSON;
      if (typeof json !== 'object' || json === null || !json.modelTopology) throw new Error(`${MODEL_FILE} has no modelTopology`);
      return io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers: Buffer[] = [];
        for (const group of manifest) {
          for (const path of group.paths) {
            // Weight paths come from the file: only plain names inside the model directory are read.
            if (basename(path) !== path) throw new Error(`weights path "${path}" must be a file name inside the model directory`);
            buffers.push(await readFile(join(dir, path)));
          }
        }
        const all = Buffer.concat(buffers);
        return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
      });
    },
  };
}
