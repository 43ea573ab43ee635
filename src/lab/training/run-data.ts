// A training run's clips before any feature: the datasets read and matched to the labels, sources
// held out, the rest split by group, each network's own data read; and the checks that keep the
// held-out clips a test (no source shared with anything trained on).
import { InputError } from '../../errors.js';
import { matchLabels } from '../datasets/labels.js';
import { readDataset, type DatasetEntry } from '../datasets/manifest.js';
import { readMemberData } from './member-data.js';
import type { MemberRecipe } from './members.js';
import { holdOutSources, splitByGroup } from './split.js';

export interface RunDataOptions {
  data: string[];
  labels: string[];
  otherLabel?: string | undefined;
  holdoutSources: string[];
  evalData: string | undefined;
  valFraction: number;
  seed: number;
}

export interface RunData {
  train: DatasetEntry[];
  validation: DatasetEntry[];
  heldOut: DatasetEntry[];
  /** Each network's own data (undefined: none), split by group like the shared data. */
  own: ({ train: DatasetEntry[]; validation: DatasetEntry[] } | undefined)[];
  /** Every entry's label index, the networks' own entries included. */
  labelOf: Map<DatasetEntry, number>;
}

/** The sources of `a` that `b` also has, each once: training and held-out clips must share none. */
function sharedSources(a: readonly DatasetEntry[], b: readonly DatasetEntry[]): string[] {
  const inB = new Set(b.map((e) => e.source));
  return [...new Set(a.map((e) => e.source).filter((src) => inB.has(src)))];
}

/** Reads and splits a run's data; throws InputErrors for a split that would not be a fair test. */
export async function readRunData(o: RunDataOptions, members: readonly MemberRecipe[], warn: (line: string) => void): Promise<RunData> {
  const entries = (await Promise.all(o.data.map((location) => readDataset({ location })))).flat();
  const { matched, unmatched } = matchLabels({ entries, labels: o.labels, otherLabel: o.otherLabel });
  for (const [genre, n] of unmatched) warn(`skipping ${n} clip(s) of genre "${genre}" (not in --labels)`);
  const evalMatched = o.evalData ? matchLabels({ entries: await readDataset({ location: o.evalData }), labels: o.labels, otherLabel: o.otherLabel }).matched : [];
  const { kept, heldOut: heldOutSourcesClips } = holdOutSources({ entries: matched.map((m) => m.entry), sources: o.holdoutSources });
  // A separate evaluation set is only a test if it shares no source (and so no track) with training.
  const shared = sharedSources(evalMatched.map((m) => m.entry), kept);
  if (shared.length > 0) throw new InputError('EVAL_DATA_OVERLAP', `--eval-data shares source(s) with --data: ${shared.join(', ')}`);
  const heldOut = [...heldOutSourcesClips, ...evalMatched.map((m) => m.entry)];
  const labelOf = new Map([...matched, ...evalMatched].map((m) => [m.entry, m.label]));
  const { train, validation } = splitByGroup({ entries: kept, valFraction: o.valFraction, seed: o.seed });
  const missing = o.labels.filter((_, i) => !train.some((e) => labelOf.get(e) === i));
  if (missing.length > 0) {
    throw new InputError('EMPTY_TRAINING_SET', `no training clips for ${missing.join(', ')} (after hold-out and validation split)`);
  }
  const own = await readMemberData({ recipes: members, labels: o.labels, otherLabel: o.otherLabel, valFraction: o.valFraction, seed: o.seed, warn });
  for (const m of own) for (const [entry, label] of m?.labelOf ?? []) labelOf.set(entry, label);
  const leaked = sharedSources(own.flatMap((m) => (m ? [...m.train, ...m.validation] : [])), heldOut);
  if (leaked.length > 0) throw new InputError('EVAL_DATA_OVERLAP', `--member-data shares source(s) with the held-out clips: ${leaked.join(', ')}`);
  return { train, validation, heldOut, own: own.map((m) => m && { train: m.train, validation: m.validation }), labelOf };
}
