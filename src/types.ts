// Domain types shared by the pipeline stages, the model, the queue and the routes.

/** Decoded audio: mono float samples in [-1, 1]. */
export interface DecodedAudio {
  samples: Float32Array;
  sampleRate: number;
  durationSeconds: number;
}

/** An MFCC matrix in librosa's layout, coefficient-major: value(k, t) = data[k * frames + t]. */
export interface MfccMatrix {
  data: Float32Array;
  nMfcc: number;
  frames: number;
}

export type LabelAndCertainty = [label: string, certainty: number];

export interface SegmentPrediction {
  /** Seconds from the start of the decoded audio. */
  start: number;
  end: number;
  probabilities: Record<string, number>;
}

export interface GenrePrediction {
  first: LabelAndCertainty;
  second: LabelAndCertainty;
  /** Mean over segments, one entry per label in the model's label order. */
  probabilities: Record<string, number>;
  segments: SegmentPrediction[];
  /** Models with a "none of the genres" output: its calibrated probability, and whether it
   * reaches the model's threshold (the answer's genres are then a guess). */
  otherScore?: number;
  uncertain?: boolean;
}

export type ProviderName = 'deezer' | 'itunes' | 'spotify';

/** A track a preview provider matched for an artist/track query. */
export interface PreviewMatch {
  provider: ProviderName;
  trackId: string;
  artist: string;
  title: string;
  previewUrl: string;
  link?: string;
}
