import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/support/backends.js';
import { cumulativeFromEnd } from './reverse_cumulative.js';

describeEachBackend('cumulativeFromEnd', () => {
  it('sums and multiplies from the end of either axis (WebGPU’s reverse scan is wrong in TF.js 4.22)', async () => {
    const x = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const sums = tf.tidy(() => [
      cumulativeFromEnd(x, 1),
      cumulativeFromEnd(x, 0),
      cumulativeFromEnd(x, 1, 'prod'),
    ]);
    expect(await sums[0]!.array()).toEqual([
      [6, 5, 3],
      [15, 11, 6],
    ]);
    expect(await sums[1]!.array()).toEqual([
      [5, 7, 9],
      [4, 5, 6],
    ]);
    expect(await sums[2]!.array()).toEqual([
      [6, 6, 3],
      [120, 30, 6],
    ]);
    tf.dispose([x, ...sums]);
  });
});
