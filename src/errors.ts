// A few named errors. `permanent` decides retries: a permanent failure (bad input, no preview)
// fails a job once (BullMQ UnrecoverableError); a transient one (network, provider 5xx, timeouts
// of outside calls) is retried with backoff. `status` is the HTTP status the API answers with.

export interface ErrorBody {
  error: { code: string; message: string };
}

export abstract class AppError extends Error {
  abstract readonly permanent: boolean;
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/** The client sent something we cannot use (not audio, empty, too large, bad parameters). */
export class InputError extends AppError {
  readonly permanent = true;
}

/** The thing asked for does not exist (unknown track, no preview, unknown job). */
export class NotFoundError extends AppError {
  readonly permanent = true;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, 404, options);
  }
}

/** Something outside failed in a way that may pass (provider down, quota, network, Redis). */
export class TransientError extends AppError {
  readonly permanent = false;
}

/** Our own fault that retrying will not fix (bad model directory, broken install). */
export class InternalError extends AppError {
  readonly permanent = true;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, 500, options);
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
