import { describe, expect, it } from 'vitest';
import { ImageDecodeError } from '../errors.js';
import { FailureLog } from './failure_log.js';

describe('FailureLog', () => {
  it('is empty, exit code 0, no summary, when nothing failed', () => {
    const log = new FailureLog();
    expect(log.exitCode).toBe(0);
    expect(log.summary(120)).toBe('');
  });

  it('lists each path with the first line of its reason, and exit code 1', () => {
    const log = new FailureLog();
    log.add('a/1.jpg', new ImageDecodeError('a/1.jpg', 'readImage: a/1.jpg is empty (0 bytes).'));
    log.add('b/2.png', 'no such file');
    log.add('c/3.tif', new Error('first line\n  at stack'));
    expect(log.exitCode).toBe(1);
    expect(log.failures.map((f) => f.path)).toEqual(['a/1.jpg', 'b/2.png', 'c/3.tif']);
    expect(log.summary(120)).toBe(
      '3 of 120 files failed:\n' +
        '  a/1.jpg: readImage: a/1.jpg is empty (0 bytes).\n' +
        '  b/2.png: no such file\n' +
        '  c/3.tif: first line\n',
    );
    expect(log.summary(5, 'rows').startsWith('3 of 5 rows failed:')).toBe(true);
  });
});
