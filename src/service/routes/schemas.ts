// JSON Schemas of the responses, shared by the routes and published in the OpenAPI document
// (components.schemas, named by $id). They document; they are not used to serialise.
import { ERROR_CODES } from '../../error-codes.js';

const JOB_LOCATION = '^/jobs/[0-9a-f]{32}$';
const probability = { type: 'number', minimum: 0, maximum: 1 };
const genreProbabilities = { type: 'object', additionalProperties: probability };

const JobId = {
  $id: 'JobId',
  type: 'string',
  pattern: '^[0-9a-f]{32}$',
  description: 'Opaque job id (a hash of the track or of the uploaded bytes).',
};

const ErrorBody = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_CODES), description: 'Stable error code; its HTTP status and retry class are fixed (src/error-codes.ts).' },
        message: { type: 'string', minLength: 1 },
      },
    },
  },
};

const LabelAndCertainty = {
  $id: 'LabelAndCertainty',
  type: 'array',
  description: 'A genre and its certainty (a fraction in [0, 1]).',
  prefixItems: [{ type: 'string' }, probability],
  minItems: 2,
  maxItems: 2,
};

const Miss = {
  $id: 'Miss',
  type: 'object',
  description: 'No match, or no preview for the match.',
  required: ['response'],
  additionalProperties: false,
  properties: { response: { const: false } },
};

const AudioPrediction = {
  $id: 'AudioPrediction',
  type: 'object',
  required: ['response', 'first', 'second', 'mfcc', 'probabilities', 'segments', 'model', 'durationSeconds'],
  properties: {
    response: { const: true },
    first: { $ref: 'LabelAndCertainty#' },
    second: { $ref: 'LabelAndCertainty#' },
    mfcc: {
      type: 'string',
      contentEncoding: 'base64',
      contentMediaType: 'image/jpeg',
      pattern: '^[A-Za-z0-9+/]+={0,2}$',
      description: 'The MFCC image, base64 JPEG without a data: prefix.',
    },
    probabilities: { ...genreProbabilities, description: 'Mean probability per genre over all segments.' },
    segments: {
      type: 'array',
      description: 'The windows the model scored, in time order, each with its genre probabilities: a genre timeline.',
      items: {
        type: 'object',
        required: ['start', 'end', 'probabilities'],
        properties: { start: { type: 'number', minimum: 0 }, end: { type: 'number', minimum: 0 }, probabilities: genreProbabilities },
      },
    },
    model: {
      type: 'object',
      required: ['name', 'version', 'backend'],
      properties: { name: { type: 'string' }, version: { type: 'string' }, backend: { type: 'string' } },
    },
    durationSeconds: { type: 'number', minimum: 0, description: 'Seconds of audio analysed.' },
    otherScore: {
      type: 'number', minimum: 0, maximum: 1,
      description: 'Models with a "none of the five" output only (the bundled model has one): the calibrated probability that the music is none of the genres; `first`, `second` and `probabilities` are then renormalised over the genres alone.',
    },
    uncertain: {
      type: 'boolean',
      description: 'Models with a "none of the five" output only: otherScore reached the model\'s threshold, so the music sounds like none of the genres and `first`/`second` are only the closest.',
    },
  },
};

const TrackPrediction = {
  $id: 'TrackPrediction',
  allOf: [
    { $ref: 'AudioPrediction#' },
    {
      type: 'object',
      required: ['mp3', 'source', 'track'],
      properties: {
        mp3: { type: 'string', format: 'uri', description: 'The preview URL (may carry an expiring token).' },
        source: { type: 'string', enum: ['deezer', 'itunes', 'spotify'] },
        track: {
          type: 'object',
          required: ['artist', 'title'],
          properties: { artist: { type: 'string' }, title: { type: 'string' }, link: { type: 'string', format: 'uri' } },
        },
      },
    },
  ],
};

const Job = {
  $id: 'Job',
  type: 'object',
  required: ['id', 'state', 'progress', 'attemptsMade', 'createdAt'],
  additionalProperties: false,
  properties: {
    id: { $ref: 'JobId#' },
    state: { type: 'string', enum: ['waiting', 'active', 'delayed', 'completed', 'failed'] },
    progress: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['stage', 'percent'],
          properties: {
            stage: { type: 'string', enum: ['download', 'decode', 'mfcc', 'classify', 'image'] },
            percent: { type: 'number', minimum: 0, maximum: 100 },
          },
        },
      ],
    },
    attemptsMade: { type: 'integer', minimum: 0 },
    createdAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    result: { description: 'When completed. Track jobs have the TrackPrediction fields.', anyOf: [{ $ref: 'TrackPrediction#' }, { $ref: 'AudioPrediction#' }] },
    error: {
      description: 'When failed.',
      type: 'object',
      required: ['code', 'message', 'status'],
      additionalProperties: false,
      properties: { code: { type: 'string' }, message: { type: 'string' }, status: { type: 'integer', minimum: 400, maximum: 599 } },
    },
  },
};

const Readiness = {
  $id: 'Readiness',
  type: 'object',
  required: ['status', 'checks'],
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['ready', 'not_ready'] },
    checks: {
      type: 'object',
      additionalProperties: { type: 'object', required: ['ok'], additionalProperties: false, properties: { ok: { type: 'boolean' }, detail: { type: 'string' } } },
    },
  },
};

export const sharedSchemas = [JobId, ErrorBody, LabelAndCertainty, Miss, AudioPrediction, TrackPrediction, Job, Readiness];

const locationHeader = { Location: { type: 'string', pattern: JOB_LOCATION, description: 'The job to poll, `/jobs/{id}`.' } };
const retryAfterHeader = { 'Retry-After': { type: 'string', pattern: '^[0-9]+$', description: 'Seconds to wait before trying again.' } };

/** A JSON response: its schema, what it means and the headers it always carries. */
export function json(description: string, schema: object, headers?: Record<string, object>) {
  return { description, ...(headers ? { headers } : {}), content: { 'application/json': { schema } } };
}

export const errorResponse = (description: string) => json(description, { $ref: 'Error#' });

export const accepted = json(
  'The job was queued (mode=async).',
  {
    type: 'object',
    required: ['jobId', 'status', 'location'],
    additionalProperties: false,
    properties: { jobId: { $ref: 'JobId#' }, status: { const: 'queued' }, location: { type: 'string', pattern: JOB_LOCATION } },
  },
  locationHeader,
);

export const rateLimited = json('Too many requests from this client (RATE_LIMITED).', { $ref: 'Error#' }, retryAfterHeader);

export const unavailable = json(
  'The queue is full (QUEUE_FULL), Redis is unreachable (QUEUE_UNAVAILABLE) or a provider is down.',
  { $ref: 'Error#' },
  retryAfterHeader,
);

export const syncTimeout = json(
  'The prediction did not finish within SYNC_WAIT_MS (SYNC_WAIT_TIMEOUT; poll `jobId`, also in Location), or a provider timed out.',
  { allOf: [{ $ref: 'Error#' }, { type: 'object', properties: { jobId: { $ref: 'JobId#' } } }] },
);
