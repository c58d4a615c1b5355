import { InvalidArgumentError } from '../errors.js';

/**
 * What a dataset predicts:
 * - `binary`: one 0/1 target, `ys` [1];
 * - `multiclass`: one class out of k, one-hot `ys` [k];
 * - `multilabel`: any subset of k classes, multi-hot `ys` [k] (from 0/1 columns or a keyword column);
 * - `grade`: an ordinal grade 0 … grades−1 (DR grade 0-4 by default), encoded as `gradeEncoding` says.
 */
export type LabelTask = 'binary' | 'multiclass' | 'multilabel' | 'grade';

/**
 * How a `grade` becomes `ys`:
 * - `ordinal`: cumulative (CORAL-style) targets [grade > 0, grade > 1, …], length grades − 1;
 * - `onehot`: one-hot, length grades (a softmax head);
 * - `scalar`: the grade itself, length 1 (regression).
 */
export type GradeEncoding = 'ordinal' | 'onehot' | 'scalar';

/** Keyword separators accepted by default: ASCII comma and the full-width comma ODIR-5K writes (`，`). */
export const DEFAULT_SEPARATORS: readonly string[] = [',', '，'];

/** How raw label text becomes targets. Shared by every dataset entry point. */
export interface LabelArgs {
  /**
   * What the labels mean; see {@link LabelTask}.
   * @defaultValue `'multiclass'`
   */
  task?: LabelTask;
  /**
   * The classes in output order. `multiclass`: the allowed labels (others are unknown labels);
   * `multilabel` from a keyword column: the allowed keywords; `binary`: `[negative, positive]` label values.
   * Not used by `grade` (its classes are `'0'` … ) nor by multi-label 0/1 columns (the columns are the classes).
   * @defaultValue the distinct labels found, sorted (numerically when all are numbers)
   */
  classes?: readonly string[];
  /**
   * `binary`: the label value(s) that are positive (1). With `positive` alone every other non-empty value is
   * negative; with `negative` too, values in neither are unknown labels. Without `positive`, `negative` and
   * `classes`, the labels must be 0/1.
   * @defaultValue undefined
   */
  positive?: string | readonly string[];
  /**
   * `binary`: the label value(s) that are negative (0); see `positive`.
   * @defaultValue undefined
   */
  negative?: string | readonly string[];
  /**
   * `multilabel` keyword column: what separates keywords in a cell (each is trimmed; empty pieces dropped).
   * @defaultValue `[',', '，']` (ASCII and full-width comma)
   */
  separator?: string | readonly string[];
  /**
   * `grade`: number of grades; labels must be the integers 0 … grades − 1 (`"2.0"` counts as 2).
   * @defaultValue 5 (DR grades 0-4)
   */
  grades?: number;
  /**
   * `grade`: how the grade is encoded in `ys`; see {@link GradeEncoding}.
   * @defaultValue `'ordinal'`
   */
  gradeEncoding?: GradeEncoding;
}

/** A label turned into a target. */
export interface EncodedLabel {
  /** The `ys` values of this row. */
  target: number[];
  /** Class index for single-label tasks (binary: 0/1, grade: the grade); −1 for multi-label. */
  classIndex: number;
  /** Stratum for a stratified split: the class index, or the multi-hot pattern for multi-label. */
  stratum: string;
}

/** Why a label could not be encoded. */
export interface LabelProblem {
  kind: 'unknown-label' | 'empty-label';
  reason: string;
}

/** Encodes the label cells of one row. */
export interface LabelCoder {
  /** The classes in target order. */
  readonly classes: string[];
  /** Target length. */
  readonly width: number;
  encode(values: readonly string[]): EncodedLabel | LabelProblem;
}

/** Where the labels come from: one column (a value, or keywords for multi-label), or several 0/1 columns. */
export interface LabelSource {
  /** The label column names (one, or several 0/1 columns for multi-label). */
  columns: readonly string[];
  /** Every row's raw cells, in `columns` order; used to infer the classes. */
  values: readonly (readonly string[])[];
  /** Multi-label: the columns are 0/1 flags, one per class (else one keyword column). */
  flagColumns?: boolean;
}

/** Type guard: did `encode` fail? */
export function isLabelProblem(x: EncodedLabel | LabelProblem): x is LabelProblem {
  return 'kind' in x;
}

/**
 * Builds the label encoder for `args.task` from all rows' raw label cells (to infer classes). Validates the
 * arguments eagerly.
 *
 * @throws {@link InvalidArgumentError} for arguments that contradict each other or the task, and for a binary
 * column that is not 0/1 when `positive`/`negative`/`classes` say nothing.
 */
