// One network with two paths over the same plain-normalised segment: the CNN path centres each
// coefficient row inside the network (the segment's own mean subtracted, as the centred
// normalisation does) and runs the conv blocks; the timbre path is the bag-of-frames layer of
// frame-timbre.ts on the un-centred frames. Their time-averaged features are joined before the
// dense layer. Why: averaged as two networks, the timbre network lifted metal and EDM but dragged
// hip-hop down; trained together, the dense layer can weigh the recording's colour per genre.
import type * as tfjs from '@tensorflow/tfjs';
import { convBlocks, convBlocksName, DEFAULT_FILTERS } from './architecture.js';
import { FRAME_TIMBRE_UNITS, frameTimbreLayer } from './frame-timbre.js';
import { rhythmPathLayers, rhythmPathName } from './rhythm-path.js';
import { applyMelView, melViewName } from './mel-view.js';

/** mel-view.ts in front of the CNN path: the number of bands, the features' mel bands and the
 * training set's spread of each coefficient (the normalisation's std). `alongside`: a second CNN
 * path on the mel view next to the cepstral one, instead of replacing it. */
export interface MelViewOptions { bands: number; nMels: number; std: readonly number[]; alongside?: boolean }
type MelViewName = Pick<MelViewOptions, 'bands' | 'alongside'>;
const melViewPrefix = (m?: MelViewName) => (!m ? '' : m.alongside ? `[cepstral | ${melViewName(m.bands)}]/` : `${melViewName(m.bands)}/`);

/** The layer whose output is the paths' joined features, before the dense head (source-adversary.ts reads it). */
export const JOINED_FEATURES_LAYER = 'joined_features';

/** The joint network's options that shape it, as `buildCnnWithTimbre` and `cnnWithTimbreName` take them. */
export interface CnnWithTimbreOptions { filters?: readonly number[]; pathDropout?: number; rhythm?: boolean; melView?: MelViewOptions; timbreCentredRows?: number }

export const cnnWithTimbreName = ({ filters = DEFAULT_FILTERS, pathDropout = 0, rhythm = false, melView, timbreCentredRows = 0 }: Omit<CnnWithTimbreOptions, 'melView'> & { melView?: MelViewName } = {}) =>
  `centre-in-network/${melViewPrefix(melView)}${convBlocksName(filters)}/global-average + ${timbreCentredRows > 0 ? `centre-rows0-${timbreCentredRows - 1}/` : ''}frame-dense${FRAME_TIMBRE_UNITS}/global-average` +
  `${pathDropout > 0 ? `/path-dropout${pathDropout}` : ''}${rhythm ? ` + centred ${rhythmPathName()}` : ''}; joined/dropout0.5/dense250/softmax`;

/** `pathDropout`: in training, the timbre path's features are dropped as a whole for that share of
 * the segments, so the network must also classify from the CNN path alone. `rhythm`: a third path
 * (rhythm-path.ts) over the centred segment. `melView`: the CNN path hears the centred segment as a
 * smoothed log-mel image (mel-view.ts) instead of cepstral rows. `timbreCentredRows`: the timbre
 * path hears its first rows (level, tilt, curvature) centred per segment and the finer envelope as
 * given, so a recording chain's overall colour cannot stand in for the genre's (on held-out sources
 * it lost: the colour carries genre too; docs/experiments.md). */
export function buildCnnWithTimbre({ tf, nMfcc, segmentFrames, classes, filters = DEFAULT_FILTERS, pathDropout = 0, rhythm = false, melView, timbreCentredRows = 0 }: CnnWithTimbreOptions & {
  tf: typeof tfjs;
  nMfcc: number;
  segmentFrames: number;
  classes: number;
}): tfjs.LayersModel {
  if (!(Number.isInteger(timbreCentredRows) && timbreCentredRows >= 0 && timbreCentredRows < nMfcc)) throw new Error(`timbreCentredRows must be an integer in 0..${nMfcc - 1}`);
  const input = tf.input({ shape: [nMfcc, segmentFrames, 1] });
  const apply = (layer: tfjs.layers.Layer, x: tfjs.SymbolicTensor | tfjs.SymbolicTensor[]) => layer.apply(x) as tfjs.SymbolicTensor;
  const rowMean = apply(tf.layers.averagePooling2d({ poolSize: [1, segmentFrames], strides: [1, segmentFrames] }), input);
  const centred = apply(tf.layers.add(), [input, apply(tf.layers.rescaling({ scale: -1 }), rowMean)]);
  const cnnPath = (image: tfjs.SymbolicTensor, rows: number) => apply(tf.layers.globalAveragePooling2d({}),
    convBlocks({ tf, nMfcc: rows, segmentFrames, filters }).reduce((x, layer) => apply(layer, x), image));
  const mel = melView && applyMelView(centred, { tf, nMfcc, ...melView });
  const cnnFeatures = !mel ? [cnnPath(centred, nMfcc)]
    : melView.alongside ? [cnnPath(centred, nMfcc), cnnPath(mel, melView.bands)] : [cnnPath(mel, melView.bands)];
  const timbreInput = timbreCentredRows === 0 ? input : apply(tf.layers.concatenate({ axis: 1 }), [
    apply(tf.layers.cropping2D({ cropping: [[0, nMfcc - timbreCentredRows], [0, 0]] }), centred),
    apply(tf.layers.cropping2D({ cropping: [[timbreCentredRows, 0], [0, 0]] }), input),
  ]);
  const frames = apply(frameTimbreLayer({ tf, nMfcc }), timbreInput);
  let timbreFeatures = apply(tf.layers.globalAveragePooling2d({}), frames);
  // noiseShape [batch, 1]: one keep-or-drop draw per segment for all of the path's features.
  if (pathDropout > 0) timbreFeatures = apply(tf.layers.dropout({ rate: pathDropout, noiseShape: [null as unknown as number, 1] }), timbreFeatures);
  const joined = [...cnnFeatures, timbreFeatures];
  if (rhythm) joined.push(rhythmPathLayers({ tf, nMfcc, segmentFrames }).reduce((x, layer) => apply(layer, x), centred));
  let x = apply(tf.layers.concatenate({ name: JOINED_FEATURES_LAYER }), joined);
  x = apply(tf.layers.dropout({ rate: 0.5 }), x);
  x = apply(tf.layers.dense({ units: 250, activation: 'relu' }), x);
  const output = apply(tf.layers.dense({ units: classes, activation: 'softmax' }), x);
  return tf.model({ inputs: input, outputs: output, name: 'cnn_with_timbre' });
}
