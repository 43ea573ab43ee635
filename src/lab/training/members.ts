// Training a model of one or more networks that differ only in their input normalisation or in the
// view their CNN path takes (cepstral rows or the mel view), and averaging them. Why: networks
// that throw away different things (the average timbre, the dynamics; or hear the spectrum as
// cepstral rows rather than bands) make different mistakes (docs/model.md, docs/experiments.md).
// Every member gets the same seed, data and options, except data given to one member only
// (`memberData`): member "centred" of a two-network model is the network a one-network run with
// that normalisation would have trained.
import { createGenreModel, type GenreModel } from '../../genre/model/genre-model.js';
import type { GenreModelMetadata, MemberMetadata } from '../../genre/model/metadata.js';
import type { NormalisationKind } from '../../genre/model/segments.js';
import { evaluateClips, type Evaluation } from '../evaluation/evaluate.js';
import { withSeededMathRandom } from './random.js';
import { trainGenreModel } from './train.js';
import type { LabelledClip, TrainOptions, TrainResult } from './train-options.js';

/** The names `train --normalisation` takes, which are also the member folders' names. */
export const NORMALISATION_NAMES = {
  plain: 'per-coefficient',
  centred: 'per-coefficient-centred',
  standardised: 'per-coefficient-standardised',
  'standardised-timbre': 'per-coefficient-standardised-timbre',
} as const satisfies Record<string, NormalisationKind>;
export type NormalisationName = keyof typeof NORMALISATION_NAMES;

/** One network of a model: its normalisation, its CNN path's mel-view bands (0: cepstral rows) and
 * the datasets it trains on beyond the shared ones (none: only those). */
export interface MemberRecipe { normalisation: NormalisationName; melViewBands: number; extraData?: readonly string[] }
/** The member's folder name: its normalisation, its mel view when it has one, and whether it heard more data. */
export const memberName = (r: MemberRecipe) =>
  (r.melViewBands > 0 ? `${r.normalisation}-mel-view${r.melViewBands}` : r.normalisation) + (r.extraData?.length ? '-extra-data' : '');

/** Clips that one member trains and validates on beyond the shared ones. */
export interface MemberClips { train: LabelledClip[]; validation: LabelledClip[] }

export interface MemberRun {
  name: string;
  recipe: MemberRecipe;
  result: TrainResult;
  minutes: number;
}

export interface MembersResult {
  model: GenreModel;
  runs: MemberRun[];
  validation?: Evaluation;
}

/** Per-member training facts for the metadata (the shared options go in the model's `training`). */
function trainingFacts(run: MemberRun): Record<string, unknown> {
  return {
    ...(run.recipe.extraData?.length ? { extraData: run.recipe.extraData } : {}), epochsRun: run.result.history.length, stoppedBecause: run.result.stoppedBecause, minutes: Number(run.minutes.toFixed(2)),
    ...(run.result.averagedEpochs ? { averagedEpochs: run.result.averagedEpochs } : {}), history: run.result.history,
  };
}

/**
 * Trains one network per recipe, one after the other; member i may use an equal share of the time
 * left before `deadline`. One recipe: the plain one-network model. Several: one model whose
 * metadata lists the members and whose predictions are their mean.
 */
export async function trainMembers(o: Omit<TrainOptions, 'normalisationKind' | 'melViewBands'> & {
  members: readonly MemberRecipe[];
  /** Per member (same order), the clips of its `extraData`; the model's own validation stays the shared set. */
  memberClips?: readonly (MemberClips | undefined)[];
  onMemberStart?: (name: string, index: number) => void;
  onStopped?: (why: TrainResult['stoppedBecause'], name: string) => void;
}): Promise<MembersResult> {
  const { members: recipes, memberClips, onMemberStart, onStopped, ...common } = o;
  const names = recipes.map(memberName);
  if (names.length === 0 || new Set(names).size !== names.length) throw new Error('need one or more distinct members');
  const runs: MemberRun[] = [];
  for (const [i, recipe] of recipes.entries()) {
    const name = names[i]!;
    onMemberStart?.(name, i);
    const started = Date.now();
    const deadline = started + (o.deadline - started) / (recipes.length - i);
    const extra = memberClips?.[i];
    const result = await withSeededMathRandom(o.seed, () => trainGenreModel({
      ...common, deadline, ...(extra ? { train: [...common.train, ...extra.train], validation: [...common.validation, ...extra.validation] } : {}), normalisationKind: NORMALISATION_NAMES[recipe.normalisation], ...(recipe.melViewBands > 0 ? { melViewBands: recipe.melViewBands } : {}),
    }));
    runs.push({ name, recipe, result, minutes: (Date.now() - started) / 60_000 });
    onStopped?.(result.stoppedBecause, name);
  }
  if (runs.length === 1) {
    const { result } = runs[0]!;
    return { model: result.model, runs, ...(result.validation ? { validation: result.validation } : {}) };
  }
  const first = runs[0]!.result.model.metadata;
  const members: MemberMetadata[] = runs.map((run) => ({
    path: run.name, normalisation: run.result.model.metadata.normalisation!,
    architecture: run.result.model.metadata.architecture, training: trainingFacts(run),
  }));
  const { normalisation: _single, ...rest } = first;
  const metadata: GenreModelMetadata = {
    ...rest, members, architecture: new Set(members.map((m) => m.architecture)).size === 1
      ? `mean of ${runs.length} networks (${runs.map((r) => r.name).join(', ')}): ${first.architecture}`
      : `mean of ${runs.length} networks: ${members.map((m) => `${m.path} = ${m.architecture}`).join('; ')}`,
  };
  const model = createGenreModel({ tf: o.tf, members: runs.map((r) => r.result.model.members[0]!), metadata, backend: o.backend });
  const validation = o.validation.length > 0 ? evaluateClips({ model, clips: o.validation }) : undefined;
  return { model, runs, ...(validation ? { validation } : {}) };
}

/** The model's `training` entry facts that are per network: the single network's own for a
 * one-network model; for several they live in each member's entry. */
export function networkTrainingFacts(result: MembersResult): Record<string, unknown> {
  return result.runs.length === 1 ? trainingFacts(result.runs[0]!) : { networks: result.runs.map((r) => r.name) };
}
