// The errors node:http and Fastify's router answer before any route or error handler runs: a
// request that cannot be parsed, headers too large, a header or whole-request time-out, a URL that
// is not valid percent-encoding. Fastify's defaults answer them in a shape of their own; these
// answer them like every other error, {"error": {"code", "message"}}.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, type ErrorCode } from '../error-codes.js';

/** The code and message for an error node:http reports on a connection before a request exists. */
export function clientErrorBody(err: { code?: string }): { code: ErrorCode; message: string } {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { code: 'REQUEST_TIMEOUT', message: 'the request did not arrive in time (HTTP_HEADERS_TIMEOUT_MS or HTTP_REQUEST_TIMEOUT_MS)' };
  if (err.code === 'HPE_HEADER_OVERFLOW') return { code: 'HEADERS_TOO_LARGE', message: 'the request headers are larger than the server accepts' };
  return { code: 'INVALID_REQUEST', message: 'malformed HTTP request' };
}

/** Fastify's `clientErrorHandler`: written straight to the socket, which then closes. */
export function clientErrorHandler(this: FastifyInstance, err: Error & { code?: string }, socket: Socket): void {
  // A reset connection has no one left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { code, message } = clientErrorBody(err);
  const status = ERROR_CODES[code].status;
  const body = JSON.stringify({ error: { code, message } });
  this.log.debug({ err, code }, 'client error');
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** Fastify's `frameworkErrors`: a URL that is not valid percent-encoding, or a path parameter over the router's limit. */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message = err.code === 'FST_ERR_BAD_URL' ? 'the URL is not valid percent-encoding' : `invalid request: ${err.message}`;
  void reply.code(ERROR_CODES.INVALID_REQUEST.status).send({ error: { code: 'INVALID_REQUEST', message } });
}

/**
 * An onRequest hook: HTTP/1.1 requires a Host header (RFC 9112, 3.2), and node:http's own refusal
 * of a request without one has no body (http-limits.ts turns it off so that this answers).
 */
export async function requireHost(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.raw.httpVersion !== '1.1' || request.headers.host !== undefined) return;
  await reply.code(ERROR_CODES.INVALID_REQUEST.status).header('connection', 'close')
    .send({ error: { code: 'INVALID_REQUEST', message: 'an HTTP/1.1 request needs a Host header' } });
}
