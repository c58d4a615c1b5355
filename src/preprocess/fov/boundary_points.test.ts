import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../../test/support/backends.js';
import { boundaryPoints } from './boundary_points.js';

describeEachBackend('boundaryPoints', () => {
  it('places one sub-pixel point at each end of every row and column that has a transition', async () => {
    // 5×6 mask: rows 1…3, columns 2…4 inside; the feature ramps 0 → 10 across each edge, threshold 2.5 everywhere,
    // so each crossing lies a quarter of the way from the outside pixel to the inside one.
    const mask = tf.tensor2d([
      [0, 0, 0, 0, 0, 0],
      [0, 0, 1, 1, 1, 0],
      [0, 0, 1, 1, 1, 0],
      [0, 0, 1, 1, 1, 0],
      [0, 0, 0, 0, 0, 0],
    ]);
    const feature = tf.mul(mask, 10) as tf.Tensor2D;
    const threshold = tf.fill([5, 6], 2.5) as tf.Tensor2D;
    const points = await expectNoLeaks(() =>
      tf.tidy(() => {
        const p = boundaryPoints(mask, feature, threshold);
        return [p.x, p.y, p.weight];
      }),
    );
    const [x, y, w] = await Promise.all(points.map((t) => t.data()));
    const found: string[] = [];
    for (let i = 0; i < w!.length; i++) if (w![i] === 1) found.push(`${x![i]},${y![i]}`);
    // Rows 1…3: entering at x = 1.25 (from column 1 to 2), leaving at x = 4.75 (from column 5 to 4);
    // columns 2…4: top at y = 0.25, bottom at y = 3.75.
    expect(found.sort()).toEqual(
      [
        ...[1, 2, 3].flatMap((row) => [`1.25,${row}`, `4.75,${row}`]),
        ...[2, 3, 4].flatMap((col) => [`${col},0.25`, `${col},3.75`]),
      ].sort(),
    );
    tf.dispose([mask, feature, threshold, ...points]);
  });

  it('gives no point where the mask touches the frame (a circle the frame cuts)', async () => {
    const mask = tf.tensor2d([
      [0, 1, 1, 0],
      [0, 1, 1, 0],
      [0, 1, 1, 0],
    ]);
    const p = tf.tidy(() => boundaryPoints(mask, mask, tf.fill([3, 4], 0.5) as tf.Tensor2D).weight);
    // 3 rows × 2 ends; the columns run into the top and bottom of the frame: no points.
    expect(Array.from(await p.data()).reduce((a, b) => a + b, 0)).toBe(6);
    tf.dispose([mask, p]);
  });
});
