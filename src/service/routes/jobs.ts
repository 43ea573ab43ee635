// GET /jobs/:id — state, progress and the result (or error) of a prediction job.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import { JOB_ID_PATTERN } from '../queue/job-queue.js';
import type { PredictionQueue } from '../predictions/jobs.js';
import { formatPrediction } from './run-prediction.js';
import { errorResponse, json, rateLimited, unavailable } from './schemas.js';
import { withErrorCode, type ZodTypeProvider } from './validate.js';

const params = withErrorCode(
  z.object({ id: z.string().regex(JOB_ID_PATTERN, 'job ids are 32 lowercase hex characters') }),
  'INVALID_JOB_ID',
  'job id',
);

const schema = {
  operationId: 'getJob',
  summary: 'State, progress and result (or error) of a prediction job',
  params,
  response: {
    200: json('The job.', { $ref: 'Job#' }),
    400: errorResponse('Not a job id (INVALID_JOB_ID).'),
    404: errorResponse('No such job, or it finished too long ago (JOB_NOT_FOUND).'),
    429: rateLimited,
    503: unavailable,
  },
};

export function acceptedBody(jobId: string) {
  return { jobId, status: 'queued', location: `/jobs/${jobId}` };
}

export function registerJobRoutes(app: FastifyInstance, { queue }: { queue: PredictionQueue }): void {
  app.withTypeProvider<ZodTypeProvider>().get('/jobs/:id', { schema }, async (request) => {
    const { id } = request.params;
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
