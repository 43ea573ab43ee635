// GET /d/music-prediction?artist=&track= — the 2017 widget's contract. The API resolves the
// preview itself (cheap I/O, cached per process: previews/lookup-cache.ts; a miss answers
// {"response": false} without a job), then runs or reuses the job keyed by the provider's track id.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { isAppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { AppMetrics } from '../metrics.js';
import { createPreviewLookup } from '../../previews/lookup-cache.js';
import type { PreviewProvider } from '../../previews/provider.js';
import { trackJobKey, type PredictionQueue } from '../predictions/jobs.js';
import { createClientLookupLimit } from './client-lookup-limit.js';
import { acceptedBody } from './jobs.js';
import { JSON_CONTENT_TYPE, predictionBody, runPrediction } from './run-prediction.js';
import { accepted, errorResponse, json, rateLimited, syncTimeout, unavailable } from './schemas.js';
import { modeParam, textParam, type ZodTypeProvider } from './validate.js';

export function registerLegacyRoute(
  app: FastifyInstance,
  { config, queue, providers, metrics }: { config: Config; queue: PredictionQueue; providers: readonly PreviewProvider[]; metrics?: AppMetrics },
): void {
  const querystring = z.object({
    artist: textParam(config.MAX_QUERY_CHARS).describe('Artist name; trimmed, at most MAX_QUERY_CHARS characters.'),
    track: textParam(config.MAX_QUERY_CHARS).describe('Track title; trimmed, at most MAX_QUERY_CHARS characters.'),
    mode: modeParam,
  });
  const schema = {
    operationId: 'legacyPrediction',
    summary: "The 2017 widget contract (artist + track → genres of the track's preview)",
    querystring,
    response: {
      200: json('A prediction (`response` true) or a miss (`response` false, no other field).', {
        oneOf: [{ $ref: 'TrackPrediction#' }, { $ref: 'Miss#' }],
      }),
      202: accepted,
      400: errorResponse('Bad query parameters (INVALID_QUERY).'),
      415: errorResponse('The preview is not audio (NOT_AUDIO).'),
      422: errorResponse('The preview could not be classified (AUDIO_TOO_SHORT, UNSUPPORTED_AUDIO, SILENT_AUDIO, INVALID_SAMPLES, DECODE_TIMEOUT).'),
      429: rateLimited,
      500: errorResponse('Internal error.'),
      502: errorResponse('A provider or the preview download failed (PROVIDER_UNAVAILABLE, PREVIEW_UNAVAILABLE, PREVIEW_FORBIDDEN, PREVIEW_TOO_LARGE).'),
      503: unavailable,
      504: syncTimeout,
    },
  };

  const lookup = createPreviewLookup({ providers, ttlSeconds: config.LOOKUP_CACHE_TTL_S });
  const share = createClientLookupLimit({ limit: config.CLIENT_LOOKUP_RATE_LIMIT });

  app.withTypeProvider<ZodTypeProvider>().get('/d/music-prediction', { schema }, async (request, reply) => {
    const { artist, track, mode } = request.query;
    const match = await lookup.find({ artist, track, logger: request.log as Logger, beforeSearch: () => share.take(request.ip) });
    if (!match) return { response: false };
    const key = trackJobKey(match);
    try {
      const outcome = await runPrediction({ queue, config, metrics, mode, request: { data: { kind: 'track', key, match } } });
      if (outcome.kind === 'accepted') return reply.code(202).header('location', `/jobs/${outcome.jobId}`).send(acceptedBody(outcome.jobId));
      return reply.type(JSON_CONTENT_TYPE).send(predictionBody({ result: outcome.result, mfccJson: outcome.mfccJson, fresh: { mp3: match.previewUrl } }));
    } catch (err) {
      // The preview vanished between lookup and download (404/410): for the widget that is a miss.
      if (isAppError(err) && err.permanent && err.status === 404) {
        request.log.info({ code: err.code, key }, 'preview gone: answering as a miss');
        lookup.forget({ artist, track });
        return { response: false };
      }
      throw err;
    }
  });
}
