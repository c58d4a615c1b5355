import { FundusError } from '../errors.js';

/** How a layer's weights in a source disagree with the model. */
export type WeightsMismatchKind = 'missing' | 'unexpected' | 'shape' | 'count';

/** One disagreement between a model and a weights source, as listed by {@link WeightsMismatchError}. */
export interface WeightsMismatch {
  /** What is wrong: the layer is absent from the source (`missing`), absent from the model (`unexpected`),
   * holds a weight of another shape (`shape`), or another number of weights (`count`). */
  kind: WeightsMismatchKind;
  /** Layer name; for a layer inside a nested model, `outer/inner`. */
  layer: string;
  /** The weight concerned (`kernel`, `moving_mean`, …), for `shape` only. */
  weight?: string;
  /** Shapes of the model layer's weights (empty for `unexpected`). */
  expected: number[][];
  /** Shapes in the source (empty for `missing`). */
  actual: number[][];
}

function shapes(list: number[][]): string {
  return list.length === 0 ? '—' : list.map((s) => `[${s.join(',')}]`).join(' ');
}

/** A one-line description of a mismatch, e.g. `block2_conv1 kernel: model [3,3,4,6], file [3,3,4,5]`. */
export function describeMismatch(m: WeightsMismatch): string {
  switch (m.kind) {
    case 'missing':
      return `${m.layer}: not in the source (model ${shapes(m.expected)})`;
    case 'unexpected':
      return `${m.layer}: not in the model (source ${shapes(m.actual)})`;
    case 'shape':
      return `${m.layer} ${m.weight}: model ${shapes(m.expected)}, source ${shapes(m.actual)}`;
    case 'count':
      return `${m.layer}: model has ${m.expected.length} weights ${shapes(m.expected)}, source ${m.actual.length} ${shapes(m.actual)}`;
  }
}

const LISTED = 20;

/**
 * Weights could not be loaded because the model and the source disagree: layers missing from the source,
 * layers the model does not have, or weights of another shape. Nothing was loaded. Pass
 * `skipMismatch: true` to load what matches (e.g. a backbone under a new head) and get the rest in the
 * report instead.
 *
 * @example
 * ```ts
 * try {
 *   await loadWeights(model, 'vgg16_weights.h5');
 * } catch (e) {
 *   if (e instanceof WeightsMismatchError) for (const m of e.mismatched) console.log(m.layer, m.expected, m.actual);
 * }
 * ```
 */
export class WeightsMismatchError extends FundusError {
  /** Every disagreement, in model order then source order. */
  readonly mismatches: readonly WeightsMismatch[];
  /** Layers of the model (with weights) that the source lacks. */
  readonly missing: readonly WeightsMismatch[];
  /** Layers of the source that the model lacks. */
  readonly unexpected: readonly WeightsMismatch[];
  /** Layers present on both sides whose weights differ in shape or number. */
  readonly mismatched: readonly WeightsMismatch[];

  constructor(fn: string, source: string, mismatches: WeightsMismatch[]) {
    const missing = mismatches.filter((m) => m.kind === 'missing');
    const unexpected = mismatches.filter((m) => m.kind === 'unexpected');
    const mismatched = mismatches.filter((m) => m.kind === 'shape' || m.kind === 'count');
    const lines = mismatches.slice(0, LISTED).map((m) => `  - ${describeMismatch(m)}`);
    if (mismatches.length > LISTED) lines.push(`  … and ${mismatches.length - LISTED} more`);
    super(
      `${fn}: the weights in ${source} do not fit the model (${missing.length} missing, ` +
        `${unexpected.length} unexpected, ${mismatched.length} mis-shaped); nothing was loaded. ` +
        `Pass skipMismatch: true to load the layers that match.\n${lines.join('\n')}`,
      { value: mismatches },
    );
    this.mismatches = mismatches;
    this.missing = missing;
    this.unexpected = unexpected;
    this.mismatched = mismatched;
  }
}

/** A weights source could not be read: not a Keras HDF5 / TF.js layers-model file, unreadable, or corrupt. */
export class WeightsFormatError extends FundusError {
  /** Path, URL or a description of the source. */
  readonly source: string;

  constructor(source: string, message: string, cause?: unknown) {
    super(message, { value: source, cause });
    this.source = source;
  }
}

/** A model could not be saved to or loaded from a location (file system, IndexedDB, URL). */
export class ModelIOError extends FundusError {
  /** The path, URL or scheme-qualified location. */
  readonly location: string;

  constructor(location: string, message: string, cause?: unknown) {
    super(message, { value: location, cause });
    this.location = location;
  }
}
