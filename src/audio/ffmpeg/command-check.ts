// Whose fault is a failed decode? ffmpeg words some failures the same whether our command line
// is broken (a filter option this build lacks) or the input cannot go through it (a WAV with 255
// channels: "Error reinitializing filters!"). So when a decode fails in a way the stderr patterns
// cannot place, the same command line is run once on a known-good clip: if that works, the input
// was at fault. The answer is kept per command line (a working one is not asked again).
import { collectFfmpegOutput } from './ffmpeg-run.js';
import { spawnWarm } from './warm-process.js';

const CHECK_TIMEOUT_MS = 10_000;
const verdicts = new Map<string, Promise<boolean>>();

/** Half a second of a 440-Hz sine, mono 16-bit PCM WAV at 22,050 Hz. */
function knownGoodWav(): Buffer {
  const rate = 22_050;
  const samples = rate / 2;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'latin1');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8, 'latin1');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // channels
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'latin1');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  return wav;
}

/**
 * Whether `binary args` (reading pipe:0, writing pipe:1) decodes a known-good WAV. A failed
 * check is not kept: a missing binary or a busy machine may pass later.
 */
export function commandLineWorks({ binary, args }: { binary: string; args: string[] }): Promise<boolean> {
  const key = [binary, ...args].join('\0');
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    const ffmpeg = spawnWarm(binary, args);
    ffmpeg.handOver(knownGoodWav());
    verdict = collectFfmpegOutput({ ffmpeg, timeoutMs: CHECK_TIMEOUT_MS, maxOutputBytes: 64 * 1024 * 1024 }).then(
      (raw) => raw.length > 0,
      () => false,
    );
    verdicts.set(key, verdict);
    void verdict.then((works) => {
      if (!works) verdicts.delete(key);
    });
  }
  return verdict;
}
