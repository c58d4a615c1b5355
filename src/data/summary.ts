import type { BadRowKind } from './data_errors.js';

/** One row a dataset skipped (`onError: 'skip'`). */
export interface SkippedRow {
  /** 1-based CSV line (header = 1); undefined for images found in folders. */
  line: number | undefined;
  /** The image file (absolute or as resolved), or the raw image cell when there is no file. */
  file: string;
  /** What was wrong. */
  kind: BadRowKind;
  /** A human-readable reason, e.g. `"'glaucomaa' is not one of the classes ('cataract', 'normal')"`. */
  reason: string;
}

/**
 * What a dataset read and what it left out. `skipped` is live: rows rejected when the dataset was created are
 * there at once; images that fail to decode are added (once each) as epochs reach them, and later epochs pass
 * over them without decoding again. Read it after an epoch, or print it with {@link formatSummary}.
 */
export interface DatasetSummary {
  /** The function that built the dataset (`'fromCsv'`, `'fromFolder'`). */
  readonly fn: string;
  /** The CSV file or the folder. */
  readonly source: string;
  /** Data rows (CSV records, or image files) found in the source, before the split. */
  readonly rows: number;
  /**
   * Rows this dataset streams (its split subset, bad rows left out), before balancing; goes down when an image
   * fails to decode.
   */
  readonly used: number;
  /** Bad rows skipped so far, each once. */
  readonly skipped: SkippedRow[];
}

/**
 * One line saying what a dataset used and skipped, for logs and CLI output.
 *
 * @param maxListed How many skipped rows to list before "and N more".
 * @example
 * ```ts
 * const { dataset, summary } = await fromCsv('labels.csv', { labelColumn: 'class', onError: 'skip' });
 * await model.fitDataset(dataset, { epochs: 1 });
 * console.log(formatSummary(summary));
 * // fromCsv labels.csv: 3389 rows used, 2 skipped: line 17 cataract/x.jpg (missing-file: no such file); line 40 …
 * ```
 * @throws Never.
 */
export function formatSummary(summary: DatasetSummary, maxListed = 5): string {
  const head = `${summary.fn} ${summary.source}: ${summary.used} rows used`;
  if (summary.skipped.length === 0) return `${head}, none skipped.`;
  const listed = summary.skipped
    .slice(0, maxListed)
    .map((s) => `${s.line === undefined ? '' : `line ${s.line} `}${s.file} (${s.kind}: ${s.reason})`);
  const more = summary.skipped.length > maxListed ? `; and ${summary.skipped.length - maxListed} more` : '';
  return `${head}, ${summary.skipped.length} skipped: ${listed.join('; ')}${more}.`;
}
