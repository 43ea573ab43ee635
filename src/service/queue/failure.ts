// Errors cross the queue as JSON strings (BullMQ keeps only a failure *reason*), so a worker's
// InputError NOT_AUDIO reaches the API as the same class and code. Status and permanence travel
// too, for readers of the job record; on the way back in, the code's entry in the table decides.
import { ERROR_CODES, isErrorCode } from '../../error-codes.js';
import { AppError, InputError, InternalError, NotFoundError, TransientError } from '../../errors.js';
import type { JobFailure } from './job-queue.js';

/** Unknown errors (a bug, a Redis hiccup inside a stage) count as transient: a retry may pass. */
export function toJobFailure(err: unknown): JobFailure {
  if (err instanceof AppError) {
    return { code: err.code, message: err.message, status: err.status, permanent: err.permanent };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL_ERROR', message: `prediction failed: ${message}`, ...ERROR_CODES.INTERNAL_ERROR };
}

export function encodeFailure(failure: JobFailure): string {
  return JSON.stringify(failure);
}

/** Parses a failure reason; anything that is not ours (e.g. BullMQ's own stalled message) maps to 500. */
export function decodeFailure(reason: string | undefined): JobFailure {
  try {
    const parsed = JSON.parse(reason ?? '') as Partial<JobFailure>;
    if (typeof parsed.code === 'string' && typeof parsed.message === 'string' && typeof parsed.status === 'number') {
      return { code: parsed.code, message: parsed.message, status: parsed.status, permanent: parsed.permanent === true };
    }
  } catch {
    // not JSON: fall through
  }
  return { code: 'JOB_FAILED', message: reason || 'the job failed', ...ERROR_CODES.JOB_FAILED };
}

/** A code this build does not know (a worker of another version) fails as JOB_FAILED. */
export function toAppError(failure: JobFailure): AppError {
  const { code, message } = failure;
  if (!isErrorCode(code)) return new InternalError('JOB_FAILED', `${code}: ${message}`);
  const { status, permanent } = ERROR_CODES[code];
  if (!permanent) return new TransientError(code, message);
  if (status === 404) return new NotFoundError(code, message);
  if (status === 500) return new InternalError(code, message);
  return new InputError(code, message);
}

/** A synchronous request waited SYNC_WAIT_MS: the job goes on, the client polls /jobs/:id. */
export class SyncWaitTimeout extends TransientError {
  constructor(readonly jobId: string, waitedMs: number) {
    super('SYNC_WAIT_TIMEOUT', `the prediction did not finish within ${waitedMs} ms; poll /jobs/${jobId}`);
  }
}
