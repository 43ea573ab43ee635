// `music-prediction train --data <tsv-or-folder> --out models/<name>`: parses the options and calls
// the lab's train() (features, seeded training with early stopping and a time budget, model directory).
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { DEFAULT_FEATURES } from '../genre/model/metadata.js';
import { CNN_HEADS, type CnnHead } from '../lab/network/architecture.js';
import { memberRecipes, type MemberDataOption } from '../lab/training/member-data.js';
import { NORMALISATION_NAMES, type NormalisationName } from '../lab/training/members.js';
import { GENRES } from '../lab/datasets/bundled/genres.js';
import { train } from '../lab/train.js';
import { parseList, parseNumber, progressBar } from './cli-helpers.js';
import { UsageError, failureExitCode, type CliCommand, parseCommandLine } from './command.js';

const HELP = `Usage: music-prediction train --data <tsv-or-folder> [--data …] --out <dir> [options]

Trains the genre CNN on 3-s MFCC segments (same decode + MFCC code as the service) and writes
model.json, weights.bin and metadata.json (labels, features, normalisation, data card, metrics).

Options:
  --data <path>             TSV manifest (path, genre, group, source; or a header row naming
                            them) or <root>/<genre>/ folder; repeat (or give a,b) to train on
                            several at once (paths relative to each manifest)
  --other-label <name>      add an output <name> trained on the clips whose genre is "other" or
                            "other:<anything>" (music that is none of the labels); serving reports
                            it as otherScore and ranks the labels without it (default: none)
  --n-mfcc <n>              MFCC coefficients the network reads (default 13; the API's image
                            always shows the first 13)
  --windows <n>             30-s windows per long file: a 90-s file gives up to 3 training
                            clips (default 1: the first 30 s only)
  --temperature <t>         calibration temperature stored for serving (fit it on held-out
                            sources; default none)
  --other-threshold <x>     otherScore at which an answer is flagged uncertain (needs
                            --other-label; default none)
  --out <dir>               output model directory (e.g. models/genre-cnn)
  --labels <a,b,…>          labels in output order (default Hiphop,EDM,Classical,Metal,Jazz)
  --epochs <n>              maximum epochs (default 30)
  --batch-size <n>          (default 32)
  --segment-hop <frames>    hop between the 130-frame segments a clip is scored on, in validation
                            and in serving (default 130: no overlap, 10 segments per 30 s; 65:
                            50 % overlap, 19 segments, twice the inference time, the same
                            accuracy on the selection split: docs/model.md)
  --segments-per-clip <n>   random 3-s windows per training clip per epoch (default 4)
  --patience <n>            early stopping: epochs without val-loss improvement (default 4)
  --learning-rate <x>       Adam learning rate (default 0.001)
  --augment-gain-db <x>     random loudness change per training segment, ±x dB (default 0)
  --augment-eq-db <x>       random smooth EQ per training segment, x dB per cosine (default 0)
  --mask-frames <n>         SpecAugment time mask: hide up to n consecutive frames per training
                            segment (default 0, off; a segment has 130 frames)
  --mask-coefficients <n>   hide up to n whole MFCC coefficient rows per training segment (default 0)
  --mixup <alpha>           blend each training segment with another of its batch, weight
                            λ ~ Beta(alpha, alpha) folded to ≥ 0.5, targets blended alike
                            (default 0, off)
  --stretch <s>             read each training segment at a random tempo, rate log-uniform in
                            [1/(1+s), 1+s] (default 0, off; 0.15 = ±15 %)
  --band-limit <share>      this share of the training windows (0–1) replaced by the same window
                            of the recording band-limited at a cutoff of 2.5–7 kHz fixed per
                            file (24 dB/octave), every genre alike (default 0, off)
  --balance-sources         within each genre, training windows per clip ∝ 1/√(clips of its
                            source), so no one source's sound dominates a genre (default off)
  --normalisation <n,…>     how each segment is normalised before the network (train and
                            serve): plain (training mean/std per coefficient only),
                            centred (also subtract the segment's own mean per coefficient),
                            standardised (also divide by the segment's own spread), or
                            standardised-timbre (that for c1 and up only). Two or more names
                            train one network each (same seed) into one model that averages
                            them. Default centred,standardised (the bundled model's recipe, the
                            best measured: docs/model.md)
  --centre-segments         same as --normalisation centred
  --standardise-segments    same as --normalisation standardised
  --standardise-timbre      same as --normalisation standardised-timbre
  --head <h>                flatten (the 2017 design, default) or global-average (average the last
                            convolution block over coefficients and time before the dense layer)
  --network <n>             cnn (default) or cnn-with-timbre: one network whose CNN path centres
                            each segment itself and whose second path hears each frame's colour
                            (use with --normalisation plain; docs/experiments.md)
  --timbre-path-dropout <x> cnn-with-timbre: drop the timbre path whole for this share of the
                            training segments (default 0)
  --timbre-centred-rows <k> cnn-with-timbre: the timbre path hears coefficients 0..k-1 (level,
                            tilt, …) centred per segment, so a recording's overall colour counts
                            less (default 0: all as given; 3 lost on held-out sources)
  --filters <a,b,c>         filters of the three conv blocks (default 16,32,32; with
                            --mel-view-alongside, of each CNN path)
  --mel-view <bands[,…]>    cnn-with-timbre: the CNN path hears the centred coefficients as a
                            smoothed log-mel image of this many bands (a frozen inverse DCT);
                            several values train one network each, averaged, 0 meaning the
                            cepstral rows (0,24: the pair of docs/experiments.md)
  --member-data <k>=<path>[,…]
                            datasets that network k only (1-based, in --mel-view or
                            --normalisation order) also trains on, split by group like --data;
                            repeatable (24,24 with 2=<extras>: two mel-view networks, one of them
                            with more data, as the bundled model)
  --mel-view-alongside      with one --mel-view: a second CNN path on the mel view beside the
                            cepstral one, instead of replacing it
  --weight-average <n>      keep the mean of the weights of the epochs within n of the best one
                            instead of the best epoch's (default 0: the best epoch's)
  --seed <n>                seed for split, sampling, weight init and dropout (default 42)
  --val-fraction <x>        fraction of groups (tracks) per genre for validation (default 0.2)
  --holdout-sources <a,b>   sources never trained on; evaluated at the end as "held-out"
  --eval-data <path>        a second dataset evaluated at the end as "held-out" (e.g.
                            data/bundled/eval-heldout.tsv); none of its sources may be in --data
  --max-minutes <x>         wall-clock budget for the whole command (default 40)
  --name <name>             model name (default: the --out folder name)
  --model-version <v>       model version (default 1.0.0)
  --backend <b>             auto|tensorflow|wasm|cpu (default TF_BACKEND)
  --cache-dir <dir>         feature cache (default .cache/features)
  -h, --help                show this help`;

