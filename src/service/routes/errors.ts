// One error shape for every failure, ours or Fastify's: {"error": {"code", "message"}} with the
// right status. Fastify/plugin errors (404, 413, 415, 429, bad JSON, multipart limits) are mapped
// to stable codes so clients never see HTML or a stack trace.
import type { FastifyError, FastifyInstance } from 'fastify';
import { ERROR_CODES, type ErrorCode } from '../../error-codes.js';
import { AppError, TransientError } from '../../errors.js';
import { SyncWaitTimeout } from '../queue/failure.js';

/** A refusal the client should retry after `retryAfterSeconds` (sent as Retry-After). */
export class RetryLaterError extends TransientError {
  constructor(code: ErrorCode, message: string, readonly retryAfterSeconds: number) {
    super(code, message);
  }
}

/** The queue has more waiting jobs than MAX_QUEUE_BACKLOG (or upload bytes than MAX_QUEUED_UPLOAD_BYTES): try again later. */
export class QueueFullError extends RetryLaterError {
  constructor(retryAfterSeconds: number, code: ErrorCode = 'QUEUE_FULL', message = 'too many predictions are waiting; try again shortly') {
    super(code, message, retryAfterSeconds);
  }
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_BODY',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_BODY',
  FST_REQ_FILE_TOO_LARGE: 'UPLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'TOO_MANY_FILES',
  FST_PARTS_LIMIT: 'TOO_MANY_PARTS',
  FST_FIELDS_LIMIT: 'TOO_MANY_FIELDS',
  FST_PROTO_VIOLATION: 'INVALID_MULTIPART',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'NOT_MULTIPART',
};

function codeFor(status: number, fastifyCode: string | undefined): ErrorCode {
  if (fastifyCode && FASTIFY_CODES[fastifyCode]) return FASTIFY_CODES[fastifyCode];
  if (status === 429) return 'RATE_LIMITED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 416) return 'RANGE_NOT_SATISFIABLE';
  if (status === 413) return 'BODY_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  return 'INVALID_REQUEST';
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    void reply.code(ERROR_CODES.NOT_FOUND.status).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });

  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    if (err instanceof AppError) {
      if (err.status >= 500) request.log.warn({ code: err.code, err }, 'request failed');
      if (err instanceof RetryLaterError) void reply.header('retry-after', String(err.retryAfterSeconds));
      else if (err.status === 503) void reply.header('retry-after', '5');
      const body = err instanceof SyncWaitTimeout ? { ...err.toBody(), jobId: err.jobId } : err.toBody();
      if (err instanceof SyncWaitTimeout) void reply.header('location', `/jobs/${err.jobId}`);
      return reply.code(err.status).send(body);
    }
    const fastifyErr = err as FastifyError;
    const status = fastifyErr.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // The status comes from the code's entry: the multipart plugin's 406 for a non-multipart
      // body becomes NOT_MULTIPART's 415, which is what it means here.
      const code = codeFor(status, fastifyErr.code);
      const message = fastifyErr.validation ? `invalid request: ${fastifyErr.message}` : fastifyErr.message;
      return reply.code(ERROR_CODES[code].status).send({ error: { code, message } });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.code(ERROR_CODES.INTERNAL_ERROR.status).send({ error: { code: 'INTERNAL_ERROR', message: 'internal error' } });
  });
}
