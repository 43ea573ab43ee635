// A client that sends its upload slower than UPLOAD_MIN_BYTES_PER_S, over any UPLOAD_RATE_WINDOW_MS,
// holds an upload slot for nothing until the request time-out: it is refused with 408
// UPLOAD_TOO_SLOW instead. Bytes are counted on the socket, so a dripped multipart preamble counts.
import type { Socket } from 'node:net';
import { InputError } from '../../errors.js';

export interface UploadRateWatch {
  /** Rejects with UPLOAD_TOO_SLOW when a window brings fewer bytes than the minimum. */
  tooSlow: Promise<never>;
  stop(): void;
}

export function watchUploadRate(socket: Socket, { minBytesPerSecond, windowMs }: { minBytesPerSecond: number; windowMs: number }): UploadRateWatch {
  let fail: (err: Error) => void = () => undefined;
  const tooSlow = new Promise<never>((_, reject) => (fail = reject));
  tooSlow.catch(() => undefined); // observed by the caller's race; unobserved once the upload is in
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
