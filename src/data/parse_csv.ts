import { InvalidArgumentError } from '../errors.js';
import { CsvParseError } from './data_errors.js';

/** Arguments of {@link parseCsv}. */
export interface ParseCsvArgs {
  /**
   * Field delimiter: one character, not a quote or a line break.
   * @defaultValue `','`
   */
  delimiter?: string;
  /**
   * Name of the text in error messages, e.g. its file path.
   * @defaultValue `'CSV'`
   */
  source?: string;
}

/** One CSV record with the line it starts on. */
export interface CsvRecord {
  /** 1-based physical line where the record starts (a quoted field may span lines); the header is usually line 1. */
  line: number;
  /** The fields, unquoted; their number may differ from the header's (the caller decides what that means). */
  fields: string[];
}

/** A parsed CSV: the header and the data records. */
export interface CsvTable {
  /** Column names from the first non-blank record. */
  header: string[];
  /** 1-based line of the header. */
  headerLine: number;
  /** Data records in file order, blank lines left out. */
  records: CsvRecord[];
}

const QUOTE = '"';

/**
 * Parses CSV text (RFC 4180) with a required header row: quoted fields may hold delimiters, line breaks
 * and doubled quotes (`""` → `"`); records end with CRLF, LF or CR; a UTF-8 byte-order mark is dropped;
 * blank lines are skipped (so a one-column CSV cannot hold an unquoted empty value: quote it, `""`).
 * Fields are not trimmed. No dependency; strict, so a malformed file fails loudly at the right place rather
 * than shifting columns.
 *
 * @param text The CSV text (decode files as UTF-8 first).
 * @returns The header, its line and the data records, each with the line it starts on.
 * @example
 * ```ts
 * const { header, records } = parseCsv('image,label\r\n"a, b.jpg",1\r\n');
 * // header ['image', 'label']; records [{ line: 2, fields: ['a, b.jpg', '1'] }]
 * ```
 * @throws {@link CsvParseError} naming the line and column, for an unterminated quoted field, a quote
 * inside an unquoted field, text after a closing quote, or text with no header row.
 * @throws {@link InvalidArgumentError} for a delimiter that is not one plain character.
 */
export function parseCsv(text: string, args: ParseCsvArgs = {}): CsvTable {
  const delimiter = args.delimiter ?? ',';
  const source = args.source ?? 'CSV';
  if (delimiter.length !== 1 || delimiter === QUOTE || delimiter === '\n' || delimiter === '\r') {
    throw new InvalidArgumentError(
      'delimiter',
      `parseCsv: delimiter must be one character other than a quote or a line break, but got ${JSON.stringify(delimiter)}.`,
      delimiter,
    );
  }
  const fail = (line: number, column: number, what: string): never => {
    throw new CsvParseError(
      source,
      line,
      column,
      `parseCsv: ${source} line ${line}, column ${column}: ${what}`,
    );
  };

  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let fieldQuoted = false; // the current field opened with a quote
  let inQuotes = false;
  let afterClosingQuote = false;
  let line = 1;
  let lineStart = 0; // index of the first character of the current physical line
  let recordLine = 1;
  let quoteOpenedAt: [number, number] = [1, 1];

  const endRecord = () => {
    fields.push(field);
    const blank = fields.length === 1 && field === '' && !fieldQuoted;
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    fieldQuoted = false;
    afterClosingQuote = false;
  };

  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  for (let i = start; i < n; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === QUOTE) {
        if (text[i + 1] === QUOTE) {
          field += QUOTE;
          i++;
        } else {
          inQuotes = false;
          afterClosingQuote = true;
        }
      } else {
        field += c;
        // A line break inside quotes is data, but still advances the physical line count.
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
          line++;
          lineStart = i + 1;
        }
      }
      continue;
    }
    if (c === delimiter) {
      fields.push(field);
      field = '';
      fieldQuoted = false;
      afterClosingQuote = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      lineStart = i + 1;
      recordLine = line;
    } else if (afterClosingQuote) {
      fail(
        line,
        i - lineStart + 1,
        `unexpected ${JSON.stringify(c)} after a closing quote (a quoted field must end at a delimiter or line end).`,
      );
    } else if (c === QUOTE) {
      if (field !== '') {
        fail(
          line,
          i - lineStart + 1,
          'unexpected \'"\' inside an unquoted field (quote the whole field and double the quote: "5\'2""").',
        );
      }
      inQuotes = true;
      fieldQuoted = true;
      quoteOpenedAt = [line, i - lineStart + 1];
    } else {
      field += c;
    }
  }
  if (inQuotes) fail(quoteOpenedAt[0], quoteOpenedAt[1], "quoted field is never closed (missing '\"').");
  if (fields.length > 0 || field !== '' || fieldQuoted) endRecord();

  const header = records.shift();
  if (header === undefined)
    throw new CsvParseError(source, 1, 1, `parseCsv: ${source} has no header row (it is empty).`);
  return { header: header.fields, headerLine: header.line, records };
}
