// The JSON a finished prediction job returns; the routes add the 2017 envelope around it.
import type { GenrePrediction, ProviderName } from '../types.js';

export interface ModelInfo {
  name: string;
  version: string;
  backend: string;
}

export interface AudioPrediction extends GenrePrediction {
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
