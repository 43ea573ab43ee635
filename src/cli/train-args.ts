// The train command's arguments: parsed with node:util parseArgs, every value range-checked, and
// combinations that cannot train refused with a UsageError before any data is read.
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_FEATURES } from '../genre/model/metadata.js';
import { CNN_HEADS, type CnnHead } from '../lab/network/architecture.js';
import { memberRecipes, type MemberDataOption } from '../lab/training/member-data.js';
import { NORMALISATION_NAMES, type NormalisationName } from '../lab/training/members.js';
import { GENRES } from '../lab/datasets/bundled/genres.js';
import { checkOutputPath, parseList, parseNumber } from './cli-helpers.js';
import { UsageError, usageErrorOf } from './command.js';

export function parseTrainArgs(argv: string[]) {
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
    throw usageErrorOf(err);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const s = (k: (typeof stringOptions)[number]) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  if (v['help']) return { help: true as const };
  const data = ((v['data'] as unknown as string[] | undefined) ?? []).flatMap((d) => parseList(d));
  const out = s('out');
  if (data.length === 0 || !out) throw new UsageError('--data and --out are required');
  checkOutputPath('out', out, 'folder');
  const cacheDir = s('cache-dir');
  if (cacheDir !== undefined) checkOutputPath('cache-dir', cacheDir, 'folder');
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
    cacheDir: cacheDir ?? '.cache/features',
  };
}

/** The best measured for `--network cnn`, chosen on the selection split (docs/experiments.md); the bundled model's recipe is in scripts/train-bundled.sh. */
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
