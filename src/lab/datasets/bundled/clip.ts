import { InputError } from '../../../errors.js';
import { runTool } from './run-tool.js';
import { produceWavOnce } from './wav-output.js';

export const CLIP_SECONDS = 30;
export const CLIP_SAMPLE_RATE = 22050;

/**
 * Where to cut clips from a track of `durationSec`: up to `maxClips` 30-s windows spread evenly
 * over the track, skipping a few seconds of intro/outro on long tracks (fades and silence say
 * nothing about genre). Tracks shorter than `minSeconds` give no clip; between that and 30 s,
 * one clip that is padded to 30 s later.
 */
export function planClips({
  durationSec,
  maxClips,
  clipSeconds = CLIP_SECONDS,
  minSeconds = 20,
}: {
  durationSec: number;
  maxClips: number;
  clipSeconds?: number;
  minSeconds?: number;
}): number[] {
  if (!Number.isFinite(durationSec) || durationSec < minSeconds || maxClips < 1) return [];
  if (durationSec <= clipSeconds + 1) return [0];
  const margin = durationSec > clipSeconds * 2 ? Math.min(5, (durationSec - clipSeconds * 2) / 2) : 0;
  const usable = durationSec - 2 * margin;
  const count = Math.max(1, Math.min(maxClips, Math.floor(usable / clipSeconds)));
  if (count === 1) return [round(margin + (usable - clipSeconds) / 2)];
  const step = (usable - clipSeconds) / (count - 1);
  return Array.from({ length: count }, (_, i) => round(margin + i * step));
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

export async function probeDuration({ file, timeoutMs = 30_000 }: { file: string; timeoutMs?: number }): Promise<number> {
  const { stdout } = await runTool({
    command: 'ffprobe',
    args: ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file],
    timeoutMs,
  });
  const seconds = Number.parseFloat(stdout.trim());
  if (!Number.isFinite(seconds)) throw new InputError('NOT_AUDIO', `cannot read the duration of ${file}`);
  return seconds;
}

/**
 * Cuts one clip to 22050 Hz mono 16-bit WAV (the model's input rate), padding short tracks with
 * silence to exactly 30 s. Written to a temp name and renamed, so an interrupted build never
 * leaves a truncated clip that a re-run would take as done.
 */
export async function cutClip({
  input,
  output,
  startSec,
  clipSeconds = CLIP_SECONDS,
  timeoutMs = 60_000,
}: {
  input: string;
  output: string;
  startSec: number;
  clipSeconds?: number;
  timeoutMs?: number;
}): Promise<void> {
  await produceWavOnce({
    output,
    render: async (partial) => {
      await runTool({
        command: 'ffmpeg',
        args: [
          '-nostdin', '-v', 'error', '-y',
          '-ss', String(startSec), '-t', String(clipSeconds), '-i', input,
          '-af', `apad=whole_dur=${clipSeconds}`, '-t', String(clipSeconds),
          '-ac', '1', '-ar', String(CLIP_SAMPLE_RATE), '-c:a', 'pcm_s16le', '-f', 'wav', partial,
        ],
        timeoutMs,
      });
    },
  });
}
