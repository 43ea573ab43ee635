// Every error code the project answers with, and what it means at the HTTP edge: the status, and
// whether a job failing with it is tried again (transient) or fails at once (permanent). Stages
// throw typed errors that name a code; only this table chooses statuses and retries.

export interface ErrorCodeSpec {
  readonly status: number;
  readonly permanent: boolean;
}

const input = (status: number): ErrorCodeSpec => ({ status, permanent: true });
const transient = (status: number): ErrorCodeSpec => ({ status, permanent: false });
const internal: ErrorCodeSpec = { status: 500, permanent: true };

export const ERROR_CODES = {
  // The request: parameters, body, multipart parts.
  INVALID_QUERY: input(400),
  INVALID_BODY: input(400),
  INVALID_JOB_ID: input(400),
  INVALID_REQUEST: input(400),
  REQUEST_TIMEOUT: input(408),
  HEADERS_TOO_LARGE: input(431),
  INVALID_MULTIPART: input(400),
  MISSING_FILE: input(400),
  UNEXPECTED_FILE_FIELD: input(400),
  TOO_MANY_FILES: input(400),
  TOO_MANY_PARTS: input(400),
  TOO_MANY_FIELDS: input(400),
  NOT_FOUND: input(404),
  FORBIDDEN: input(403),
  RANGE_NOT_SATISFIABLE: input(416),
  EXPECTATION_FAILED: input(417),
  BODY_TOO_LARGE: input(413),
  UPLOAD_TOO_LARGE: input(413),
  NOT_MULTIPART: input(415),
  UNSUPPORTED_MEDIA_TYPE: input(415),
  RATE_LIMITED: transient(429),
  UPLOADS_PER_CLIENT: transient(429),
  CLIENT_LOOKUP_LIMIT: transient(429),
  // The audio.
  EMPTY_AUDIO: input(400),
  BAD_FEATURES: input(400),
  AUDIO_TOO_LARGE: input(413),
  NOT_AUDIO: input(415),
  AUDIO_TOO_SHORT: input(422),
  UNSUPPORTED_AUDIO: input(422),
  SILENT_AUDIO: input(422),
  INVALID_SAMPLES: input(422),
  DECODE_TIMEOUT: input(422),
  UPLOAD_EXPIRED: input(410),
  UPLOAD_TOO_SLOW: input(408),
  // Jobs.
  JOB_NOT_FOUND: input(404),
  JOB_FAILED: internal,
  SYNC_WAIT_TIMEOUT: transient(504),
  // Providers and previews: what they answer is not the client's fault, hence 5xx.
  PREVIEW_NOT_FOUND: input(404),
  PREVIEW_FORBIDDEN: input(502),
  PREVIEW_TOO_LARGE: input(502),
  PREVIEW_UNAVAILABLE: transient(502),
  PROVIDER_UNAVAILABLE: transient(502),
  PROVIDER_RESPONSE_TOO_LARGE: transient(502),
  PROVIDER_QUOTA: transient(503),
  PREVIEW_TIMEOUT: transient(504),
  PROVIDER_TIMEOUT: transient(504),
  PROVIDER_AUTH: internal,
  // Capacity and dependencies of the service.
  UPLOADS_BUSY: transient(503),
  QUEUE_FULL: transient(503),
  QUEUE_BYTES_FULL: transient(503),
  QUEUE_UNAVAILABLE: transient(503),
  NO_WORKERS: transient(503),
  RESULT_LOST: transient(503),
  SHUTTING_DOWN: transient(503),
  DECODER_OVERLOADED: transient(503),
  DECODE_ABORTED: transient(503),
  FFMPEG_UNAVAILABLE: transient(503),
  // Our own faults: an unknown error may pass on a retry; the others will not.
  INTERNAL_ERROR: transient(500),
  FFMPEG_FAILED: internal,
  FFMPEG_NOT_FOUND: internal,
  TF_BACKEND_UNAVAILABLE: internal,
  MODEL_INVALID: internal,
  MODEL_DISPOSED: internal,
  FEATURE_MISMATCH: internal,
  BAD_SEGMENT_BATCH: internal,
  REDIS_URL_REQUIRED: internal,
  // Parameters of a stage (model metadata, lab options) out of range.
  INVALID_DECODE_PARAMS: input(400),
  INVALID_FEATURE_PARAMS: input(400),
  INVALID_IMAGE_PARAMS: input(400),
  INVALID_MFCC: input(400),
  // The lab: datasets, manifests and training runs (answered by the CLI, not over HTTP).
  AUDIO_NOT_FOUND: input(400),
  BAD_CSV: input(400),
  BAD_MANIFEST: input(400),
  BAD_RECIPE: input(400),
  BAD_SPLIT: input(400),
  DATASET_NOT_FOUND: input(400),
  EMPTY_DATASET: input(400),
  EMPTY_TRAINING_SET: input(400),
  EVAL_DATA_OVERLAP: input(400),
  INVALID_SOURCES_FILE: input(400),
  UNKNOWN_SOURCE: input(400),
  EXTRACT_FAILED: internal,
  TOOLS_MISSING: internal,
  TOOL_FAILED: internal,
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
