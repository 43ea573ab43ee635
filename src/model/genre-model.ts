// The in-memory model the service uses: a tfjs LayersModel plus its validated metadata. Shared by
// the loader (serving) and the trainer (validation during training), so both score segments the
// same way.
import type * as tfjs from '@tensorflow/tfjs';
import { InternalError } from '../errors.js';
import type { GenreModelMetadata } from './metadata.js';

export interface GenreModel {
  readonly name: string;
  readonly version: string;
  /** Display names in the CNN's output order. */
  readonly labels: readonly string[];
  readonly metadata: GenreModelMetadata;
  /** The TensorFlow.js backend the model runs on (tensorflow, wasm or cpu). */
  readonly backend: string;
  readonly layersModel: tfjs.LayersModel;
  /** Scores `count` normalised segments laid out [count, nMfcc, segmentFrames, 1] in one batch;
   * returns the probabilities row-major, [count × labels.length]. Synchronous. */
  predictSegments({ input, count }: { input: Float32Array; count: number }): Float32Array;
  dispose(): void;
}

export function createGenreModel({ tf, layersModel, metadata, backend }: {
  tf: typeof tfjs;
  layersModel: tfjs.LayersModel;
  metadata: GenreModelMetadata;
  backend: string;
}): GenreModel {
  const { nMfcc, segmentFrames } = metadata.features;
  let disposed = false;
  return {
    name: metadata.name,
    version: metadata.version,
    labels: metadata.labels,
    metadata,
    backend,
    layersModel,
    predictSegments({ input, count }) {
      if (disposed) throw new InternalError('MODEL_DISPOSED', 'the model was disposed');
      if (!Number.isInteger(count) || count < 1 || input.length !== count * nMfcc * segmentFrames) {
        throw new InternalError('BAD_SEGMENT_BATCH', `expected ${count} × ${nMfcc} × ${segmentFrames} values, got ${input.length}`);
      }
      // tidy frees the input and every intermediate tensor; dataSync copies the result out.
      return tf.tidy(() => {
        const output = layersModel.predict(tf.tensor4d(input, [count, nMfcc, segmentFrames, 1])) as tfjs.Tensor;
        return output.dataSync() as Float32Array;
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      layersModel.dispose();
    },
  };
}
