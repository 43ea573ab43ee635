// Collects the raw bytes ffmpeg writes on stdout, and turns every way it can end into a typed
// result: the bytes, or NOT_AUDIO / DECODE_TIMEOUT / FFMPEG_FAILED / FFMPEG_UNAVAILABLE /
// DECODER_OVERLOADED. Every process is spawned by warm-decoder.ts (ahead of time, through the
// spawn helper, or cold). The wall-clock timer and the abort signal SIGKILL ffmpeg (a hung
// decoder ignores SIGTERM-less politeness on a blocked pipe). ffmpeg's stderr is kept, bounded,
// in the error's cause for the server's log: never in the message a client sees (it holds paths
// and heap addresses).
import { Writable } from 'node:stream';
import { InputError, InternalError, TransientError } from '../../errors.js';

const STDERR_CHARS = 600;

/** Our command line or this ffmpeg build is at fault, whatever the input: checked first. */
const OUR_FAULT_PATTERNS = [
  /Error (re)?initializing filter/i,
  /Unrecognized option/i,
  /Option not found/i,
  /No such filter/i,
  /Unknown (encoder|decoder|format)/i,
];

/** Lines of ffmpeg's stderr that mean "this input is not (decodable) audio". */
const NOT_AUDIO_PATTERNS = [
  /Invalid data found when processing input/i,
  /matches no streams/i,
  /does not contain any stream/i,
  /moov atom not found/i,
  /could not find codec parameters/i,
  /Failed to read frame size/i,
  /Invalid argument/i,
  /End of file/i,
  /no such file/i,
  /Error while decoding stream/i,
  /Decoding requested, but no decoder found/i,
  /Decoder \(codec [^)]*\) not found/i, // ffmpeg 5: e.g. a WAV with 0 bits per sample
  /Format not on whitelist/i, // a playlist (ffconcat, HLS) or any demuxer we do not accept
  // Reliability fix (fuzz, issue 6): a FLAC whose STREAMINFO claims more samples than follow
  // ends ffmpeg's read of stdin with EIO ("pipe:0: Input/output error", exit 1), which answered
  // 500 FFMPEG_FAILED. On our pipe input that is a truncated/lying file, not a server fault.
  /pipe:0: Input\/output error/i,
];

function lastChars(text: string | undefined): string {
  const cleaned = (text ?? '').trim().replace(/\s*\n\s*/g, ' | ');
  return cleaned.length > STDERR_CHARS ? `…${cleaned.slice(-STDERR_CHARS)}` : cleaned;
}

/** A started (or starting) ffmpeg, seen the way collectFfmpegOutput needs it. */
export interface FfmpegProcess {
  /** Pipes stdout into `sink` (ending it) and reports, once, how the process ended. */
  attach(handlers: { sink: Writable; onEnd: () => void; onError: (err: Error, stderr: string | undefined) => void }): void;
  /** SIGKILL, now or as soon as the process exists. */
  kill(): void;
}

/** The Error for a failed ffmpeg exit: its last stderr lines, which the decode-error patterns read. */
export function ffmpegExitError({ code, signal, stderr }: { code: number | null; signal: NodeJS.Signals | null; stderr: string }): Error | undefined {
  if (signal) return new Error(`ffmpeg was killed with signal ${signal}`);
  if (!code) return undefined;
  // The last stderr lines after any starting with ' ' or '[' (ffmpeg's own context lines).
  const lines = stderr.split(/\r\n|\r|\n/).reduce<string[]>((kept, line) => (line.startsWith(' ') || line.startsWith('[') ? [] : [...kept, line]), []);
  return new Error(`ffmpeg exited with code ${code}: ${lines.join('\n')}`);
}

/** Spawn errors of a machine out of descriptors or processes: try again later, elsewhere. */
const OVERLOAD_CODES = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'ENOMEM']);

function classifyFailure(err: Error, stderr: string | undefined): Error {
  const detail = lastChars(stderr);
  // stderr and the original error stay in the cause, for the log.
  const cause = detail ? new Error(`${err.message} — ${detail}`, { cause: err }) : err;
  const code = (err as NodeJS.ErrnoException).code ?? /\b(E[A-Z]{3,})\b/.exec(err.message)?.[1];
  const spawnFailure = !detail && (code !== undefined || /spawn|cannot be started|did not start/i.test(err.message));
  if (spawnFailure && code !== undefined && OVERLOAD_CODES.has(code)) {
    return new TransientError('DECODER_OVERLOADED', `cannot start the decoder right now (${code}); try again shortly`, { cause });
  }
  if (spawnFailure) return new TransientError('FFMPEG_UNAVAILABLE', 'the audio decoder (ffmpeg) cannot be run on this server', { cause });
  if (!OUR_FAULT_PATTERNS.some((p) => p.test(detail)) && NOT_AUDIO_PATTERNS.some((p) => p.test(detail))) {
    const message = /matches no streams|does not contain any stream/i.test(detail)
      ? 'the input has no audio stream'
      : 'the input is not audio in a supported format (mp3, m4a/AAC, wav, ogg/opus, flac, webm …)';
    return new InputError('NOT_AUDIO', message, { cause });
  }
  return new InternalError('FFMPEG_FAILED', `ffmpeg failed (${err.message.split(':')[0]})`, { cause });
}

/**
 * Collects stdout of a running ffmpeg; the timeout counts from this call (input handover). Output
 * stops at `maxOutputBytes`: the first that many bytes are the result and ffmpeg is killed. ffmpeg's
 * own `-t` goes by timestamps, and a file whose timestamps do not advance decodes to its end.
 */
export function collectFfmpegOutput({ ffmpeg, timeoutMs, signal, maxOutputBytes }: {
  ffmpeg: FfmpegProcess;
  timeoutMs: number;
  signal?: AbortSignal;
  maxOutputBytes: number;
}): Promise<Buffer> {
  return new Promise<Buffer>((resolvePromise, rejectPromise) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    let processEnded = false;
    let outputFinished = false;

    const finish = (err: Error | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) {
        ffmpeg.kill();
        rejectPromise(err);
      } else {
        resolvePromise(Buffer.concat(chunks, received));
      }
    };
    const timer = setTimeout(() => {
      finish(new InputError('DECODE_TIMEOUT', `ffmpeg did not finish decoding within ${timeoutMs} ms`));
    }, timeoutMs);
    const onAbort = (): void => {
      const reason: unknown = signal?.reason;
      finish(reason instanceof Error ? reason : new TransientError('DECODE_ABORTED', 'decoding was aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    // emitClose: false: the sink's close must not race a slow process exit on a loaded machine.
    const sink = new Writable({
      emitClose: false,
      write(chunk: Buffer, _encoding, callback) {
        if (settled) {
          callback();
          return;
        }
        const room = maxOutputBytes - received;
        chunks.push(chunk.length < room ? chunk : chunk.subarray(0, room));
        received += Math.min(chunk.length, room);
        callback();
        if (chunk.length >= room) {
          finish(undefined);
          ffmpeg.kill();
        }
      },
      final(callback) {
        outputFinished = true;
        callback();
        if (processEnded) finish(undefined);
      },
    });

    ffmpeg.attach({
      sink,
      onEnd: () => {
        processEnded = true;
        if (outputFinished) finish(undefined);
      },
      onError: (err, stderr) => {
        if (!settled) finish(classifyFailure(err, stderr));
      },
    });
  });
}
