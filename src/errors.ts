// Typed errors. A stage names the failure (a code of error-codes.ts) and its kind; the table gives
// the HTTP status and whether a job failing with it is retried, so no stage chooses a status.
import { ERROR_CODES, type ErrorCode } from './error-codes.js';

export interface ErrorBody {
  error: { code: string; message: string };
}

export abstract class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
  /** The HTTP status the API answers with. */
  get status(): number {
    return ERROR_CODES[this.code].status;
  }
  /** A permanent failure fails a job once (BullMQ UnrecoverableError); a transient one is retried. */
  get permanent(): boolean {
    return ERROR_CODES[this.code].permanent;
  }
  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/** The client sent something we cannot use (not audio, empty, too large, bad parameters), or a
 * provider handed us something we refuse to fetch. */
export class InputError extends AppError {}

/** The thing asked for does not exist (unknown track, no preview, unknown job). */
export class NotFoundError extends AppError {}

/** Something outside failed in a way that may pass (provider down, quota, network, Redis). */
export class TransientError extends AppError {}

/** Our own fault (bad model directory, broken install). */
export class InternalError extends AppError {}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
