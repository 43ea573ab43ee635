// A bag-of-frames timbre network: each frame's coefficients (normalised per coefficient but not
// centred, so the spectral envelope is kept) go through one small dense layer (a conv whose kernel
// spans all coefficients of one frame), the frames are averaged over the segment, then a softmax.
// Why: the CNN centres each segment and so never sees a recording's overall colour (muffled lo-fi,
// brushed acoustic jazz, an orchestra's hall); this network sees only that, with too few weights to
// learn rhythm or one source's exact sound. It is meant as a second member averaged with the CNN.
import type * as tfjs from '@tensorflow/tfjs';

export const FRAME_TIMBRE_UNITS = 32;
export const FRAME_TIMBRE_ARCHITECTURE = `frame-dense${FRAME_TIMBRE_UNITS}/global-average/dropout0.5/softmax`;

/** The per-frame layer: a conv whose kernel spans all nMfcc coefficients of one frame. */
export function frameTimbreLayer({ tf, nMfcc, inputShape }: { tf: typeof tfjs; nMfcc: number; inputShape?: number[] }): tfjs.layers.Layer {
  return tf.layers.conv2d({ ...(inputShape ? { inputShape } : {}), filters: FRAME_TIMBRE_UNITS, kernelSize: [nMfcc, 1], padding: 'valid', activation: 'relu' });
}

export function buildFrameTimbreNet({ tf, nMfcc, segmentFrames, classes }: {
  tf: typeof tfjs;
  nMfcc: number;
  segmentFrames: number;
  classes: number;
}): tfjs.LayersModel {
  const model = tf.sequential({ name: 'frame_timbre' });
  model.add(frameTimbreLayer({ tf, nMfcc, inputShape: [nMfcc, segmentFrames, 1] }));
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
  return model;
}
