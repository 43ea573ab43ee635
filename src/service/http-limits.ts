// Limits on the HTTP server itself, below Fastify's routes: time-outs for silent or slow clients,
// a cap on open sockets per remote address, `Expect: 100-continue` answered 413 before the body
// is sent when its declared size is over the limit, and at shutdown the uploads still being
// received are dropped at once (an unfinished upload cannot be answered, and must not hold the
// process until SHUTDOWN_TIMEOUT_MS).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../config.js';
import { ERROR_CODES, type ErrorCode } from '../error-codes.js';

type LimitsConfig = Pick<
  Config,
  | 'HTTP_IDLE_TIMEOUT_MS'
  | 'HTTP_REQUEST_TIMEOUT_MS'
  | 'HTTP_HEADERS_TIMEOUT_MS'
  | 'HTTP_KEEP_ALIVE_TIMEOUT_MS'
  | 'MAX_CONNECTIONS_PER_CLIENT'
  | 'MAX_UPLOAD_BYTES'
  | 'TRUST_PROXY'
>;

/** Room for the multipart envelope (boundaries, part headers, small fields) around the file. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** The largest body any route accepts: one upload and its multipart envelope. */
export const maxBodyBytes = (config: Pick<Config, 'MAX_UPLOAD_BYTES'>) => config.MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES;

/** How often node:http checks the header and request time-outs (its default, 30 s, let them fire up to 30 s late). */
export const TIMEOUT_CHECK_INTERVAL_MS = 1000;

/** Fastify server options for the time-outs (Fastify hands them to node:http). */
export function serverTimeouts(config: LimitsConfig) {
  return {
    connectionTimeout: config.HTTP_IDLE_TIMEOUT_MS,
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    // requireHostHeader: node:http's own 400 for an HTTP/1.1 request without Host has an empty
    // body; the request reaches Fastify instead and gets the JSON one (edge-errors.ts).
    http: { connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS, requireHostHeader: false },
  };
}

/** A JSON error written with node:http's response object, for what is answered below Fastify. */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), connection: 'close' });
  res.end(text);
}

export function tooLargeBody(config: Pick<Config, 'MAX_UPLOAD_BYTES'>, declared: number) {
  return {
    error: {
      code: 'UPLOAD_TOO_LARGE' satisfies ErrorCode,
      message: `the request body declares ${declared} bytes; uploads are limited to ${config.MAX_UPLOAD_BYTES} bytes`,
    },
  };
}

export interface ServerLimits {
  /**
   * For shutdown: destroys the sockets of requests whose body is still arriving and of
   * connections with no request in flight (node:http's closeIdleConnections leaves a socket
   * that never sent a request open). Returns how many uploads were dropped.
   */
  dropUnfinishedRequests(): number;
}

export function applyServerLimits(server: Server, config: LimitsConfig): ServerLimits {
  server.headersTimeout = config.HTTP_HEADERS_TIMEOUT_MS;

  const perAddress = new Map<string, number>();
  if (config.MAX_CONNECTIONS_PER_CLIENT > 0 && !config.TRUST_PROXY) {
    server.on('connection', (socket: Socket) => {
      const address = socket.remoteAddress ?? 'unknown';
      const open = (perAddress.get(address) ?? 0) + 1;
      if (open > config.MAX_CONNECTIONS_PER_CLIENT) {
        socket.destroy();
        return;
      }
      perAddress.set(address, open);
      socket.once('close', () => {
        const left = (perAddress.get(address) ?? 1) - 1;
        if (left <= 0) perAddress.delete(address);
        else perAddress.set(address, left);
      });
    });
  }

  // With a 'checkContinue' listener, node:http no longer sends "100 Continue" by itself: we send
  // it, or a 413 that spares the client sending a body we would refuse.
  const limit = maxBodyBytes(config);
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      sendJson(res, 413, tooLargeBody(config, declared));
      return;
    }
    res.writeContinue();
    server.emit('request', req, res);
  });
  // Any other expectation: node:http would answer 417 with an empty body.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const code: ErrorCode = 'EXPECTATION_FAILED';
    sendJson(res, ERROR_CODES[code].status, { error: { code, message: `unsupported Expect header "${String(req.headers.expect).slice(0, 100)}"; only 100-continue is understood` } });
  });

  // Requests in flight per socket, to find the sockets with none at shutdown.
  const inFlight = new Map<Socket, number>();
  server.on('connection', (socket: Socket) => {
    if (socket.destroyed) return;
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  const receiving = new Set<IncomingMessage>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    if (inFlight.has(socket)) {
      inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
      res.once('close', () => inFlight.has(socket) && inFlight.set(socket, Math.max(0, (inFlight.get(socket) ?? 1) - 1)));
    }
    if (req.complete) return;
    // Kept until its response closes, which every end brings (answered, client gone, socket timed
    // out); shutdown skips those complete by then. The request's own 'end'/'close' are not enough:
    // one answered before its body arrived (413, 429, 503 with `connection: close`) emits neither.
    receiving.add(req);
    res.once('close', () => receiving.delete(req));
  });

  return {
    dropUnfinishedRequests() {
      let dropped = 0;
      for (const req of receiving) {
        if (req.complete) continue;
        req.socket.destroy();
        dropped++;
      }
      receiving.clear();
      for (const [socket, requests] of inFlight) if (requests === 0) socket.destroy();
      return dropped;
    },
  };
}
