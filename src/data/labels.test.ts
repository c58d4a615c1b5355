import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { type LabelArgs, type LabelCoder, labelCoder, sortClasses } from './labels.js';

const coder = (args: LabelArgs, cells: string[], columns = ['label'], flagColumns = false): LabelCoder =>
  labelCoder('test', args, { columns, values: cells.map((c) => [c]), flagColumns });

describe('labelCoder', () => {
  it('multiclass: sorted inferred classes, one-hot targets, unknown and empty labels', () => {
    const c = coder({}, ['normal', 'cataract', '', 'glaucoma', 'cataract']);
    expect(c.classes).toEqual(['cataract', 'glaucoma', 'normal']);
    expect(c.encode([' glaucoma '])).toEqual({ target: [0, 1, 0], classIndex: 1, stratum: '1' });
    expect(c.encode([''])).toEqual({ kind: 'empty-label', reason: "the 'label' cell is empty" });
    const fixed = coder({ classes: ['normal', 'cataract'] }, ['normal']);
    expect(fixed.encode(['cataract'])).toMatchObject({ target: [0, 1], classIndex: 1 });
    expect(fixed.encode(['glaucoma'])).toEqual({
      kind: 'unknown-label',
      reason: "'glaucoma' is not one of the classes ('normal', 'cataract')",
    });
    expect(() => coder({ classes: ['a', 'a'] }, [])).toThrow(InvalidArgumentError);
  });

  it('sorts numeric classes numerically and others by code point', () => {
    expect(sortClasses(['10', '2', '1'])).toEqual(['1', '2', '10']);
    expect(sortClasses(['b', 'B', 'a'])).toEqual(['B', 'a', 'b']);
  });

  it('binary: 0/1 labels need no hint; other labels need positive, negative or classes', () => {
    const flags = coder({ task: 'binary' }, ['0', '1', '1.0']);
    expect(flags.classes).toEqual(['0', '1']);
    expect(flags.encode(['1.0'])).toEqual({ target: [1], classIndex: 1, stratum: '1' });
    expect(flags.encode(['2'])).toMatchObject({ kind: 'unknown-label' });
    expect(() => coder({ task: 'binary' }, ['good', 'poor'])).toThrow(
      "test: task 'binary' needs to know which labels are positive: 'label' holds 'good', 'poor'",
    );

    const pos = coder({ task: 'binary', positive: ['1', '2'] }, ['0', '1', '2']);
    expect(pos.classes).toEqual(['not 1|2', '1|2']);
    expect(['0', '1', '2'].map((v) => (pos.encode([v]) as { target: number[] }).target[0])).toEqual([
      0, 1, 1,
    ]);

    const neg = coder({ task: 'binary', negative: 'normal' }, []);
    expect(neg.classes).toEqual(['normal', 'not normal']);
    expect(neg.encode(['glaucoma'])).toMatchObject({ target: [1] });

    const both = coder({ task: 'binary', positive: 'poor', negative: 'good' }, []);
    expect(both.encode(['usable'])).toMatchObject({ kind: 'unknown-label' });

    const named = coder({ task: 'binary', classes: ['good', 'poor'] }, []);
    expect(named.encode(['poor'])).toMatchObject({ target: [1], classIndex: 1 });
    expect(() => coder({ task: 'binary', classes: ['a', 'b', 'c'] }, [])).toThrow(/exactly 2 classes/);
    expect(() => coder({ task: 'binary', classes: ['a', 'b'], positive: 'b' }, [])).toThrow(/not both/);
    expect(() => coder({ task: 'binary', positive: 'a', negative: 'a' }, [])).toThrow(
      /both positive and negative/,
    );
  });

  it('grade: ordinal (cumulative), one-hot and scalar encodings of 0-4', () => {
    const ordinal = coder({ task: 'grade' }, []);
    expect(ordinal.classes).toEqual(['0', '1', '2', '3', '4']);
    expect(ordinal.width).toBe(4);
    expect(ordinal.encode(['0'])).toEqual({ target: [0, 0, 0, 0], classIndex: 0, stratum: '0' });
    expect(ordinal.encode(['3'])).toEqual({ target: [1, 1, 1, 0], classIndex: 3, stratum: '3' });
    expect(ordinal.encode(['2.0'])).toMatchObject({ target: [1, 1, 0, 0] }); // pandas writes 2.0
    for (const bad of ['5', '-1', '1.5', 'x'])
      expect(ordinal.encode([bad])).toMatchObject({ kind: 'unknown-label' });
    expect(ordinal.encode([' '])).toMatchObject({ kind: 'empty-label' });
    expect(coder({ task: 'grade', gradeEncoding: 'onehot' }, []).encode(['4'])).toMatchObject({
      target: [0, 0, 0, 0, 1],
    });
    expect(coder({ task: 'grade', gradeEncoding: 'scalar', grades: 3 }, []).encode(['2'])).toMatchObject({
      target: [2],
    });
    expect(() => coder({ task: 'grade', grades: 1 }, [])).toThrow(InvalidArgumentError);
    expect(() => coder({ task: 'grade', classes: ['a'] }, [])).toThrow(/takes no classes/);
  });

  it('multilabel keywords: ASCII and full-width commas, trimmed, de-duplicated', () => {
    const c = coder({ task: 'multilabel' }, [
      'cataract，moderate non proliferative retinopathy',
      'glaucoma, cataract',
      '',
      'normal fundus，',
    ]);
    expect(c.classes).toEqual([
      'cataract',
      'glaucoma',
      'moderate non proliferative retinopathy',
      'normal fundus',
    ]);
    expect(c.encode(['cataract，moderate non proliferative retinopathy'])).toEqual({
      target: [1, 0, 1, 0],
      classIndex: -1,
      stratum: '1010',
    });
    expect(c.encode([' glaucoma ,glaucoma'])).toMatchObject({ target: [0, 1, 0, 0] });
    expect(c.encode(['，'])).toMatchObject({ kind: 'empty-label' });
    expect(c.encode(['cataract, drusen'])).toEqual({
      kind: 'unknown-label',
      reason:
        "'drusen' is not one of the classes ('cataract', 'glaucoma', 'moderate non proliferative retinopathy', 'normal fundus')",
    });
    const semicolons = coder({ task: 'multilabel', separator: ';' }, ['a;b', 'b, c']);
    expect(semicolons.classes).toEqual(['a', 'b', 'b, c']);
  });

  it('multilabel 0/1 columns: the columns are the classes', () => {
    const c = labelCoder(
      'test',
      { task: 'multilabel' },
      { columns: ['DR', 'ARMD'], values: [], flagColumns: true },
    );
    expect(c.classes).toEqual(['DR', 'ARMD']);
    expect(c.encode(['1', '0'])).toEqual({ target: [1, 0], classIndex: -1, stratum: '10' });
    expect(c.encode(['1', ''])).toEqual({ kind: 'empty-label', reason: "the 'ARMD' cell is empty" });
    expect(c.encode(['1', 'yes'])).toMatchObject({ kind: 'unknown-label' });
  });

  it('rejects an unknown task', () => {
    expect(() => coder({ task: 'regression' as never }, [])).toThrow(/task must be/);
  });
});
