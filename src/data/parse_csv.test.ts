import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { CsvParseError } from './data_errors.js';
import { parseCsv } from './parse_csv.js';

const lines = (text: string) => parseCsv(text).records.map((r) => r.line);
const fields = (text: string) => parseCsv(text).records.map((r) => r.fields);

describe('parseCsv', () => {
  it('reads a header and records with their line numbers', () => {
    const table = parseCsv('image,label\na.jpg,1\nb.jpg,0\n');
    expect(table.header).toEqual(['image', 'label']);
    expect(table.headerLine).toBe(1);
    expect(table.records).toEqual([
      { line: 2, fields: ['a.jpg', '1'] },
      { line: 3, fields: ['b.jpg', '0'] },
    ]);
  });

  it('accepts CRLF, LF and CR line ends, with or without a final line break', () => {
    for (const text of ['h,k\r\na,1\r\nb,2\r\n', 'h,k\na,1\nb,2', 'h,k\ra,1\rb,2\r', 'h,k\r\na,1\nb,2']) {
      expect(fields(text), JSON.stringify(text)).toEqual([
        ['a', '1'],
        ['b', '2'],
      ]);
      expect(lines(text)).toEqual([2, 3]);
    }
  });

  it('drops a UTF-8 byte-order mark from the first column name', () => {
    expect(parseCsv('\uFEFFimage,label\r\na,1\r\n').header).toEqual(['image', 'label']);
  });

  it('skips blank lines but keeps physical line numbers', () => {
    const text = '\n\nimage,label\r\n\r\na,1\n\n\nb,2\n\n';
    const table = parseCsv(text);
    expect(table.headerLine).toBe(3);
    expect(table.records).toEqual([
      { line: 5, fields: ['a', '1'] },
      { line: 8, fields: ['b', '2'] },
    ]);
  });

  it('unquotes fields holding delimiters, escaped quotes and line breaks', () => {
    const text = 'image,note\r\n"a, b.jpg","he said ""hi"""\r\n"c.jpg","two\r\nlines"\r\nd.jpg,x\r\n';
    const table = parseCsv(text);
    expect(table.records).toEqual([
      { line: 2, fields: ['a, b.jpg', 'he said "hi"'] },
      { line: 3, fields: ['c.jpg', 'two\r\nlines'] },
      // The quoted line break moved this record to physical line 5.
      { line: 5, fields: ['d.jpg', 'x'] },
    ]);
  });

  it('keeps empty fields, a quoted empty field and surrounding spaces', () => {
    expect(fields('a,b,c\n1,,3\n,,\n x ,y,\n')).toEqual([
      ['1', '', '3'],
      ['', '', ''],
      [' x ', 'y', ''],
    ]);
    // A one-column CSV: an unquoted empty line is blank (skipped), a quoted one is an empty value.
    expect(fields('label\n\n""\nz\n')).toEqual([[''], ['z']]);
  });

  it('returns short and long records as they are (the caller decides)', () => {
    expect(fields('a,b\n1\n1,2,3\n')).toEqual([['1'], ['1', '2', '3']]);
  });

  it('treats the full-width comma as text, and supports other delimiters', () => {
    expect(fields('image,kw\na.jpg,cataract，glaucoma\n')).toEqual([['a.jpg', 'cataract，glaucoma']]);
    expect(parseCsv('a;b\n1;"x;y"\n', { delimiter: ';' }).records[0]!.fields).toEqual(['1', 'x;y']);
    expect(parseCsv('a\tb\n1\t2\n', { delimiter: '\t' }).records[0]!.fields).toEqual(['1', '2']);
  });

  it('fails on an unterminated quote at the line and column where it opened', () => {
    const run = () => parseCsv('image,label\na.jpg,1\n"b.jpg,0\nc.jpg,1\n', { source: 'labels.csv' });
    expect(run).toThrow(CsvParseError);
    expect(run).toThrow(
      "parseCsv: labels.csv line 3, column 1: quoted field is never closed (missing '\"').",
    );
    try {
      run();
    } catch (e) {
      expect((e as CsvParseError).line).toBe(3);
      expect((e as CsvParseError).column).toBe(1);
    }
  });

  it('fails on a quote inside an unquoted field and on text after a closing quote', () => {
    expect(() => parseCsv('a,b\n1,5\'2"\n')).toThrow(
      /line 2, column 6: unexpected '"' inside an unquoted field/,
    );
    expect(() => parseCsv('a,b\n"x"y,1\n')).toThrow(/line 2, column 4: unexpected "y" after a closing quote/);
  });

  it('requires a header row', () => {
    for (const text of ['', '\uFEFF', '\r\n\r\n']) {
      expect(() => parseCsv(text, { source: 'empty.csv' })).toThrow('parseCsv: empty.csv has no header row');
    }
    expect(parseCsv('image,label\n').records).toEqual([]);
  });

  it('rejects a delimiter that is not one plain character', () => {
    for (const delimiter of ['', ';;', '"', '\n']) {
      expect(() => parseCsv('a\n', { delimiter })).toThrow(InvalidArgumentError);
    }
  });
});
