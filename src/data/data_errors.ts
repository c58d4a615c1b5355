import { FundusError } from '../errors.js';

/**
 * A CSV text is not well-formed (RFC 4180): an unterminated quoted field, a quote inside an unquoted
 * field, text after a closing quote, or no header row.
 *
 * @example
 * ```ts
 * try {
 *   parseCsv('image,label\n"a.jpg,0\n');
 * } catch (e) {
 *   if (e instanceof CsvParseError) console.log(e.line, e.column); // 2 1
 * }
 * ```
 */
export class CsvParseError extends FundusError {
  /** The CSV's name as given to the parser (a path, or `"CSV"`). */
  readonly source: string;
  /** 1-based line of the problem. */
  readonly line: number;
  /** 1-based column (character) of the problem within its line. */
  readonly column: number;

  constructor(source: string, line: number, column: number, message: string) {
    super(message, { value: source });
    this.source = source;
    this.line = line;
    this.column = column;
  }
}

/**
 * What is wrong with one row (one image) of a dataset. Row problems are what `onError: 'skip'` skips:
 * - `missing-file`: the image file does not exist, or the image cell is empty (also thrown, never skipped, when
 *   the CSV or folder itself cannot be read);
 * - `undecodable-image`: the file exists but is not a decodable image (corrupt, truncated, not an image);
 * - `unknown-label`: a label that is not one of the classes (or not a valid grade / 0-1 flag);
 * - `empty-label`: the label cell is blank;
 * - `malformed-row`: a CSV record with a different number of fields than the header.
 */
export type BadRowKind =
  | 'missing-file'
  | 'undecodable-image'
  | 'unknown-label'
  | 'empty-label'
  | 'malformed-row';

/**
 * Problems with a whole dataset, never skipped:
 * - `empty-csv`: the CSV has no header, or a header and no rows;
 * - `missing-column`: a column the arguments name is not in the header;
 * - `no-images`: a folder holds no image in any class folder;
 * - `empty-subset`: nothing is left after the split and the bad rows (e.g. a split value no row has);
 * - `shape-mismatch`: images of different sizes reached a batch (give `size` or a resizing transform);
 * - `transform-failed`: the `transform` threw on an image (a programming error, so never skipped).
 */
export type DatasetErrorKind =
  | BadRowKind
  | 'empty-csv'
  | 'missing-column'
  | 'no-images'
  | 'empty-subset'
  | 'shape-mismatch'
  | 'transform-failed';

/**
 * A dataset could not be built or streamed. Names the CSV (or folder), the CSV line and the image file
 * when the problem is one row's, so a user can open the file at the right line.
 *
 * @example
 * ```ts
 * try {
 *   await fromCsv('labels.csv', { labelColumn: 'class' });
 * } catch (e) {
 *   if (e instanceof DatasetError) console.log(e.kind, e.line, e.file);
 *   // 'missing-file' 17 '/data/eyes/cataract/103_left.jpg'
 * }
 * ```
 */
export class DatasetError extends FundusError {
  /** What went wrong. Row kinds ({@link BadRowKind}) are the ones `onError: 'skip'` skips. */
  readonly kind: DatasetErrorKind;
  /** The CSV file or the folder the dataset reads. */
  readonly source: string;
  /** 1-based CSV line of the row at fault (the header is line 1); undefined for folders and whole-file problems. */
  readonly line: number | undefined;
  /** The image file of the row at fault, if any. */
  readonly file: string | undefined;

  constructor(
    kind: DatasetErrorKind,
    message: string,
    where: { source: string; line?: number | undefined; file?: string | undefined },
    cause?: unknown,
  ) {
    super(message, { value: where.file ?? where.source, cause });
    this.kind = kind;
    this.source = where.source;
    this.line = where.line;
    this.file = where.file;
  }
}
