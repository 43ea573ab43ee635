// Binds the genre pipeline to this process's config: the object the job processor calls. The
// preview download gets the provider's host allowlist, the byte cap and the timeout here, so the
// stages never read config themselves.
import type { Dispatcher } from 'undici';
import type { Config } from '../../config.js';
import type { GenrePipeline } from '../../genre/pipeline.js';
import { downloadPreview } from '../../previews/download.js';
import { allowedPreviewHosts } from '../../previews/providers.js';
import type { Predictor } from './processor.js';
import { predictTrack } from './predict-track.js';

export type PredictorConfig = Pick<Config, 'PREVIEW_ALLOWED_HOSTS' | 'ALLOW_INSECURE_PREVIEWS' | 'MAX_PREVIEW_BYTES' | 'PREVIEW_DOWNLOAD_TIMEOUT_MS'>;

export function createPredictor({
  pipeline,
  config,
  dispatcher,
}: {
  pipeline: GenrePipeline;
  config: PredictorConfig;
  dispatcher?: Dispatcher;
}): Predictor {
  const predictAudioBytes: Parameters<typeof predictTrack>[0]['predictAudioBytes'] = ({ audio, logger, onProgress, signal }) =>
    pipeline.predict(audio, { logger, onProgress, ...(signal ? { signal } : {}) });
  return {
    predictUpload: ({ audio, logger, onProgress, signal }) => predictAudioBytes({ audio, logger, onProgress, signal }),
    predictTrack: ({ match, logger, onProgress, signal }) =>
      predictTrack({
        match,
        logger,
        onProgress,
        signal,
        predictAudioBytes,
        download: ({ url, signal: downloadSignal }) =>
          downloadPreview({
            url,
            allowedHosts: allowedPreviewHosts({ provider: match.provider, config }),
            allowInsecure: config.ALLOW_INSECURE_PREVIEWS,
            maxBytes: config.MAX_PREVIEW_BYTES,
            timeoutMs: config.PREVIEW_DOWNLOAD_TIMEOUT_MS,
            dispatcher,
            signal: downloadSignal,
          }),
      }),
  };
}
