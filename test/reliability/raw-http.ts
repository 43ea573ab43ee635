// Hand-driven HTTP/1.1 over a TCP socket, for what client libraries will not do: stall an upload
// half way, hold idle sockets, and watch whether "100 Continue" arrives before a 413.
import { connect, type Socket } from 'node:net';

export interface RawExchange {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves when the server closes the socket (or it errors): ms since the exchange began. */
  closed: Promise<number>;
  /** Resolves with the text received once it matches `pattern` (rejects after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
}

export function openRaw(port: number): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    const waiters = new Set<() => void>();
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      waiters.forEach((w) => w());
    });
    const closed = new Promise<number>((done) => {
      socket.once('close', () => {
        done(Date.now() - started);
        waiters.forEach((w) => w());
      });
    });
    socket.on('error', () => undefined);
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => text,
        closed,
        waitFor(pattern, timeoutMs) {
          return new Promise((ok, fail) => {
            const check = () => {
              if (pattern.test(text)) return finish(() => ok(text));
              if (socket.destroyed) return finish(() => fail(new Error(`socket closed; received: ${text.slice(0, 300)}`)));
            };
            const timer = setTimeout(() => finish(() => fail(new Error(`no ${pattern} within ${timeoutMs} ms; received: ${text.slice(0, 300)}`))), timeoutMs);
            const finish = (fn: () => void) => {
              clearTimeout(timer);
              waiters.delete(check);
              fn();
            };
            waiters.add(check);
            check();
          });
        },
      }),
    );
    socket.once('error', reject);
  });
}

/**
 * Starts a multipart upload to /predict that declares `declaredBytes` of file but sends only
 * `sentBytes` of it, then stalls. `forwardedFor` names the client when the app trusts a proxy.
 */
export async function stalledUpload(port: number, { declaredBytes, sentBytes, forwardedFor, path = '/predict?mode=async' }: {
  declaredBytes: number;
  sentBytes: number;
  forwardedFor?: string;
  path?: string;
}): Promise<RawExchange> {
  const boundary = 'raw-upload-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\nContent-Type: audio/mpeg\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const length = Buffer.byteLength(head) + declaredBytes + Buffer.byteLength(tail);
  const raw = await openRaw(port);
  raw.socket.write(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
      `Content-Length: ${length}\r\n${forwardedFor ? `X-Forwarded-For: ${forwardedFor}\r\n` : ''}\r\n${head}`,
  );
  raw.socket.write(Buffer.alloc(sentBytes, 0x41));
  return raw;
}
