// A matched preview → genres: download the preview (client injected: allowlist, byte cap and
// timeout are bound by the caller), then the audio pipeline; adds what the 2017 widget shows.
import type { Logger } from '../../logger.js';
import type { PreviewMatch } from '../../types.js';
import type { AudioPrediction, TrackPrediction } from '../../genre/result.js';

export type DownloadPreview = (args: { url: string; signal?: AbortSignal }) => Promise<Buffer>;
export type PredictAudioBytes = (args: {
  audio: Buffer;
  logger: Logger;
  onProgress?: (stage: string, percent: number) => void;
  signal?: AbortSignal;
}) => Promise<AudioPrediction>;

export async function predictTrack({
  match,
  download,
  predictAudioBytes,
  logger,
  onProgress,
  signal,
}: {
  match: PreviewMatch;
  download: DownloadPreview;
  predictAudioBytes: PredictAudioBytes;
  logger: Logger;
  onProgress?: (stage: string, percent: number) => void;
  signal?: AbortSignal;
}): Promise<TrackPrediction> {
  onProgress?.('download', 5);
  const t0 = performance.now();
  const audio = await download({ url: match.previewUrl, signal });
  const downloadMs = Math.round((performance.now() - t0) * 100) / 100;
  const prediction = await predictAudioBytes({ audio, logger, onProgress, signal });
  return {
    ...prediction,
    timingsMs: { download: downloadMs, ...prediction.timingsMs, total: downloadMs + (prediction.timingsMs.total ?? 0) },
    mp3: match.previewUrl,
    source: match.provider,
    track: { artist: match.artist, title: match.title, ...(match.link ? { link: match.link } : {}) },
  };
}
