// `music-prediction evaluate --model <dir> --data <tsv-or-folder>`: clip-level metrics scored like
// serving (mean over segments), the blog's table, a confusion matrix (terminal + PNG), the answer's
// calibration, JSON report.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { readDataset } from '../lab/datasets/manifest.js';
import { loadGenrePipeline } from '../genre/pipeline.js';
import { checkOutputPath, parseList, progressBar } from './cli-helpers.js';
import { matchLabels } from '../lab/datasets/labels.js';
import { evaluateClips } from '../lab/evaluation/evaluate.js';
import { extractDatasetFeatures } from '../lab/training/features.js';
import { formatAnswerCalibration, formatConfusion, formatMetricsTable, renderConfusionPng } from '../lab/evaluation/report.js';
import { answerCalibration } from '../lab/evaluation/calibration-error.js';
import { UsageError, usageErrorOf, failureExitCode, type CliCommand, parseCommandLine } from './command.js';

const HELP = `Usage: music-prediction evaluate --model <dir> --data <tsv-or-folder> [options]

Scores every clip like the service does (3-s segments, mean of the segment probabilities) and
prints precision, recall and n per genre, accuracy, balanced accuracy, macro F1 and the confusion
matrix, then how sure the answers looked against how often they were right (expected
calibration error of the certainty the API shows). Clips whose genre is not one of the model's
labels are skipped (and counted).

Options:
  --model <dir>         model directory (default MODEL_DIR)
  --data <path>         TSV manifest or <root>/<genre>/ folder
  --sources <a,b>       only clips from these sources
  --json <out.json>     write the full report (metrics, calibration, per-clip predictions) as JSON
  --png <out.png>       write the confusion matrix as a PNG
  --backend <b>         auto|tensorflow|wasm|cpu (default TF_BACKEND)
  --cache-dir <dir>     feature cache (default .cache/features)
  -h, --help            show this help`;

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        model: { type: 'string' }, data: { type: 'string' }, sources: { type: 'string' }, json: { type: 'string' }, png: { type: 'string' },
        backend: { type: 'string' }, 'cache-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw usageErrorOf(err);
  }
  const v = parsed.values;
  if (v.help) return { help: true as const };
  if (!v.data) throw new UsageError('--data is required');
  if (v.backend !== undefined && !['auto', 'tensorflow', 'wasm', 'cpu'].includes(v.backend)) throw new UsageError('--backend must be auto, tensorflow, wasm or cpu');
  if (v.json !== undefined) checkOutputPath('json', v.json, 'file');
  if (v.png !== undefined) checkOutputPath('png', v.png, 'file');
  if (v['cache-dir'] !== undefined) checkOutputPath('cache-dir', v['cache-dir'], 'folder');
  return {
    help: false as const, model: v.model, data: v.data, sources: parseList(v.sources), json: v.json, png: v.png,
    backend: v.backend as 'auto' | 'tensorflow' | 'wasm' | 'cpu' | undefined, cacheDir: v['cache-dir'] ?? '.cache/features',
  };
}

async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine({ name: 'evaluate', argv, parse, help: HELP });
  if ('exitCode' in parsed) return parsed.exitCode;
  const { args } = parsed;
  try {
    const config = loadConfig();
    const pipeline = await loadGenrePipeline(args.model ?? config.MODEL_DIR, { backend: args.backend ?? config.TF_BACKEND });
    const { model } = pipeline;
    let entries = await readDataset({ location: args.data });
    if (args.sources.length > 0) entries = entries.filter((e) => args.sources.includes(e.source));
    const { matched, unmatched } = matchLabels({ entries, labels: model.labels, otherLabel: model.metadata.otherLabel });
    for (const [genre, n] of unmatched) console.warn(`skipping ${n} clip(s) of genre "${genre}" (not a label of ${model.name})`);
    const labelOf = new Map(matched.map((m) => [m.entry, m.label]));
    const { clips, failures } = await extractDatasetFeatures({
      entries: matched.map((m) => m.entry), features: pipeline.metadata.features, cacheDir: args.cacheDir, concurrency: 2,
      onProgress: (done, total) => progressBar('features', done, total),
    });
    for (const f of failures) console.warn(`skipped ${f.entry.path}: ${f.error}`);
    if (clips.length === 0) {
      console.error('music-prediction evaluate: no clips to evaluate');
      return 1;
    }
    const evaluation = evaluateClips({ model, clips: clips.map((c) => ({ mfcc: c.mfcc, label: labelOf.get(c.entry)! })) });
    const title = `${model.name}@${model.version} on ${args.data}`;
    console.log(formatMetricsTable({ title, metrics: evaluation.metrics, labels: model.labels }));
    console.log(formatConfusion({ metrics: evaluation.metrics, labels: model.labels }));
    const calibration = answerCalibration({ metadata: model.metadata, clips: evaluation.clips });
    if (calibration) console.log(formatAnswerCalibration(calibration));
    if (args.png) {
      await writeFile(args.png, renderConfusionPng({ metrics: evaluation.metrics, labels: model.labels, title }));
      console.log(`confusion matrix written to ${args.png}`);
    }
    if (args.json) {
      const report = {
        model: `${model.name}@${model.version}`, backend: model.backend, data: args.data, labels: model.labels,
        metrics: evaluation.metrics, ...(calibration ? { calibration } : {}), skipped: { unreadable: failures.length, otherGenres: Object.fromEntries(unmatched) },
        clips: clips.map((c, i) => ({
          path: c.entry.path, source: c.entry.source, genre: model.labels[evaluation.clips[i]!.label],
          predicted: model.labels[evaluation.clips[i]!.predicted],
          probabilities: Object.fromEntries(model.labels.map((l, j) => [l, evaluation.clips[i]!.probabilities[j]])),
        })),
      };
      await writeFile(args.json, JSON.stringify(report, null, 2) + '\n');
      console.log(`report written to ${args.json}`);
    }
    pipeline.dispose();
    return 0;
  } catch (err) {
    return failureExitCode('evaluate', err);
  }
}

const command: CliCommand = { run };
export default command;
