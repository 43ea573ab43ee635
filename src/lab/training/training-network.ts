// The network a training run builds from its options, with the name its metadata records; and the
// source adversary's set-up when the run asks for one.
import type * as tfjs from '@tensorflow/tfjs';
import { architectureName, buildGenreCnn } from '../network/architecture.js';
import { buildFrameTimbreNet, FRAME_TIMBRE_ARCHITECTURE } from '../network/frame-timbre.js';
import { buildCnnWithTimbre, cnnWithTimbreName } from '../network/cnn-with-timbre.js';
import type { Normalisation } from '../../genre/model/segments.js';
import { createSourceAdversary } from './source-adversary.js';
import { sourcesOf, type TrainOptions } from './train-options.js';

export function buildTrainingNetwork(o: TrainOptions, normalisation: Normalisation): { layersModel: tfjs.LayersModel; architecture: string } {
  const { features } = o;
  if (o.melViewBands && o.network !== 'cnn-with-timbre') throw new Error('melViewBands needs the cnn-with-timbre network');
  if (o.timbreCentredRows && o.network !== 'cnn-with-timbre') throw new Error('timbreCentredRows needs the cnn-with-timbre network');
  const shape = { tf: o.tf, nMfcc: features.nMfcc, segmentFrames: features.segmentFrames, classes: o.labels.length };
  const melView = o.melViewBands ? { bands: o.melViewBands, nMels: features.nMels, std: normalisation.std, alongside: o.melViewAlongside } : undefined;
  const joint = { filters: o.filters, pathDropout: o.timbrePathDropout, rhythm: o.rhythmPath, melView, timbreCentredRows: o.timbreCentredRows };
  switch (o.network ?? 'cnn') {
    case 'cnn':
      return { layersModel: buildGenreCnn({ ...shape, head: o.head, filters: o.filters }), architecture: architectureName(o.head ?? 'flatten', o.filters) };
    case 'frame-timbre':
      return { layersModel: buildFrameTimbreNet(shape), architecture: FRAME_TIMBRE_ARCHITECTURE };
    case 'cnn-with-timbre':
      return { layersModel: buildCnnWithTimbre({ ...shape, ...joint }), architecture: cnnWithTimbreName(joint) };
  }
}

export interface SourceAdversaryFor {
  adversary: ReturnType<typeof createSourceAdversary>;
  /** Each training clip's source as an index into the sorted distinct sources. */
  sourceIdOf: Int32Array;
}

/** The adversary's step and each training clip's source index. */
export function sourceAdversaryFor(o: TrainOptions, network: tfjs.LayersModel): SourceAdversaryFor {
  if (o.network !== 'cnn-with-timbre') throw new Error('sourceAdversary needs the cnn-with-timbre network');
  if ((o.mixup && o.mixup.alpha > 0) || (o.labelSmoothing ?? 0) > 0) throw new Error('sourceAdversary trains on one-hot targets: no mixup or label smoothing');
  const sources = sourcesOf(o.train, 'sourceAdversary');
  const index = new Map([...new Set(sources)].sort().map((name, i) => [name, i]));
  return {
    adversary: createSourceAdversary({ tf: o.tf, network, classes: o.labels.length, sources: index.size, learningRate: o.learningRate, options: o.sourceAdversary! }),
    sourceIdOf: Int32Array.from(sources, (name) => index.get(name)!),
  };
}
