// Runs ffmpeg whose output is raw bytes on stdout, and turns every way it can end into a typed
// result: the bytes, or NOT_AUDIO / DECODE_TIMEOUT / FFMPEG_FAILED. Two kinds of process share
// the collecting and the error mapping (collectFfmpegOutput): a fluent-ffmpeg command spawned now
// (runFfmpeg, the cold path) and a pre-spawned process from the warm pool (warm-decoder.ts).
// The wall-clock timer and the abort signal SIGKILL ffmpeg (a hung decoder ignores SIGTERM-less
// politeness on a blocked pipe); ffmpeg's stderr is kept, bounded, for the error message.
import type { ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import type { FfmpegCommand } from 'fluent-ffmpeg';
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

/** The Error fluent-ffmpeg reports for a failed exit, worded the same for pre-spawned processes. */
export function ffmpegExitError({ code, signal, stderr }: { code: number | null; signal: NodeJS.Signals | null; stderr: string }): Error | undefined {
  if (signal) return new Error(`ffmpeg was killed with signal ${signal}`);
  if (!code) return undefined;
  // fluent-ffmpeg's utils.extractError: the last stderr lines after any starting with ' ' or '['.
  const lines = stderr.split(/\r\n|\r|\n/).reduce<string[]>((kept, line) => (line.startsWith(' ') || line.startsWith('[') ? [] : [...kept, line]), []);
  return new Error(`ffmpeg exited with code ${code}: ${lines.join('\n')}`);
}

function classifyFailure(err: Error, stderr: string | undefined): Error {
  const detail = lastChars(stderr);
  const spawnFailure = /spawn|ENOENT|EACCES|Cannot find ffmpeg/i.test(err.message) && !detail;
  if (spawnFailure) return new InternalError('FFMPEG_UNAVAILABLE', `cannot run ffmpeg: ${err.message}`, { cause: err });
  if (!OUR_FAULT_PATTERNS.some((p) => p.test(detail)) && NOT_AUDIO_PATTERNS.some((p) => p.test(detail))) {
    return new InputError('NOT_AUDIO', `input is not decodable audio: ${detail}`, 415, { cause: err });
  }
  return new InternalError('FFMPEG_FAILED', `ffmpeg failed: ${err.message}${detail ? ` — ${detail}` : ''}`, { cause: err });
}

/** Collects stdout of a running ffmpeg; the timeout counts from this call (input handover). */
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
      finish(new InputError('DECODE_TIMEOUT', `ffmpeg did not finish decoding within ${timeoutMs} ms`, 422));
    }, timeoutMs);
    const onAbort = (): void => {
      const reason: unknown = signal?.reason;
      finish(reason instanceof Error ? reason : new TransientError('DECODE_ABORTED', 'decoding was aborted', 503));
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    // emitClose: false — fluent-ffmpeg treats a closed output stream as a failure after 20 ms,
    // which can race a slow process exit on a loaded machine.
    const sink = new Writable({
      emitClose: false,
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (received > maxOutputBytes) {
          callback();
          finish(new InternalError('DECODE_OUTPUT_OVERFLOW', `ffmpeg produced more than ${maxOutputBytes} bytes`));
          return;
        }
        chunks.push(chunk);
        callback();
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

/**
 * fluent-ffmpeg 2.1.3 bug: when the spawn itself fails (ENOENT/EACCES: the binary was deleted or
 * made non-executable after fluent-ffmpeg cached its one-off capability probe, i.e. after a first
 * successful decode), its ChildProcess 'error' handler calls endCB(err) without the stdout/stderr
 * rings and throws a TypeError (processor.js:543) inside an event handler: an uncaught exception
 * that ends the whole process. Called on 'start' (emitted synchronously right after the spawn,
 * before the spawn error, which Node emits on a later tick), this swaps that handler for one
 * that reports the error to us. decode.ts also checks the binary right before the spawn.
 */
function reportSpawnErrors(command: FfmpegCommand, onError: (err: Error, stderr: string | undefined) => void): void {
  const child = (command as unknown as { ffmpegProc?: ChildProcess }).ffmpegProc;
  if (child === undefined) return;
  child.removeAllListeners('error');
  child.on('error', (err) => onError(err, undefined));
}

/** A fluent-ffmpeg command as an FfmpegProcess: spawned by attach(), killable before its spawn. */
function fluentProcess(command: FfmpegCommand): FfmpegProcess {
  let started = false;
  let killRequested = false;
  return {
    attach({ sink, onEnd, onError }) {
      command
        .on('start', () => {
          started = true;
          reportSpawnErrors(command, onError);
          if (killRequested) command.kill('SIGKILL'); // timed out or aborted before the spawn
        })
        .on('error', (err: Error, _stdout: string | null, stderr: string | null) => onError(err, stderr ?? undefined))
        .on('end', onEnd);
      command.pipe(sink, { end: true });
    },
    kill() {
      killRequested = true;
      if (started) command.kill('SIGKILL');
    },
  };
}

/** Spawns a prepared fluent-ffmpeg command and collects its stdout (the cold path). */
export function runFfmpeg({ command, timeoutMs, signal, maxOutputBytes }: {
  command: FfmpegCommand;
  timeoutMs: number;
  signal?: AbortSignal;
  maxOutputBytes: number;
}): Promise<Buffer> {
  return collectFfmpegOutput({ ffmpeg: fluentProcess(command), timeoutMs, signal, maxOutputBytes });
}