function parse(argv: string[]) {
  const stringOptions = ['out', 'other-label', 'n-mfcc', 'windows', 'temperature', 'other-threshold', 'labels', 'epochs', 'batch-size', 'segment-hop', 'segments-per-clip', 'patience', 'learning-rate', 'seed',
    'augment-gain-db', 'augment-eq-db', 'mask-frames', 'mask-coefficients', 'head', 'mixup', 'stretch', 'band-limit',
    'normalisation', 'network', 'timbre-path-dropout', 'timbre-centred-rows', 'filters', 'mel-view', 'weight-average', 'val-fraction', 'holdout-sources', 'eval-data', 'max-minutes', 'name', 'model-version', 'backend', 'cache-dir'] as const;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(stringOptions.map((k) => [k, { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
        data: { type: 'string', multiple: true },
        'member-data': { type: 'string', multiple: true },
        'centre-segments': { type: 'boolean' },
        'standardise-segments': { type: 'boolean' },
        'standardise-timbre': { type: 'boolean' },
        'balance-sources': { type: 'boolean' },
        'mel-view-alongside': { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const s = (k: (typeof stringOptions)[number]) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  if (v['help']) return { help: true as const };
  const data = ((v['data'] as unknown as string[] | undefined) ?? []).flatMap((d) => parseList(d));
  const out = s('out');
  if (data.length === 0 || !out) throw new UsageError('--data and --out are required');
  const backend = s('backend');
  if (backend !== undefined && !['auto', 'tensorflow', 'wasm', 'cpu'].includes(backend)) throw new UsageError('--backend must be auto, tensorflow, wasm or cpu');
  const head = s('head') ?? 'flatten';
  if (!(CNN_HEADS as readonly string[]).includes(head)) throw new UsageError(`--head must be one of ${CNN_HEADS.join(', ')}`);
  const network = s('network') ?? 'cnn';
  if (!['cnn', 'cnn-with-timbre'].includes(network)) throw new UsageError('--network must be cnn or cnn-with-timbre');
  if (network === 'cnn-with-timbre' && s('normalisation') !== 'plain') throw new UsageError('--network cnn-with-timbre centres inside the network: give --normalisation plain');
  if (s('timbre-path-dropout') !== undefined && network !== 'cnn-with-timbre') throw new UsageError('--timbre-path-dropout needs --network cnn-with-timbre');
  if (s('mel-view') !== undefined && network !== 'cnn-with-timbre') throw new UsageError('--mel-view needs --network cnn-with-timbre');
  if (s('timbre-centred-rows') !== undefined && network !== 'cnn-with-timbre') throw new UsageError('--timbre-centred-rows needs --network cnn-with-timbre');
  if (v['mel-view-alongside'] && s('mel-view') === undefined) throw new UsageError('--mel-view-alongside needs --mel-view');
  const filters = s('filters') === undefined ? undefined : parseList(s('filters')).map((f) => parseNumber('filters', f, 0, { min: 1, max: 256 }));
  if (filters && filters.length !== 3) throw new UsageError('--filters takes three counts, one per conv block');
  if (s('head') !== undefined && network !== 'cnn') throw new UsageError('--head is for --network cnn; cnn-with-timbre averages over time itself');
  const otherLabel = s('other-label');
  if (s('other-threshold') !== undefined && !otherLabel) throw new UsageError('--other-threshold needs --other-label');
  const labels = [...(s('labels') ? parseList(s('labels')) : [...GENRES]), ...(otherLabel ? [otherLabel] : [])];
  if (labels.length < 2 || new Set(labels.map((l) => l.toLowerCase())).size !== labels.length) throw new UsageError('--labels needs two or more distinct labels');
  const melViewBands = parseMelViews(s('mel-view'), Boolean(v['mel-view-alongside']));
  const normalisations = parseNormalisations(s('normalisation'), v);
  const memberData = ((v['member-data'] as unknown as string[] | undefined) ?? []).map(parseMemberData);
  try {
    memberRecipes(normalisations, melViewBands, memberData);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const nMfcc = parseNumber('n-mfcc', s('n-mfcc'), DEFAULT_FEATURES.nMfcc, { min: 1, max: DEFAULT_FEATURES.nMels });
  const timbreCentredRows = parseNumber('timbre-centred-rows', s('timbre-centred-rows'), 0, { min: 0, max: nMfcc - 1 });
  const name = s('name') ?? basename(resolve(out));
  if (!/^[\w.-]+$/.test(name)) throw new UsageError(`model name "${name}" may only contain letters, digits, ".", "_" and "-"`);
  return {
    help: false as const, data, out, labels, name, otherLabel,
    nMfcc,
    windows: parseNumber('windows', s('windows'), 1, { min: 1, max: 20 }),
    temperature: s('temperature') === undefined ? undefined : parseNumber('temperature', s('temperature'), 1, { integer: false, min: 0.01, max: 100 }),
    otherThreshold: s('other-threshold') === undefined ? undefined : parseNumber('other-threshold', s('other-threshold'), 1, { integer: false, min: 0, max: 1 }),
    version: s('model-version') ?? '1.0.0',
    epochs: parseNumber('epochs', s('epochs'), 30, { min: 1, max: 1000 }),
    batchSize: parseNumber('batch-size', s('batch-size'), 32, { min: 1, max: 4096 }),
    segmentHop: parseNumber('segment-hop', s('segment-hop'), DEFAULT_FEATURES.segmentHopFrames, { min: 1, max: DEFAULT_FEATURES.segmentFrames }),
    segmentsPerClip: parseNumber('segments-per-clip', s('segments-per-clip'), 4, { min: 1, max: 100 }),
    patience: parseNumber('patience', s('patience'), 4, { min: 1, max: 1000 }),
    learningRate: parseNumber('learning-rate', s('learning-rate'), 0.001, { integer: false, min: 1e-6, max: 1 }),
    seed: parseNumber('seed', s('seed'), 42, { min: 0, max: 2 ** 31 }),
    head: head as CnnHead,
    network: network as 'cnn' | 'cnn-with-timbre',
    timbrePathDropout: parseNumber('timbre-path-dropout', s('timbre-path-dropout'), 0, { integer: false, min: 0, max: 0.95 }),
    timbreCentredRows,
    filters,
    melViewBands,
    memberData,
    melViewAlongside: Boolean(v['mel-view-alongside']),
    weightAverageEpochs: parseNumber('weight-average', s('weight-average'), 0, { min: 0, max: 100 }),
    normalisations,
    augment: {
      gainDb: parseNumber('augment-gain-db', s('augment-gain-db'), 0, { integer: false, min: 0, max: 40 }),
      eqDb: parseNumber('augment-eq-db', s('augment-eq-db'), 0, { integer: false, min: 0, max: 20 }),
      eqCoefficients: 4,
    },
    masking: {
      maskFrames: parseNumber('mask-frames', s('mask-frames'), 0, { min: 0, max: 1000 }),
      maskCoefficients: parseNumber('mask-coefficients', s('mask-coefficients'), 0, { min: 0, max: 128 }),
    },
    balanceSources: v['balance-sources'] === true,
    mixup: { alpha: parseNumber('mixup', s('mixup'), 0, { integer: false, min: 0, max: 10 }) },
    stretch: { maxStretch: parseNumber('stretch', s('stretch'), 0, { integer: false, min: 0, max: 1 }) },
    bandLimit: parseNumber('band-limit', s('band-limit'), 0, { integer: false, min: 0, max: 1 }),
    valFraction: parseNumber('val-fraction', s('val-fraction'), 0.2, { integer: false, min: 0, max: 0.9 }),
    holdoutSources: parseList(s('holdout-sources')),
    evalData: s('eval-data'),
    maxMinutes: parseNumber('max-minutes', s('max-minutes'), 40, { integer: false, min: 0.05, max: 7 * 24 * 60 }),
    backend: backend as 'auto' | 'tensorflow' | 'wasm' | 'cpu' | undefined,
    cacheDir: s('cache-dir') ?? '.cache/features',
  };
}

/** The bundled model's recipe, chosen on the selection split (docs/model.md). */
const DEFAULT_NORMALISATIONS: readonly NormalisationName[] = ['centred', 'standardised'];

function parseNormalisations(list: string | undefined, flags: Record<string, unknown>): NormalisationName[] {
  const aliases: [string, NormalisationName][] = [['centre-segments', 'centred'], ['standardise-segments', 'standardised'], ['standardise-timbre', 'standardised-timbre']];
  const given = aliases.filter(([flag]) => flags[flag] === true);
  if (given.length + (list === undefined ? 0 : 1) > 1) {
    throw new UsageError(`give one of --normalisation, ${aliases.map(([f]) => `--${f}`).join(', ')}`);
  }
  if (given.length === 1) return [given[0]![1]];
  const names = list === undefined ? [...DEFAULT_NORMALISATIONS] : parseList(list);
  const known = Object.keys(NORMALISATION_NAMES);
  for (const name of names) if (!known.includes(name)) throw new UsageError(`--normalisation: unknown "${name}" (one of ${known.join(', ')})`);
  if (names.length === 0 || new Set(names).size !== names.length) throw new UsageError('--normalisation needs one or more distinct names');
  return names as NormalisationName[];
}

/** `--mel-view 24` or a list such as `0,24` (one network each; 0: the cepstral rows). */
function parseMelViews(raw: string | undefined, alongside: boolean): number[] {
  if (raw === undefined) return [0];
  const bands = parseList(raw).map((b) => (b === '0' ? 0 : parseNumber('mel-view', b, 0, { min: 2, max: DEFAULT_FEATURES.nMels })));
  if (bands.length === 0) throw new UsageError('--mel-view needs one or more band counts');
  if (bands.length > 1 && alongside) throw new UsageError('--mel-view-alongside takes a single --mel-view value');
  return bands;
}

/** `2=a.tsv,b.tsv`: network 2 also trains on a.tsv and b.tsv. */
function parseMemberData(raw: string): MemberDataOption {
  const match = /^(\d+)=(.+)$/.exec(raw);
  if (!match) throw new UsageError(`--member-data takes <network number>=<path>[,…], got "${raw}"`);
  return { member: parseNumber('member-data', match[1], 1, { min: 1, max: 16 }), data: parseList(match[2]) };
}

async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine({ name: 'train', argv, parse, help: HELP });
  if ('exitCode' in parsed) return parsed.exitCode;
  const { args } = parsed;
  try {
    await train({ ...args, backend: args.backend ?? loadConfig().TF_BACKEND }, {
      log: (line) => console.log(line), warn: (line) => console.warn(line), progress: progressBar,
    });
    return 0;
  } catch (err) {
    return failureExitCode('train', err);
  }
}

const command: CliCommand = { run };
export default command;