export function labelCoder(fn: string, args: LabelArgs, source: LabelSource): LabelCoder {
  const task = args.task ?? 'multiclass';
  switch (task) {
    case 'multiclass':
      return multiclassCoder(fn, args, source);
    case 'binary':
      return binaryCoder(fn, args, source);
    case 'grade':
      return gradeCoder(fn, args);
    case 'multilabel':
      return source.flagColumns ? flagsCoder(fn, args, source.columns) : keywordCoder(fn, args, source);
    default:
      throw new InvalidArgumentError(
        'task',
        `${fn}: task must be 'binary', 'multiclass', 'multilabel' or 'grade', but got ${JSON.stringify(task)}.`,
        task,
      );
  }
}

const empty = (column: string): LabelProblem => ({
  kind: 'empty-label',
  reason: `the '${column}' cell is empty`,
});

function multiclassCoder(fn: string, args: LabelArgs, source: LabelSource): LabelCoder {
  const column = source.columns[0]!;
  const classes = args.classes
    ? checkClasses(fn, args.classes)
    : inferClasses(source.values.map((v) => [v[0]!]));
  const index = new Map(classes.map((c, i) => [c, i]));
  return {
    classes,
    width: classes.length,
    encode(values) {
      const value = values[0]!.trim();
      if (value === '') return empty(column);
      const k = index.get(value);
      if (k === undefined) return unknown(value, classes);
      return { target: oneHot(k, classes.length), classIndex: k, stratum: String(k) };
    },
  };
}

function binaryCoder(fn: string, args: LabelArgs, source: LabelSource): LabelCoder {
  const column = source.columns[0]!;
  const positive = asList(args.positive);
  const negative = asList(args.negative);
  let classes: string[];
  let classify: (value: string) => 0 | 1 | undefined;
  if (args.classes !== undefined) {
    if (positive.length > 0 || negative.length > 0) {
      throw new InvalidArgumentError(
        'classes',
        `${fn}: give either classes ([negative, positive]) or positive/negative for task 'binary', not both.`,
        args.classes,
      );
    }
    classes = checkClasses(fn, args.classes);
    if (classes.length !== 2) {
      throw new InvalidArgumentError(
        'classes',
        `${fn}: task 'binary' needs exactly 2 classes ([negative, positive]), but got ${classes.length} (${classes.join(', ')}).`,
        args.classes,
      );
    }
    classify = (v) => (v === classes[1] ? 1 : v === classes[0] ? 0 : undefined);
  } else if (positive.length > 0 || negative.length > 0) {
    const overlap = positive.filter((p) => negative.includes(p));
    if (overlap.length > 0) {
      throw new InvalidArgumentError(
        'positive',
        `${fn}: ${overlap.join(', ')} cannot be both positive and negative.`,
        overlap,
      );
    }
    const pos = positive.join('|');
    const neg = negative.join('|');
    classes = [negative.length > 0 ? neg : `not ${pos}`, positive.length > 0 ? pos : `not ${neg}`];
    classify = (v) => {
      if (positive.includes(v)) return 1;
      if (negative.includes(v)) return 0;
      if (positive.length > 0 && negative.length > 0) return undefined; // both lists given: closed world
      return positive.length > 0 ? 0 : 1;
    };
  } else {
    // Only 0/1 labels may go without saying which value is positive: anything else would be a guess.
    const seen = distinct(source.values.map((v) => v[0]!.trim()).filter((v) => v !== ''));
    const notFlags = seen.filter((v) => asFlag(v) === undefined);
    if (notFlags.length > 0) {
      throw new InvalidArgumentError(
        'positive',
        `${fn}: task 'binary' needs to know which labels are positive: '${column}' holds ` +
          `${preview(sortClasses(seen))}; pass positive (and/or negative), or classes: [negative, positive].`,
        seen,
      );
    }
    classes = ['0', '1'];
    classify = asFlag;
  }
  return {
    classes,
    width: 1,
    encode(values) {
      const value = values[0]!.trim();
      if (value === '') return empty(column);
      const k = classify(value);
      if (k === undefined) return unknown(value, classes);
      return { target: [k], classIndex: k, stratum: String(k) };
    },
  };
}

function gradeCoder(fn: string, args: LabelArgs): LabelCoder {
  const grades = args.grades ?? 5;
  if (!Number.isInteger(grades) || grades < 2) {
    throw new InvalidArgumentError(
      'grades',
      `${fn}: grades must be an integer ≥ 2, but got ${grades}.`,
      grades,
    );
  }
  if (args.classes !== undefined) {
    throw new InvalidArgumentError(
      'classes',
      `${fn}: task 'grade' takes no classes (they are '0' … '${grades - 1}'); set grades instead.`,
      args.classes,
    );
  }
  const encoding = args.gradeEncoding ?? 'ordinal';
  if (!['ordinal', 'onehot', 'scalar'].includes(encoding)) {
    throw new InvalidArgumentError(
      'gradeEncoding',
      `${fn}: gradeEncoding must be 'ordinal', 'onehot' or 'scalar', but got ${JSON.stringify(encoding)}.`,
      encoding,
    );
  }
  const classes = Array.from({ length: grades }, (_, g) => String(g));
  const width = encoding === 'ordinal' ? grades - 1 : encoding === 'onehot' ? grades : 1;
  return {
    classes,
    width,
    encode(values) {
      const value = values[0]!.trim();
      if (value === '') return { kind: 'empty-label', reason: 'the grade cell is empty' };
      const g = Number(value);
      if (!Number.isInteger(g) || g < 0 || g >= grades) {
        return { kind: 'unknown-label', reason: `'${value}' is not a grade 0-${grades - 1}` };
      }
      const target =
        encoding === 'ordinal'
          ? Array.from({ length: grades - 1 }, (_, k) => (g > k ? 1 : 0))
          : encoding === 'onehot'
            ? oneHot(g, grades)
            : [g];
      return { target, classIndex: g, stratum: String(g) };
    },
  };
}

