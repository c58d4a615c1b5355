import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from '../../errors.js';
import { readImage } from '../../io/node/read_image.js';
import { DEFAULT_MAX_PIXELS } from '../../io/pixels.js';
import { buildDataset, type SourceRow } from '../build_dataset.js';
import { DatasetError } from '../data_errors.js';
import type { DatasetArgs } from '../dataset_args.js';
import type { FundusDataset } from '../fundus_dataset.js';
import { parseCsv } from '../parse_csv.js';
import { isRatioSplit, type SplitArgs } from '../split.js';
import { whyNotAFile } from './check_file.js';

/** Arguments of {@link fromCsv}: the CSV layout, plus everything in {@link DatasetArgs}. */
export interface FromCsvArgs extends DatasetArgs {
  /**
   * Column holding each image's path, relative to `root` (or absolute).
   * @defaultValue `'image'`
   */
  imageColumn?: string;
  /**
   * Column holding the label: a class, a 0/1 flag, a grade, or (multi-label) keywords joined by `separator`.
   * @defaultValue `'label'`
   */
  labelColumn?: string;
  /**
   * Multi-label from several 0/1 columns (RFMiD layout), one per class, in output order; replaces `labelColumn`.
   * @defaultValue undefined
   */
  labelColumns?: readonly string[];
  /**
   * Which rows to stream: `{column, value}` (e.g. `{column: 'split', value: 'train'}`) or a seeded ratio
   * `{ratio, subset, seed, stratified}`. Classes are inferred from all rows either way, so the subsets agree.
   * @defaultValue undefined (all rows)
   */
  split?: SplitArgs;
  /**
   * Folder the image paths are relative to.
   * @defaultValue the CSV's folder
   */
  root?: string;
  /**
   * Field delimiter of the CSV.
   * @defaultValue `','`
   */
  delimiter?: string;
  /**
   * Check every image file exists when the dataset is created (one `stat` per row), so missing files are
   * reported up front rather than mid-epoch. Turn off for very large sets on slow file systems.
   * @defaultValue true
   */
  checkFiles?: boolean;
  /**
   * Largest image (width × height) that will be decoded; see `readImage`.
   * @defaultValue 50 000 000
   */
  maxPixels?: number;
}

/**
 * A streaming `tf.data.Dataset` of `{xs, ys}` batches from a labels CSV: the CSV is read and validated now
 * (columns, labels, files, split); images are read, decoded and preprocessed lazily, a few at a time, so memory
 * stays flat however many rows there are. Node only (reads files); see {@link FundusDataset} for what it
 * returns and who disposes which tensors.
 *
 * @param path The CSV file: a header row, then one row per image (RFC 4180; UTF-8, BOM and CRLF fine).
 * @example
 * ```ts
 * const train = await fromCsv('../shared/data/eye-diseases/labels.csv', {
 *   labelColumn: 'class', split: { column: 'split', value: 'train' }, size: 224, batchSize: 16,
 *   balance: 'classWeights',
 * });
 * await model.fitDataset(train.dataset, { epochs: 5, classWeight: train.classWeights });
 * // Keyword multi-label (ODIR's "cataract，moderate non proliferative retinopathy"), bad rows skipped:
 * const odir = await fromCsv('labels.csv', { labelColumn: 'odir_keywords', task: 'multilabel', onError: 'skip' });
 * console.log(formatSummary(odir.summary));
 * ```
 * @throws {@link DatasetError} for a missing or empty CSV, a missing column, an empty subset, and (with
 * `onError: 'throw'`) the first bad row, naming the CSV line and the image file; while streaming, for an
 * undecodable image (`'throw'`), images of different sizes without `size`, or a failing transform.
 * @throws {@link CsvParseError} for a malformed CSV (unterminated quote …), with line and column.
 * @throws {@link InvalidArgumentError} for invalid or contradictory arguments.
 */
export async function fromCsv(path: string, args: FromCsvArgs = {}): Promise<FundusDataset> {
  const fn = 'fromCsv';
  if (typeof path !== 'string' || path === '') {
    throw new InvalidArgumentError(
      'path',
      `${fn}: path must be a CSV file path, but got ${JSON.stringify(path)}.`,
      path,
    );
  }
  const labelColumns = labelColumnsOf(fn, args);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(e);
    throw new DatasetError(
      'missing-file',
      `${fn}: cannot read ${path}: ${why}.`,
      { source: path, file: path },
      e,
    );
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    throw new DatasetError('empty-csv', `${fn}: ${path} is empty (no header row, no rows).`, {
      source: path,
    });
  }
  const { header, headerLine, records } = parseCsv(text, { delimiter: args.delimiter ?? ',', source: path });
  if (records.length === 0) {
    throw new DatasetError('empty-csv', `${fn}: ${path} has a header but no rows.`, {
      source: path,
      line: headerLine,
    });
  }

  const column = (name: string, arg: string): number => {
    const i = header.indexOf(name);
    if (i < 0) {
      throw new DatasetError(
        'missing-column',
        `${fn}: ${path} line ${headerLine}: no column '${name}' (${arg}); the columns are ${header.map((h) => `'${h}'`).join(', ')}.`,
        { source: path, line: headerLine },
      );
    }
    return i;
  };
  const imageIndex = column(args.imageColumn ?? 'image', 'imageColumn');
  const labelIndexes = labelColumns.map((c) => column(c, args.labelColumns ? 'labelColumns' : 'labelColumn'));
  const split = args.split;
  const splitIndex = split && !isRatioSplit(split) ? column(split.column, 'split.column') : undefined;

  const root = args.root ?? dirname(path);
  const rows: SourceRow[] = records.map(({ line, fields }) => {
    const cell = (fields[imageIndex] ?? '').trim();
    const file = cell === '' ? `(row ${line})` : resolve(root, cell);
    const row: SourceRow = {
      file,
      line,
      labels: labelIndexes.map((i) => fields[i] ?? ''),
      subset: splitIndex === undefined ? undefined : fields[splitIndex],
    };
    if (fields.length !== header.length) {
      row.problem = {
        kind: 'malformed-row',
        reason: `the row has ${fields.length} fields but the header has ${header.length} (an unquoted delimiter?)`,
      };
    } else if (cell === '') {
      row.problem = { kind: 'missing-file', reason: `the '${args.imageColumn ?? 'image'}' cell is empty` };
    }
    return row;
  });

  const maxPixels = args.maxPixels ?? DEFAULT_MAX_PIXELS;
  return buildDataset({
    fn,
    source: path,
    rows,
    labelColumns,
    flagColumns: args.labelColumns !== undefined,
    args,
    split,
    checkFile: (args.checkFiles ?? true) ? whyNotAFile : undefined,
    load: (file) => readImage(file, { maxPixels }),
  });
}

function labelColumnsOf(fn: string, args: FromCsvArgs): string[] {
  if (args.labelColumns === undefined) return [args.labelColumn ?? 'label'];
  if (args.labelColumn !== undefined) {
    throw new InvalidArgumentError(
      'labelColumns',
      `${fn}: give labelColumn (one column) or labelColumns (several 0/1 columns), not both.`,
      args.labelColumns,
    );
  }
  if ((args.task ?? 'multiclass') !== 'multilabel' || args.labelColumns.length === 0) {
    throw new InvalidArgumentError(
      'labelColumns',
      `${fn}: labelColumns (one 0/1 column per class) needs task 'multilabel' and at least one column; ` +
        'for other tasks use labelColumn.',
      args.labelColumns,
    );
  }
  return [...args.labelColumns];
}
