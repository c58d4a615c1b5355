import { InvalidArgumentError } from '../errors.js';
import { mixSeed, mulberry32, STREAM, shuffleInPlace } from './random.js';

/** Keep the rows whose `column` holds `value` (one value or any of several), e.g. `{column: 'split', value: 'train'}`. */
export interface ColumnSplit {
  /** The CSV column holding each row's subset name. */
  column: string;
  /** The subset(s) to keep; other rows are left out (they are not bad rows). */
  value: string | readonly string[];
}

/**
 * A seeded random split: a fraction `ratio` of the rows is the validation subset, the rest the training
 * subset. Calls with the same rows, ratio, seed and stratification give complementary, disjoint subsets.
 */
export interface RatioSplit {
  /** Fraction of the rows in the `'val'` subset, strictly between 0 and 1 (Keras' `validation_split`). */
  ratio: number;
  /** Which side of the split this dataset reads. */
  subset: 'train' | 'val';
  /**
   * Seed of the split. Independent of the dataset's shuffle `seed`, so changing that never moves rows between
   * training and validation.
   * @defaultValue 0
   */
  seed?: number;
  /**
   * Split each class (multi-label: each distinct label combination) separately, so both sides keep the class
   * proportions: round(ratio · n_c) rows of class c go to `'val'`.
   * @defaultValue true
   */
  stratified?: boolean;
}

/** Where a dataset's rows come from: a split column, or a seeded (stratified) ratio. */
export type SplitArgs = ColumnSplit | RatioSplit;

/** Type guard for {@link RatioSplit}. */
export function isRatioSplit(split: SplitArgs): split is RatioSplit {
  return 'ratio' in split;
}

/**
 * Indices (ascending) of the rows in `split.subset`, given each row's stratum.
 *
 * @throws {@link InvalidArgumentError} for a ratio outside (0, 1) or an unknown subset.
 */
export function ratioSplitIndices(fn: string, strata: readonly string[], split: RatioSplit): number[] {
  const { ratio, subset } = split;
  if (typeof ratio !== 'number' || !(ratio > 0 && ratio < 1)) {
    throw new InvalidArgumentError(
      'split',
      `${fn}: split.ratio must be between 0 and 1 (exclusive), but got ${ratio}.`,
      ratio,
    );
  }
  if (subset !== 'train' && subset !== 'val') {
    throw new InvalidArgumentError(
      'split',
      `${fn}: split.subset must be 'train' or 'val', but got ${JSON.stringify(subset)}.`,
      subset,
    );
  }
  const stratified = split.stratified ?? true;
  const groups = new Map<string, number[]>();
  strata.forEach((s, i) => {
    const key = stratified ? s : '';
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  const random = mulberry32(mixSeed(split.seed ?? 0, STREAM.split));
  const val = new Set<number>();
  // Sorted strata: the split depends on the rows and the seed, not on which class appears first in the file.
  for (const key of [...groups.keys()].sort()) {
    const members = shuffleInPlace(groups.get(key)!, random);
    for (const i of members.slice(0, Math.round(ratio * members.length))) val.add(i);
  }
  return strata.map((_, i) => i).filter((i) => val.has(i) === (subset === 'val'));
}

/** The values a {@link ColumnSplit} keeps. */
export function columnSplitValues(split: ColumnSplit): string[] {
  return typeof split.value === 'string' ? [split.value] : [...split.value];
}
