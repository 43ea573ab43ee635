// `music-prediction predict <audio-file…>`: decode → MFCC → CNN with a model directory; one JSON
// line per file with --json, else a short human summary.
import { parseArgs } from 'node:util';
import { resolveFfmpegPath } from '../audio/ffmpeg/ffmpeg-binary.js';
import { loadConfig } from '../config.js';
import { isAppError } from '../errors.js';
import { loadGenrePipeline, type GenrePipeline } from '../genre/pipeline.js';
import { decodeLimitsFrom } from '../genre/preprocess.js';
import { UsageError, usageErrorOf, type CliCommand, parseCommandLine } from './command.js';

const HELP = `Usage: music-prediction predict <audio-file…> [--model <dir>] [--json]

Predicts the genre of each audio file: top-2 genres, all probabilities and a per-segment timeline.

Options:
  --model <dir>     model directory (default MODEL_DIR)
  --json            one JSON object per line: {"first","second","probabilities","segments",
                    "backend","model","timingsMs"} (+ "file" when several files are given)
  --backend <b>     auto|tensorflow|wasm|cpu (default TF_BACKEND)
  -h, --help        show this help`;

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true,
      options: { model: { type: 'string' }, json: { type: 'boolean' }, backend: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw usageErrorOf(err);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { help: true as const };
  if (positionals.length === 0) throw new UsageError('give at least one audio file');
  if (v.backend !== undefined && !['auto', 'tensorflow', 'wasm', 'cpu'].includes(v.backend)) throw new UsageError('--backend must be auto, tensorflow, wasm or cpu');
  return { help: false as const, files: positionals, model: v.model, json: v.json === true, backend: v.backend as 'auto' | 'tensorflow' | 'wasm' | 'cpu' | undefined };
}

const ms = (from: number, to: number) => Math.round((to - from) * 100) / 100;

async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine({ name: 'predict', argv, parse, help: HELP });
  if ('exitCode' in parsed) return parsed.exitCode;
  const { args } = parsed;
  const config = loadConfig();
  let pipeline: GenrePipeline;
  try {
    // A one-shot command: no warm ffmpeg left idling.
    const limits = { ...decodeLimitsFrom(config), ffmpegPath: resolveFfmpegPath({ configured: config.FFMPEG_PATH }).path, warmPool: false };
    pipeline = await loadGenrePipeline(args.model ?? config.MODEL_DIR, { backend: args.backend ?? config.TF_BACKEND, limits });
  } catch (err) {
    if (!isAppError(err)) throw err;
    console.error(`music-prediction predict: ${err.code}: ${err.message}`);
    return 3;
  }
  const { model } = pipeline;
  let failures = 0;
  for (const file of args.files) {
    try {
      const t0 = performance.now();
      const { mfcc, timingsMs: extracted } = await pipeline.extract(file);
      const t1 = performance.now();
      const prediction = pipeline.classify(mfcc);
      const t2 = performance.now();
      const timingsMs = { ...extracted, classify: ms(t1, t2), total: ms(t0, t2) };
      if (args.json) {
        console.log(JSON.stringify({
          ...(args.files.length > 1 ? { file } : {}), ...prediction, backend: model.backend, model: `${model.name}@${model.version}`, timingsMs,
        }));
      } else {
        const [l1, p1] = prediction.first;
        const [l2, p2] = prediction.second;
        console.log(`${file}: ${l1} ${Math.round(p1 * 100)}%, ${l2} ${Math.round(p2 * 100)}%  (${prediction.segments.length} segments, ` +
          `${model.name}@${model.version} on ${model.backend}, ${timingsMs.total.toFixed(0)} ms)`);
      }
    } catch (err) {
      if (!isAppError(err)) throw err;
      failures++;
      if (args.json) console.log(JSON.stringify({ file, error: { code: err.code, message: err.message } }));
      else console.error(`${file}: ${err.code}: ${err.message}`);
    }
  }
  pipeline.dispose();
  return failures === 0 ? 0 : 1;
}

const command: CliCommand = { run };
export default command;
