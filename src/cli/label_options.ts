import type { LabelTask } from '../data/labels.js';
import type { FromCsvArgs } from '../data/node/from_csv.js';
import type { OptionSpec, ParsedArgs } from './args_parser.js';
import { UsageError } from './usage_error.js';

/** The tasks `--task` accepts (those of `fromCsv`). */
export const CLI_TASKS: readonly LabelTask[] = ['binary', 'multiclass', 'multilabel', 'grade'];

/**
 * How a labels CSV is read, as `train` records it in the model card's `training` section so `eval` reads a
 * test CSV of the same layout without repeating the options.
 */
export interface CsvLayout {
  imageColumn: string;
  labelColumn: string;
  /** Binary: the label values that are positive / negative (comma-joined). */
  positive?: string;
  negative?: string;
}

/** The options naming a CSV's columns and labels, shared by `train` and `eval`. */
export const CSV_LAYOUT_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'image-column',
    type: 'string',
    valueName: 'name',
    defaultText: "image; eval: the model's",
    description: 'The CSV column holding image paths.',
  },
  {
    name: 'label-column',
    short: 'l',
    type: 'string',
    valueName: 'name',
    defaultText: "label; eval: the model's",
    description: 'The CSV column holding labels (a class, 0/1, a grade 0-4, or comma-separated keywords).',
  },
  {
    name: 'positive',
    type: 'string',
    valueName: 'values',
    defaultText: "none, labels are 0/1; eval: the model's",
    description: "binary: label value(s) meaning the positive class, comma-separated (e.g. '1,2').",
  },
  {
    name: 'negative',
    type: 'string',
    valueName: 'values',
    defaultText: "every other value; eval: the model's",
    description: 'binary: label value(s) meaning the negative class; values in neither list are bad rows.',
  },
  {
    name: 'root',
    type: 'string',
    valueName: 'folder',
    defaultText: "the CSV's folder",
    description: 'The folder image paths are relative to.',
  },
  {
    name: 'split-column',
    type: 'string',
    valueName: 'name',
    description: "A column naming each row's subset (e.g. 'split' holding train/val/test).",
  },
  {
    name: 'skip-bad-rows',
    type: 'boolean',
    default: false,
    description:
      'Skip rows with a missing or undecodable image or an unknown label (listed at the end) instead of stopping.',
  },
];

/** Splits a comma-separated option value into trimmed, non-empty items. */
export function listValue(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return items.length === 0 ? undefined : items;
}

/** The CSV layout from the command line, falling back to `fallback` (a model card's) and then the defaults. */
export function csvLayout(args: ParsedArgs, fallback: Partial<CsvLayout> = {}): CsvLayout {
  const layout: CsvLayout = {
    imageColumn: args.string('image-column') ?? fallback.imageColumn ?? 'image',
    labelColumn: args.string('label-column') ?? fallback.labelColumn ?? 'label',
  };
  const positive = args.string('positive') ?? fallback.positive;
  const negative = args.string('negative') ?? fallback.negative;
  if (positive !== undefined) layout.positive = positive;
  if (negative !== undefined) layout.negative = negative;
  return layout;
}

/** `fromCsv` arguments for a layout and task (labels, columns, root, error handling). */
export function csvLabelArgs(
  command: string,
  args: ParsedArgs,
  layout: CsvLayout,
  task: LabelTask,
  classes: readonly string[] | undefined,
): FromCsvArgs {
  const positive = listValue(layout.positive);
  const negative = listValue(layout.negative);
  if ((positive !== undefined || negative !== undefined) && task !== 'binary') {
    throw new UsageError(
      `${command}: --positive and --negative apply to --task binary, not '${task}'.`,
      command,
      task,
    );
  }
  const out: FromCsvArgs = {
    task,
    imageColumn: layout.imageColumn,
    labelColumn: layout.labelColumn,
    onError: args.boolean('skip-bad-rows') ? 'skip' : 'throw',
  };
  if (positive !== undefined) out.positive = positive;
  if (negative !== undefined) out.negative = negative;
  // A binary task's classes are [negative, positive] names for people, not label values: leave them out.
  if (classes !== undefined && task !== 'binary' && task !== 'grade') out.classes = classes;
  const root = args.string('root');
  if (root !== undefined) out.root = root;
  return out;
}
