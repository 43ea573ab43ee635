// GET /jobs/:id — state, progress and the result (or error) of a prediction job.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { InputError, NotFoundError } from '../../errors.js';
import { JOB_ID_PATTERN, type JobQueue } from '../queue/job-queue.js';
import { formatPrediction } from './run-prediction.js';
import { parseInput } from './validate.js';

const paramsSchema = z.object({ id: z.string() });

export function acceptedBody(jobId: string) {
  return { jobId, status: 'queued', location: `/jobs/${jobId}` };
}

export function registerJobRoutes(app: FastifyInstance, { queue }: { queue: JobQueue }): void {
  app.get('/jobs/:id', async (request) => {
    const { id } = parseInput(paramsSchema, request.params, 'job id');
    if (!JOB_ID_PATTERN.test(id)) throw new InputError('INVALID_JOB_ID', 'job ids are 32 lowercase hex characters', 400);
    const status = await queue.getStatus(id);
    if (!status) throw new NotFoundError('JOB_NOT_FOUND', `no job with id ${id} (finished jobs are kept for a limited time)`);
    return {
      id: status.id,
      state: status.state,
      progress: status.progress,
      attemptsMade: status.attemptsMade,
      createdAt: new Date(status.createdAt).toISOString(),
      ...(status.finishedAt ? { finishedAt: new Date(status.finishedAt).toISOString() } : {}),
      ...(status.result ? { result: formatPrediction(status.result) } : {}),
      ...(status.error ? { error: { code: status.error.code, message: status.error.message, status: status.error.status } } : {}),
    };
  });
}
