// The in-memory model the service uses: one or more tfjs LayersModels ("members"), each with its
// own input normalisation, plus the validated metadata. Shared by the loader (serving) and the
// trainer (validation during training), so both score segments the same way.
import type * as tfjs from '@tensorflow/tfjs';
import { InternalError } from '../../errors.js';
import type { MfccMatrix } from '../../types.js';
import type { GenreModelMetadata } from './metadata.js';
import { buildSegmentBatch, type Normalisation } from './segments.js';

export interface GenreModelMember {
  readonly layersModel: tfjs.LayersModel;
  readonly normalisation: Normalisation;
}

export interface GenreModel {
  readonly name: string;
  readonly version: string;
  /** Display names in the CNN's output order. */
  readonly labels: readonly string[];
  readonly metadata: GenreModelMetadata;
  /** The TensorFlow.js backend the model runs on (tensorflow, wasm or cpu). */
  readonly backend: string;
  /** The networks; a model of several averages their probabilities. */
  readonly members: readonly GenreModelMember[];
  /** Scores the segments of `mfcc` starting at `starts` (each member normalises them its own way,
   * all segments in one batch per member); returns the probabilities row-major,
   * [starts.length × labels.length], averaged over the members. Synchronous. */
  predictSegments({ mfcc, starts }: { mfcc: MfccMatrix; starts: readonly number[] }): Float32Array;
  dispose(): void;
}

export function createGenreModel({ tf, members, metadata, backend }: {
  tf: typeof tfjs;
  members: readonly GenreModelMember[];
  metadata: GenreModelMetadata;
  backend: string;
}): GenreModel {
  const { nMfcc, segmentFrames } = metadata.features;
  if (members.length === 0) throw new InternalError('MODEL_INVALID', 'a model needs at least one network');
  let disposed = false;
  return {
    name: metadata.name,
    version: metadata.version,
    labels: metadata.labels,
    metadata,
    backend,
    members,
    predictSegments({ mfcc, starts }) {
      if (disposed) throw new InternalError('MODEL_DISPOSED', 'the model was disposed');
      const count = starts.length;
      if (count < 1 || mfcc.nMfcc !== nMfcc || mfcc.frames < 1 || !starts.every((s) => Number.isInteger(s) && s >= 0 && s < mfcc.frames)) {
        throw new InternalError('BAD_SEGMENT_BATCH', `expected ≥ 1 segment start inside ${mfcc.frames} frames of ${nMfcc} coefficients, got [${starts.join(', ')}] of ${mfcc.nMfcc}`);
      }
      // tidy frees the inputs and every intermediate tensor; dataSync copies the result out.
      return tf.tidy(() => {
        const outputs = members.map(({ layersModel, normalisation }) => {
          const input = buildSegmentBatch({ mfcc, starts, segmentFrames, normalisation });
          // execute, not predict: predict first copies its input into batches of 32 (a Slice kernel
          // on wasm, docs/model.md), and a clip's segments are one batch anyway.
          return layersModel.execute(tf.tensor4d(input, [count, nMfcc, segmentFrames, 1]), layersModel.outputs[0]!.name) as tfjs.Tensor;
        });
        const mean = outputs.length === 1 ? outputs[0]! : tf.div(tf.addN(outputs), outputs.length);
        return mean.dataSync() as Float32Array;
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const member of members) member.layersModel.dispose();
    },
  };
}
