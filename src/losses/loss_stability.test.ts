import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { asymmetricLoss } from './asymmetric_loss.js';
import { binaryCrossEntropy } from './binary_cross_entropy.js';
import { binaryFocalLoss } from './binary_focal_loss.js';
import { categoricalCrossEntropy } from './categorical_cross_entropy.js';
import { categoricalFocalLoss } from './categorical_focal_loss.js';
import { coralLoss } from './coral_loss.js';
import type { LossFunction } from './loss_utils.js';

const extreme = [
  [100, -100, 0],
  [-100, 100, 50],
];
const multiLabel = [
  [1, 1, 0],
  [1, 0, 0],
];
const oneHot = [
  [0, 1, 0],
  [1, 0, 0],
];

type Case = [string, (fromLogits: boolean) => LossFunction, number[][], 'sigmoid' | 'softmax'];
const cases: Case[] = [
  [
    'categoricalCrossEntropy',
    (f) => categoricalCrossEntropy({ fromLogits: f, labelSmoothing: 0.1 }),
    oneHot,
    'softmax',
  ],
  ['categoricalFocalLoss', (f) => categoricalFocalLoss({ fromLogits: f, gamma: 0.5 }), oneHot, 'softmax'],
  [
    'binaryCrossEntropy',
    (f) => binaryCrossEntropy({ fromLogits: f, posWeight: [2, 1, 3] }),
    multiLabel,
    'sigmoid',
  ],
  ['binaryFocalLoss', (f) => binaryFocalLoss({ fromLogits: f, gamma: 0.5 }), multiLabel, 'sigmoid'],
  ['asymmetricLoss', (f) => asymmetricLoss({ fromLogits: f, gammaPos: 0.5 }), multiLabel, 'sigmoid'],
  ['asymmetricLoss clip 0', (f) => asymmetricLoss({ fromLogits: f, clip: 0 }), multiLabel, 'sigmoid'],
  ['coralLoss', (f) => coralLoss({ fromLogits: f }), multiLabel, 'sigmoid'],
];

async function allFinite(t: tf.Tensor): Promise<boolean> {
  const values = await t.data();
  t.dispose();
  return values.every(Number.isFinite);
}

describeEachBackend('loss stability', () => {
  it('gives finite values and gradients at logits ±100, from logits and through sigmoid/softmax', async () => {
    const x = tf.tensor2d(extreme);
    for (const [name, make, labels, activation] of cases) {
      const y = tf.tensor2d(labels);
      for (const fromLogits of [true, false]) {
        const loss = make(fromLogits);
        const f = (logits: tf.Tensor) =>
          loss(y, fromLogits ? logits : activation === 'sigmoid' ? tf.sigmoid(logits) : tf.softmax(logits));
        const { value, grad } = await expectNoLeaks(() => {
          const r = tf.valueAndGrad(f)(x);
          return [r.value, r.grad] as const;
        }).then(([value, grad]) => ({ value, grad }));
        expect(await allFinite(value), `${name} value, fromLogits ${fromLogits}`).toBe(true);
        expect(await allFinite(grad), `${name} gradient, fromLogits ${fromLogits}`).toBe(true);
      }
      y.dispose();
    }
    x.dispose();
  });

  it('has gradients that match central finite differences (focal loss and ASL from logits)', async () => {
    const logits = [
      [0.3, -1.2, 2.0],
      [-0.4, 0.8, -2.5],
    ];
    const y = tf.tensor2d(multiLabel);
    for (const loss of [
      binaryFocalLoss({ fromLogits: true, alpha: 0.3, gamma: 2 }),
      asymmetricLoss({ fromLogits: true, gammaPos: 1, gammaNeg: 3, clip: 0.05 }),
    ]) {
      const x = tf.tensor2d(logits);
      const grad = tf.grad((t: tf.Tensor) => loss(y, t))(x);
      const analytic = Array.from(await grad.data());
      tf.dispose([x, grad]);
      const h = 1e-2;
      const at = async (values: number[][]) => {
        const t = tf.tensor2d(values);
        const v = loss(y, t);
        const [r] = await v.data();
        tf.dispose([t, v]);
        return r!;
      };
      for (let i = 0; i < 6; i++) {
        const r = Math.floor(i / 3);
        const c = i % 3;
        const shifted = (d: number) =>
          logits.map((row, ri) => row.map((v, ci) => (ri === r && ci === c ? v + d : v)));
        const numeric = ((await at(shifted(h))) - (await at(shifted(-h)))) / (2 * h);
        expect(Math.abs(analytic[i]! - numeric), `element ${i}: ${analytic[i]} vs ${numeric}`).toBeLessThan(
          2e-4,
        );
      }
    }
    y.dispose();
  });
});
