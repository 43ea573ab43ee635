// Whether an ffmpeg binary was built with libsoxr. librosa resamples with soxr (HQ), and ffmpeg's
// `aresample=resampler=soxr` reproduces librosa's MFCCs of a resampled clip far more closely than
// the default swr resampler (figures in docs/audio.md), so we use it when the binary has it.
// Asked once per binary: `ffmpeg -h filter=aresample` lists the engines it was built with.
import { execFile } from 'node:child_process';

const soxrSupport = new Map<string, Promise<boolean>>();

export function ffmpegSupportsSoxr({ ffmpegPath, timeoutMs = 5000 }: { ffmpegPath: string; timeoutMs?: number }): Promise<boolean> {
  let answer = soxrSupport.get(ffmpegPath);
  if (answer === undefined) {
    answer = new Promise<boolean>((resolve) => {
      execFile(
        ffmpegPath,
        ['-hide_banner', '-h', 'filter=aresample'],
        { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 },
        (err, stdout) => resolve(err === null && /^\s*soxr\s.*SoX/m.test(stdout)),
      );
    });
    soxrSupport.set(ffmpegPath, answer);
  }
  return answer;
}
