// The JSON a finished prediction job returns; the routes add the 2017 envelope around it.
import type { LabelAndCertainty, ProviderName, SegmentPrediction } from '../types.js';

export interface ModelInfo {
  name: string;
  version: string;
  backend: string;
}

export interface AudioPrediction {
  first: LabelAndCertainty;
  second: LabelAndCertainty;
  probabilities: Record<string, number>;
  segments: SegmentPrediction[];
  /** Models with a "none of the five" output only (GenrePrediction). */
  otherScore?: number;
  uncertain?: boolean;
  /** MFCC image, base64 JPEG without a data: prefix (what the 2017 widget expects). */
  mfcc: string;
  durationSeconds: number;
  timingsMs: Record<string, number>;
  model: ModelInfo;
}

export interface TrackInfo {
  artist: string;
  title: string;
  link?: string;
}

export interface TrackPrediction extends AudioPrediction {
  mp3: string;
  source: ProviderName;
  track: TrackInfo;
}

export type PredictionResult = AudioPrediction | TrackPrediction;
