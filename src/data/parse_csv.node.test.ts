import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dataPath } from '../../test/support/shared_data.js';
import { parseCsv } from './parse_csv.js';

/** Every labels.csv of ../shared/data with its header and row count (from its README). */
const SETS = [
  {
    set: 'eye-diseases',
    rows: 3391,
    header: ['image', 'class', 'split', 'dr_grade', 'eyeq_quality', 'odir_keywords'],
  },
  { set: 'eyepacs', rows: 126, header: ['image', 'dr_grade', 'eyeq_quality'] },
  {
    set: 'idrid',
    rows: 16,
    header: ['image', 'MA', 'MA_px', 'HE', 'HE_px', 'EX', 'EX_px', 'SE', 'SE_px', 'OD', 'OD_px'],
  },
  { set: 'drive', rows: 40, header: ['image', 'fov_mask', 'vessel_mask', 'split'] },
];

describe('parseCsv on every real labels.csv', () => {
  it.each(SETS)('$set/labels.csv: header, row count, line numbers, every field', ({ set, rows, header }) => {
    const text = readFileSync(dataPath(`${set}/labels.csv`), 'utf8');
    const table = parseCsv(text, { source: `${set}/labels.csv` });
    expect(table.header).toEqual(header);
    expect(table.records).toHaveLength(rows);
    expect(table.records.map((r) => r.line)).toEqual(Array.from({ length: rows }, (_, i) => i + 2));
    // These files hold no quotes, so a plain split is the reference (CRLF line ends, blank cells kept).
    const naive = text
      .split('\r\n')
      .filter((l) => l !== '')
      .map((l) => l.split(','));
    expect([table.header, ...table.records.map((r) => r.fields)]).toEqual(naive);
    for (const r of table.records) expect(r.fields).toHaveLength(header.length);
  });

  it('keeps the full-width separators and blank cells of eye-diseases as they are', () => {
    const { records } = parseCsv(readFileSync(dataPath('eye-diseases/labels.csv'), 'utf8'));
    const keywords = records.map((r) => r.fields[5]!);
    expect(keywords.filter((k) => k.includes('，'))).toHaveLength(115);
    expect(keywords.filter((k) => k === '')).toHaveLength(2043);
    expect(records[1]!.fields).toEqual([
      'cataract/1083_left.jpg',
      'cataract',
      'train',
      '',
      '',
      'cataract，moderate non proliferative retinopathy',
    ]);
  });
});