function keywordCoder(fn: string, args: LabelArgs, source: LabelSource): LabelCoder {
  const column = source.columns[0]!;
  const separators = asList(args.separator ?? DEFAULT_SEPARATORS);
  if (separators.length === 0 || separators.some((s) => s === '')) {
    throw new InvalidArgumentError(
      'separator',
      `${fn}: separator must be a non-empty string or a list of them, but got ${JSON.stringify(args.separator)}.`,
      args.separator,
    );
  }
  const split = (cell: string) =>
    distinct(
      separators
        .reduce<string[]>((pieces, sep) => pieces.flatMap((p) => p.split(sep)), [cell])
        .map((k) => k.trim())
        .filter((k) => k !== ''),
    );
  const classes = args.classes
    ? checkClasses(fn, args.classes)
    : inferClasses(source.values.map((v) => split(v[0]!)));
  const index = new Map(classes.map((c, i) => [c, i]));
  return {
    classes,
    width: classes.length,
    encode(values) {
      const keywords = split(values[0]!);
      if (keywords.length === 0) return empty(column);
      const target = new Array<number>(classes.length).fill(0);
      for (const keyword of keywords) {
        const k = index.get(keyword);
        if (k === undefined) return unknown(keyword, classes);
        target[k] = 1;
      }
      return { target, classIndex: -1, stratum: target.join('') };
    },
  };
}

function flagsCoder(fn: string, args: LabelArgs, columns: readonly string[]): LabelCoder {
  if (args.classes !== undefined) {
    throw new InvalidArgumentError(
      'classes',
      `${fn}: with labelColumns the classes are the columns (${columns.join(', ')}); leave classes out.`,
      args.classes,
    );
  }
  const classes = checkClasses(fn, columns);
  return {
    classes,
    width: classes.length,
    encode(values) {
      const target: number[] = [];
      for (const [i, raw] of values.entries()) {
        const value = raw.trim();
        if (value === '') return empty(columns[i]!);
        const flag = asFlag(value);
        if (flag === undefined) {
          return { kind: 'unknown-label', reason: `'${value}' in column '${columns[i]}' is not 0 or 1` };
        }
        target.push(flag);
      }
      return { target, classIndex: -1, stratum: target.join('') };
    },
  };
}

function checkClasses(fn: string, classes: readonly string[]): string[] {
  const list = [...classes];
  const dup = list.find((c, i) => list.indexOf(c) !== i);
  if (list.length === 0 || list.some((c) => typeof c !== 'string' || c.trim() === '') || dup !== undefined) {
    throw new InvalidArgumentError(
      'classes',
      `${fn}: classes must be distinct non-empty strings, but got ${JSON.stringify(list)}.`,
      classes,
    );
  }
  return list;
}

function inferClasses(labelsPerRow: readonly (readonly string[])[]): string[] {
  return sortClasses(
    distinct(
      labelsPerRow
        .flat()
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    ),
  );
}

/** Numeric order when every class is a number ('2' < '10'), code-point order otherwise (locale-independent). */
export function sortClasses(classes: readonly string[]): string[] {
  const numeric = classes.every((c) => c.trim() !== '' && Number.isFinite(Number(c)));
  return [...classes].sort(
    numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  );
}

function unknown(value: string, classes: readonly string[]): LabelProblem {
  return { kind: 'unknown-label', reason: `'${value}' is not one of the classes (${preview(classes)})` };
}

function preview(values: readonly string[], max = 8): string {
  const shown = values.slice(0, max).map((v) => `'${v}'`);
  return values.length > max ? `${shown.join(', ')} and ${values.length - max} more` : shown.join(', ');
}

function asFlag(value: string): 0 | 1 | undefined {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  return n === 0 ? 0 : n === 1 ? 1 : undefined;
}

function asList(value: string | readonly string[] | undefined): string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function oneHot(k: number, n: number): number[] {
  const out = new Array<number>(n).fill(0);
  out[k] = 1;
  return out;
}
