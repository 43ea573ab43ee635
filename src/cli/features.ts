// `music-prediction features <audio-file>`: decode → MFCC, printed as JSON (librosa layout) or as
// a short summary, optionally writing the MFCC image. Same code path as the service's pipeline.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { MelEngine } from '../features/mel-power.js';
import { resolveFfmpegPath } from '../audio/ffmpeg/ffmpeg-binary.js';
import { loadConfig } from '../config.js';
import { renderMfccImage } from '../genre/mfcc-image.js';
import { DEFAULT_FEATURES, type FeatureParams } from '../genre/model/metadata.js';
import { decodeLimitsFrom, extractFeatures } from '../genre/preprocess.js';
import { checkOutputPath, parseNumber } from './cli-helpers.js';
import { UsageError, usageErrorOf, failureExitCode, type CliCommand, parseCommandLine } from './command.js';

const HELP = `Usage: music-prediction features <audio-file> [options]

Decodes an audio file (mp3, m4a/AAC, wav, ogg/vorbis, opus, flac, … anything ffmpeg reads) to mono
22050 Hz and prints its MFCCs, computed exactly like librosa 0.11's librosa.feature.mfcc.

Options:
  --n-mfcc <n>        number of coefficients (default 13)
  --n-mels <n>        mel bands (default 128)
  --n-fft <n>         FFT size, a power of two (default 2048)
  --hop-length <n>    hop between frames in samples (default 512)
  --lifter <n>        cepstral lifter, 0 = off (default 0)
  --engine <e>        mel power in wasm (float32 SIMD, default) or js (float64)
  --max-seconds <s>   decode at most this many seconds (default MAX_AUDIO_SECONDS, 30)
  --json              print {"sampleRate","nFft","hopLength","nMels","nMfcc","shape","data"}
                      with data[k][t] = coefficient k of frame t
  --image <out.jpg>   also write the MFCC image (JPEG, viridis, c0 at the bottom)
  -h, --help          show this help

Environment: FFMPEG_PATH, MAX_UPLOAD_BYTES, MIN_AUDIO_SECONDS, FFMPEG_TIMEOUT_MS (see .env.example).`;

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'n-mfcc': { type: 'string' }, 'n-mels': { type: 'string' }, 'n-fft': { type: 'string' },
        'hop-length': { type: 'string' }, lifter: { type: 'string' }, 'max-seconds': { type: 'string' }, engine: { type: 'string' },
        json: { type: 'boolean' }, image: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw usageErrorOf(err);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true as const };
  if (positionals.length !== 1) throw new UsageError(`expected exactly one audio file, got ${positionals.length}`);
  const engine = values.engine ?? 'wasm';
  if (engine !== 'wasm' && engine !== 'js') throw new UsageError('--engine must be wasm or js');
  if (values.image !== undefined) checkOutputPath('image', values.image, 'file');
  return {
    engine: engine as MelEngine,
    help: false as const,
    file: positionals[0]!,
    nMfcc: parseNumber('n-mfcc', values['n-mfcc'], 13, { min: 1, max: 1024 }),
    nMels: parseNumber('n-mels', values['n-mels'], 128, { min: 1, max: 1024 }),
    nFft: parseNumber('n-fft', values['n-fft'], 2048, { min: 4, max: 65536 }),
    hopLength: parseNumber('hop-length', values['hop-length'], 512, { min: 1, max: 65536 }),
    lifter: parseNumber('lifter', values.lifter, 0, { integer: false }),
    maxSeconds: values['max-seconds'] === undefined ? undefined : parseNumber('max-seconds', values['max-seconds'], 30, { integer: false, min: 0.01 }),
    json: values.json === true,
    image: values.image,
  };
}

async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine({ name: 'features', argv, parse, help: HELP });
  if ('exitCode' in parsed) return parsed.exitCode;
  const { args } = parsed;
  try {
    const config = loadConfig();
    const { nMfcc, nMels, nFft, hopLength, lifter, engine } = args;
    const clipSeconds = args.maxSeconds ?? config.MAX_AUDIO_SECONDS;
    // The model front end's defaults with this command's options: the same extraction as predict.
    const features: FeatureParams = {
      ...DEFAULT_FEATURES, nMfcc, nMels, nFft, hopLength, lifter, clipSeconds, minSeconds: Math.min(config.MIN_AUDIO_SECONDS, clipSeconds),
    };
    const { maxBytes, timeoutMs } = decodeLimitsFrom(config);
    const limits = { maxBytes, timeoutMs, ffmpegPath: resolveFfmpegPath({ configured: config.FFMPEG_PATH }).path } as const;
    const { mfcc, durationSeconds } = await extractFeatures({ input: args.file, features, limits, engine });
    const audio = { sampleRate: features.sampleRate, durationSeconds };
    if (args.image !== undefined) await writeFile(args.image, (await renderMfccImage({ mfcc })).jpeg);
    if (args.json) {
      const data = Array.from({ length: mfcc.nMfcc }, (_, k) => Array.from(mfcc.data.subarray(k * mfcc.frames, (k + 1) * mfcc.frames)));
      console.log(JSON.stringify({ sampleRate: audio.sampleRate, nFft, hopLength, nMels, nMfcc, shape: [mfcc.nMfcc, mfcc.frames], data }));
    } else {
      const c0 = mfcc.data.subarray(0, mfcc.frames);
      const mean = c0.reduce((a, b) => a + b, 0) / c0.length;
      console.log(
        `${args.file}: ${audio.durationSeconds.toFixed(2)} s at ${audio.sampleRate} Hz → MFCC ${mfcc.nMfcc} × ${mfcc.frames} frames ` +
          `(n_fft ${nFft}, hop ${hopLength}, ${nMels} mels${lifter > 0 ? `, lifter ${lifter}` : ''}); mean c0 ${mean.toFixed(2)}` +
          (args.image !== undefined ? `; image written to ${args.image}` : ''),
      );
    }
    return 0;
  } catch (err) {
    return failureExitCode('features', err);
  }
}

const command: CliCommand = { run };
export default command;
