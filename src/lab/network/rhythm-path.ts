// A rhythm path for cnn-with-timbre.ts: learned per-frame change detectors (a conv spanning every
// coefficient and 3 frames, like spectral flux), averaged in pairs of frames, then one long conv
// over time (33 pairs ≈ 1.5 s), averaged over the segment. Why: the CNN path's receptive field is
// about 22 frames (≈ 0.5 s), shorter than one beat of 85-bpm hip-hop, so it hears texture but
// never a groove's period; a 1.5-s kernel spans a kick–snare bar at hip-hop tempo.
import type * as tfjs from '@tensorflow/tfjs';

export const RHYTHM_ONSET_FILTERS = 8;
export const RHYTHM_PATTERN_FILTERS = 16;
/** The long conv's span, in pairs of frames. */
export const RHYTHM_PATTERN_STEPS = 33;
export const rhythmPathName = () => `frame-flux${RHYTHM_ONSET_FILTERS}/pool1x2/time-conv${RHYTHM_PATTERN_FILTERS}x${RHYTHM_PATTERN_STEPS}-bn/global-average`;

/** The path's layers in order, for a centred nMfcc × segmentFrames × 1 input. */
export function rhythmPathLayers({ tf, nMfcc, segmentFrames }: { tf: typeof tfjs; nMfcc: number; segmentFrames: number }): tfjs.layers.Layer[] {
  const minFrames = 2 * RHYTHM_PATTERN_STEPS + 2;
  if (segmentFrames < minFrames) throw new Error(`the rhythm path needs segments of at least ${minFrames} frames`);
  return [
    tf.layers.conv2d({ filters: RHYTHM_ONSET_FILTERS, kernelSize: [nMfcc, 3], padding: 'valid', activation: 'relu' }),
    tf.layers.averagePooling2d({ poolSize: [1, 2], strides: [1, 2] }),
    tf.layers.conv2d({ filters: RHYTHM_PATTERN_FILTERS, kernelSize: [1, RHYTHM_PATTERN_STEPS], padding: 'valid', activation: 'relu' }),
    tf.layers.batchNormalization({ momentum: 0.9 }),
    tf.layers.globalAveragePooling2d({}),
  ];
}
