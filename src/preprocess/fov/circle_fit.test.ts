import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../../test/support/backends.js';
import { fitCircle, fitCircleOps, fitCircleValues } from './circle_fit.js';

/** Points on a circle of centre (40, 30), radius 25, with outliers that the robust refits must drop. */
function pointsWithOutliers() {
  const x: number[] = [];
  const y: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < 120; i++) {
    const a = (2 * Math.PI * i) / 120;
    // ±0.3 px of deterministic jitter, as an edge's sub-pixel noise
    const r = 25 + 0.3 * Math.sin(7 * i);
    x.push(40 + r * Math.cos(a));
    y.push(30 + r * Math.sin(a));
    weight.push(1);
  }
  // A notch marker and flares: 15 points well inside the circle, and 5 padding points of weight 0.
  for (let i = 0; i < 15; i++) {
    x.push(40 + 10 + i * 0.2);
    y.push(30 - 5 + i * 0.3);
    weight.push(1);
  }
  for (let i = 0; i < 5; i++) {
    x.push(0);
    y.push(0);
    weight.push(0);
  }
  return { x, y, weight };
}

it('fitCircleValues recovers an exact circle and drops outliers (hand-made points)', () => {
  const exact = Array.from({ length: 8 }, (_, i) => (Math.PI * i) / 4);
  const [cx, cy, r] = fitCircleValues(
    exact.map((a) => 5 + 3 * Math.cos(a)),
    exact.map((a) => -2 + 3 * Math.sin(a)),
    exact.map(() => 1),
    0,
    0,
    4,
  );
  expect([cx, cy, r].map((v) => Number(v.toFixed(9)))).toEqual([5, -2, 3]);
  const p = pointsWithOutliers();
  const fit = fitCircleValues(p.x, p.y, p.weight, 40, 30, 40);
  expect(Math.abs(fit[0] - 40)).toBeLessThan(0.1);
  expect(Math.abs(fit[1] - 30)).toBeLessThan(0.1);
  expect(Math.abs(fit[2] - 25)).toBeLessThan(0.1);
});

describeEachBackend('fitCircle', () => {
  it('gives the same circle in JS (in-memory backends) as in tensor ops, within 1e-3 px', async () => {
    const p = pointsWithOutliers();
    const points = { x: tf.tensor1d(p.x), y: tf.tensor1d(p.y), weight: tf.tensor1d(p.weight) };
    const ops = await expectNoLeaks(() => tf.tidy(() => fitCircleOps(points, 40, 30, 40)));
    const dispatched = await expectNoLeaks(() => tf.tidy(() => fitCircle(points, 40, 30, 40)));
    const values = fitCircleValues(p.x, p.y, p.weight, 40, 30, 40);
    for (const got of [await ops.data(), await dispatched.data()]) {
      for (let i = 0; i < 3; i++) expect(Math.abs(got[i]! - values[i]!), `component ${i}`).toBeLessThan(1e-3);
    }
    tf.dispose([points.x, points.y, points.weight, ops, dispatched]);
  });
});
