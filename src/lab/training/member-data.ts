// Which networks a model is made of, and data that one network trains on and the others do not
// (`train --member-data`). Why: two networks that hear the same input the same way differ most
// when they learnt from different music, so their average corrects more (docs/experiments.md, (qmm)).
import { InputError } from '../../errors.js';
import { matchLabels } from '../datasets/labels.js';
import { readDataset, type DatasetEntry } from '../datasets/manifest.js';
import type { MemberRecipe, NormalisationName } from './members.js';
import { memberName } from './members.js';
import { splitByGroup } from './split.js';

/** Datasets heard by network `member` (1-based, in the order of the recipes) only. */
export interface MemberDataOption { member: number; data: string[] }

/** The networks to train: one per normalisation or one per mel-view value (not both), each with its own data. */
export function memberRecipes(normalisations: readonly NormalisationName[], melViewBands: readonly number[], memberData: readonly MemberDataOption[] = []): MemberRecipe[] {
  if (normalisations.length > 1 && melViewBands.length > 1) throw new InputError('BAD_RECIPE', 'several normalisations and several mel views: give several of one only');
  const recipes: MemberRecipe[] = normalisations.length > 1
    ? normalisations.map((normalisation) => ({ normalisation, melViewBands: melViewBands[0] ?? 0 }))
    : melViewBands.map((bands) => ({ normalisation: normalisations[0]!, melViewBands: bands }));
  for (const { member, data } of memberData) {
    const recipe = recipes[member - 1];
    if (!recipe) throw new InputError('BAD_RECIPE', `--member-data names network ${member}, but the recipe has ${recipes.length}`);
    recipe.extraData = [...(recipe.extraData ?? []), ...data];
  }
  const names = recipes.map(memberName);
  if (new Set(names).size !== names.length) throw new InputError('BAD_RECIPE', `two networks would be the same (${names.join(', ')}): give them different views or different data`);
  return recipes;
}

/** Each member's own labelled entries (undefined: none), split by group like the shared data. */
export async function readMemberData({ recipes, labels, otherLabel, valFraction, seed, warn }: {
  recipes: readonly MemberRecipe[]; labels: readonly string[]; otherLabel?: string | undefined; valFraction: number; seed: number; warn: (line: string) => void;
}): Promise<({ train: DatasetEntry[]; validation: DatasetEntry[]; labelOf: Map<DatasetEntry, number> } | undefined)[]> {
  return Promise.all(recipes.map(async (recipe) => {
    if (!recipe.extraData?.length) return undefined;
    const entries = (await Promise.all(recipe.extraData.map((location) => readDataset({ location })))).flat();
    const { matched, unmatched } = matchLabels({ entries, labels, ...(otherLabel ? { otherLabel } : {}) });
    for (const [genre, n] of unmatched) warn(`--member-data ${recipe.extraData.join(', ')}: skipping ${n} clip(s) of genre "${genre}" (not in --labels)`);
    if (matched.length === 0) throw new InputError('EMPTY_DATASET', `--member-data ${recipe.extraData.join(', ')}: no clip with one of the labels`);
    const split = splitByGroup({ entries: matched.map((m) => m.entry), valFraction, seed });
    return { ...split, labelOf: new Map(matched.map((m) => [m.entry, m.label])) };
  }));
}
