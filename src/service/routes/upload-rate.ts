// A client that sends its upload slower than UPLOAD_MIN_BYTES_PER_S, over any UPLOAD_RATE_WINDOW_MS,
// holds an upload slot for nothing until the request time-out: it is refused with 408
// UPLOAD_TOO_SLOW instead. Bytes are counted on the socket, so a dripped multipart preamble counts.
// One that sends more than the largest body is refused with 413 (watchBodySize).
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { InputError } from '../../errors.js';

/** A refusal that rejects once `refuse` is called; observed by the caller's race, and harmless unobserved once the upload is in. */
function pendingRefusal(): { refused: Promise<never>; refuse: (err: Error) => void } {
  let refuse: (err: Error) => void = () => undefined;
  const refused = new Promise<never>((_, reject) => (refuse = reject));
  refused.catch(() => undefined);
  return { refused, refuse };
}

export interface UploadRateWatch {
  /** Rejects with UPLOAD_TOO_SLOW when a window brings fewer bytes than the minimum. */
  tooSlow: Promise<never>;
  stop(): void;
}

export function watchUploadRate(socket: Socket, { minBytesPerSecond, windowMs }: { minBytesPerSecond: number; windowMs: number }): UploadRateWatch {
  const { refused: tooSlow, refuse: fail } = pendingRefusal();
  if (minBytesPerSecond === 0) return { tooSlow, stop: () => undefined };
  const needed = (minBytesPerSecond * windowMs) / 1000;
  let seen = socket.bytesRead;
  const timer = setInterval(() => {
    const now = socket.bytesRead;
    if (now - seen < needed) {
      clearInterval(timer);
      fail(new InputError('UPLOAD_TOO_SLOW', `the upload arrived slower than ${minBytesPerSecond} bytes per second; send it again over a faster connection`));
    }
    seen = now;
  }, windowMs);
  timer.unref();
  return { tooSlow, stop: () => clearInterval(timer) };
}

export interface BodySizeWatch {
  /** Rejects with UPLOAD_TOO_LARGE once more than the limit has arrived. */
  tooLarge: Promise<never>;
  stop(): void;
}

/**
 * The multipart parser caps the file, keeps 1 KiB of a text field and drops a part it skips, but
 * reads on while a chunked body (no Content-Length to refuse up front) keeps coming: this counts
 * the body's bytes. Attach it once the body is piped into the parser: a 'data' listener on a
 * stream not yet flowing would take bytes the parser never sees.
 */
export function watchBodySize(body: Readable, maxBytes: number): BodySizeWatch {
  const { refused: tooLarge, refuse: fail } = pendingRefusal();
  let received = 0;
  const count = (chunk: Buffer) => {
    received += chunk.length;
    if (received <= maxBytes) return;
    body.off('data', count);
    fail(new InputError('UPLOAD_TOO_LARGE', `the request body is larger than ${maxBytes} bytes (MAX_UPLOAD_BYTES and the multipart envelope)`));
  };
  body.on('data', count);
  return { tooLarge, stop: () => body.off('data', count) };
}
