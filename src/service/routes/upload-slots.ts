// Uploads in progress are capped in total and per client, counted when the request STARTS (before
// any body byte is read) and released when its response ends or its socket closes: the memory
// uploads hold is then at most MAX_CONCURRENT_UPLOADS × MAX_UPLOAD_BYTES by construction. A body
// whose declared length is over the upload limit is refused before it is read.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { ERROR_CODES, type ErrorCode } from '../../error-codes.js';
import { maxBodyBytes, tooLargeBody } from '../http-limits.js';

type SlotsConfig = Pick<Config, 'MAX_CONCURRENT_UPLOADS' | 'MAX_CONCURRENT_UPLOADS_PER_CLIENT' | 'MAX_UPLOAD_BYTES'>;

/** Seconds a refused uploader is asked to wait: about one prediction. */
const RETRY_AFTER_S = 2;

export interface UploadSlots {
  /** Uploads holding a slot now (for metrics and tests). */
  inUse(): number;
}

function refuse(reply: FastifyReply, code: ErrorCode, message: string) {
  // Closing the connection discards the unread body instead of reading it to keep the socket.
  return reply.code(ERROR_CODES[code].status).header('retry-after', String(RETRY_AFTER_S)).header('connection', 'close').send({ error: { code, message } });
}

export function registerUploadSlots(app: FastifyInstance, config: SlotsConfig, isUpload: (request: FastifyRequest) => boolean): UploadSlots {
  let total = 0;
  const perClient = new Map<string, number>();
  const limit = maxBodyBytes(config);

  app.addHook('onRequest', async (request, reply) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      return reply.code(ERROR_CODES.UPLOAD_TOO_LARGE.status).header('connection', 'close').send(tooLargeBody(config, declared));
    }
    if (!isUpload(request)) return;
    const client = request.ip;
    const mine = perClient.get(client) ?? 0;
    if (mine >= config.MAX_CONCURRENT_UPLOADS_PER_CLIENT) {
      return refuse(reply, 'UPLOADS_PER_CLIENT', `at most ${config.MAX_CONCURRENT_UPLOADS_PER_CLIENT} uploads at once per client; wait for one to finish`);
    }
    if (total >= config.MAX_CONCURRENT_UPLOADS) {
      return refuse(reply, 'UPLOADS_BUSY', 'the service is receiving as many uploads as it takes at once; try again shortly');
    }
    total++;
    perClient.set(client, mine + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      total--;
      const left = (perClient.get(client) ?? 1) - 1;
      if (left <= 0) perClient.delete(client);
      else perClient.set(client, left);
    };
    // 'close' covers every end: the response sent, the client gone, the socket timed out.
    reply.raw.once('close', release);
  });

  return { inUse: () => total };
}
