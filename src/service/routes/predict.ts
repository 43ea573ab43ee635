// POST /predict — multipart upload (field `file`) of any audio ffmpeg can decode. The job key is
// the sha256 of the bytes, so the same file uploaded twice at once runs once and a repeat comes
// from the cache. Upload file names are never used: the bytes go to memory/Redis, never to disk.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { AppError, InputError } from '../../errors.js';
import { maxBodyBytes } from '../http-limits.js';
import type { AppMetrics } from '../metrics.js';
import { uploadJobKey, type PredictionQueue } from '../predictions/jobs.js';
import { acceptedBody } from './jobs.js';
import { JSON_CONTENT_TYPE, predictionBody, runPrediction } from './run-prediction.js';
import { accepted, errorResponse, json, rateLimited, syncTimeout, unavailable } from './schemas.js';
import { watchBodySize, watchUploadRate } from './upload-rate.js';
import { modeParam, type ZodTypeProvider } from './validate.js';

const schema = {
  operationId: 'predictUpload',
  summary: 'Genres of an uploaded audio file (any format ffmpeg decodes)',
  querystring: z.object({ mode: modeParam }),
  consumes: ['multipart/form-data'],
  // Documents the request only: the parts are streamed and checked by readSingleFile.
  body: {
    type: 'object',
    required: ['file'],
    properties: {
      file: {
        type: 'string',
        contentMediaType: 'application/octet-stream',
        description: 'Exactly one file, at most MAX_UPLOAD_BYTES (default 20 MiB). Only the first MAX_AUDIO_SECONDS are analysed.',
      },
    },
  },
  response: {
    200: json('The prediction.', { $ref: 'AudioPrediction#' }),
    202: accepted,
    400: errorResponse('Bad query or multipart body (INVALID_QUERY, MISSING_FILE, EMPTY_AUDIO, TOO_MANY_FILES, INVALID_MULTIPART, …).'),
    408: errorResponse('The upload arrived slower than UPLOAD_MIN_BYTES_PER_S (UPLOAD_TOO_SLOW); the connection closes.'),
    410: errorResponse('The uploaded bytes expired before a worker took the job (UPLOAD_EXPIRED): upload again.'),
    413: errorResponse('The file is larger than MAX_UPLOAD_BYTES (UPLOAD_TOO_LARGE).'),
    415: errorResponse('Not multipart/form-data, or not audio (NOT_MULTIPART, UNSUPPORTED_MEDIA_TYPE, NOT_AUDIO).'),
    422: errorResponse('Audio that cannot be classified (AUDIO_TOO_SHORT, UNSUPPORTED_AUDIO, SILENT_AUDIO, INVALID_SAMPLES, DECODE_TIMEOUT).'),
    429: rateLimited,
    500: errorResponse('Internal error.'),
    503: unavailable,
    504: syncTimeout,
  },
};

type UploadConfig = Pick<Config, 'UPLOAD_MIN_BYTES_PER_S' | 'UPLOAD_RATE_WINDOW_MS' | 'MAX_UPLOAD_BYTES'>;

/**
 * The single file, unless the client sends it too slowly (408) or too much of it (413); then the
 * connection closes, so the rest of the body is never read.
 */
async function readUpload(request: FastifyRequest, reply: FastifyReply, config: UploadConfig): Promise<Buffer> {
  if (!request.isMultipart()) {
    throw new InputError('NOT_MULTIPART', 'send the audio as multipart/form-data with a field named "file"');
  }
  const watch = watchUploadRate(request.raw.socket, { minBytesPerSecond: config.UPLOAD_MIN_BYTES_PER_S, windowMs: config.UPLOAD_RATE_WINDOW_MS });
  // readSingleFile pipes the body into the parser before its first await, so the size watch after it only counts.
  const reading = readSingleFile(request, config.MAX_UPLOAD_BYTES);
  const size = watchBodySize(request.raw, maxBodyBytes(config));
  try {
    return await Promise.race([reading, watch.tooSlow, size.tooLarge]);
  } catch (err) {
    if (err instanceof InputError && (err.code === 'UPLOAD_TOO_SLOW' || err.code === 'UPLOAD_TOO_LARGE')) {
      reading.catch(() => undefined); // ends with the connection, after the answer
      void reply.header('connection', 'close');
    }
    throw err;
  } finally {
    watch.stop();
    size.stop();
  }
}

/**
 * A file part's bytes, refused the moment the part passes the multipart plugin's size limit. The
 * plugin's own toBuffer() refuses only when the part ends, and an endless chunked body never ends.
 */
function readFilePart(file: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    file.on('data', (chunk: Buffer) => chunks.push(chunk));
    file.once('limit', () => {
      chunks.length = 0;
      reject(new InputError('UPLOAD_TOO_LARGE', `the file is larger than ${maxBytes} bytes (MAX_UPLOAD_BYTES)`));
      file.destroy();
    });
    file.once('end', () => resolve(Buffer.concat(chunks)));
    file.once('error', reject);
  });
}

async function readSingleFile(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  let audio: Buffer | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      if (part.fieldname !== 'file') throw new InputError('UNEXPECTED_FILE_FIELD', `unexpected file field "${part.fieldname}": use "file"`);
      if (audio) throw new InputError('TOO_MANY_FILES', 'send exactly one file per request');
      audio = await readFilePart(part.file, maxBytes);
    }
  } catch (err) {
    // Reliability fix (fuzz, issue 6): busboy reports a malformed body (no boundary, truncated
    // form, bad part headers) as a plain Error without a status, which answered 500. It is the
    // client's input: 400. Errors that carry a status (our InputErrors, the plugin's limits) pass.
    if (err instanceof AppError || typeof (err as { statusCode?: unknown }).statusCode === 'number') throw err;
    throw new InputError('INVALID_MULTIPART', `malformed multipart body: ${(err as Error).message}`, { cause: err });
  }
  if (!audio) throw new InputError('MISSING_FILE', 'no file: send the audio in a multipart field named "file"');
  if (audio.length === 0) throw new InputError('EMPTY_AUDIO', 'the uploaded file is empty');
  return audio;
}

export function registerPredictRoute(
  app: FastifyInstance,
  { config, queue, metrics }: { config: Config; queue: PredictionQueue; metrics?: AppMetrics },
): void {
  app.withTypeProvider<ZodTypeProvider>().post('/predict', { schema }, async (request, reply) => {
    const { mode } = request.query;
    const audio = await readUpload(request, reply, config);
    const sha256 = createHash('sha256').update(audio).digest('hex');
    const key = uploadJobKey(sha256);
    const outcome = await runPrediction({
      queue,
      config,
      metrics,
      mode,
      request: { data: { kind: 'upload', key, sha256, bytes: audio.length }, audio },
    });
    if (outcome.kind === 'accepted') return reply.code(202).header('location', `/jobs/${outcome.jobId}`).send(acceptedBody(outcome.jobId));
    return reply.type(JSON_CONTENT_TYPE).send(predictionBody({ result: outcome.result, mfccJson: outcome.mfccJson }));
  });
}
