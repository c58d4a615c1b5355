import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import fixtures from '../../test/fixtures/losses/torch_losses.json';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { expectRelClose, readScalar } from '../../test/support/losses_checks.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { binaryCrossEntropy } from './binary_cross_entropy.js';
import { binaryFocalLoss } from './binary_focal_loss.js';
import { categoricalCrossEntropy } from './categorical_cross_entropy.js';
import { categoricalFocalLoss } from './categorical_focal_loss.js';

const focal = fixtures.cases.focal;

describeEachBackend('binaryFocalLoss', () => {
  it('matches torchvision sigmoid_focal_loss (reduction mean) from logits and probabilities (1e-5 rel)', async () => {
    const logits = tf.tensor2d(focal.logits);
    const labels = tf.tensor2d(focal.labels);
    const probs = tf.sigmoid(logits);
    for (const { alpha, gamma, value } of focal.values) {
      const viaLogits = await expectNoLeaks(() =>
        binaryFocalLoss({ alpha, gamma, fromLogits: true })(labels, logits),
      );
      expectRelClose(await readScalar(viaLogits), value, 1e-5, 0, `α=${alpha} γ=${gamma}`);
      expectRelClose(await readScalar(binaryFocalLoss({ alpha, gamma })(labels, probs)), value, 1e-5, 0);
    }
    tf.dispose([logits, labels, probs]);
  });

  it('is α_t (1 − p_t)^γ BCE on a hand-computed case, and BCE when γ = 0 and α = null', async () => {
    const p = tf.tensor2d([[0.9, 0.3]]);
    const y = tf.tensor2d([[1, 0]]);
    const expected = (0.25 * 0.1 ** 2 * -Math.log(0.9) + 0.75 * 0.3 ** 2 * -Math.log(0.7)) / 2;
    expectRelClose(await readScalar(binaryFocalLoss()(y, p)), expected, 1e-6);
    const asBce = await readScalar(binaryFocalLoss({ alpha: null, gamma: 0 })(y, p));
    expectRelClose(asBce, await readScalar(binaryCrossEntropy()(y, p)), 1e-6);
    tf.dispose([p, y]);
  });

  it('rejects mismatched shapes and invalid alpha / gamma', () => {
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([3, 2]);
    expect(() => binaryFocalLoss()(a, b)).toThrow(ShapeError);
    expect(() => binaryFocalLoss()(a, b)).toThrow('[2,3]');
    expect(() => binaryFocalLoss({ alpha: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => binaryFocalLoss({ gamma: -1 })).toThrow(/gamma/);
    tf.dispose([a, b]);
  });
});

describeEachBackend('categoricalFocalLoss', () => {
  it('is −Σ α_k y_k (1 − p_k)^γ log p_k on a hand-computed case, from probabilities and logits', async () => {
    const p = tf.tensor2d([
      [0.7, 0.2, 0.1],
      [0.25, 0.25, 0.5],
    ]);
    const y = tf.tensor2d([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const alpha = [0.5, 1, 2];
    const expected = (0.5 * 0.3 ** 2 * -Math.log(0.7) + 2 * 0.5 ** 2 * -Math.log(0.5)) / 2;
    const loss = categoricalFocalLoss({ alpha, gamma: 2 });
    expectRelClose(await readScalar(await expectNoLeaks(() => loss(y, p))), expected, 1e-6);
    const logits = tf.log(p); // softmax(log p) = p
    const viaLogits = categoricalFocalLoss({ alpha, gamma: 2, fromLogits: true })(y, logits);
    expectRelClose(await readScalar(viaLogits), expected, 1e-5);
    const gamma0 = await readScalar(categoricalFocalLoss({ gamma: 0 })(y, p));
    expectRelClose(gamma0, await readScalar(categoricalCrossEntropy()(y, p)), 1e-6);
    tf.dispose([p, y, logits]);
  });

  it('rejects mismatched shapes, an alpha of the wrong length and negative values', () => {
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([2, 2]);
    expect(() => categoricalFocalLoss()(a, b)).toThrow('yTrue shape [2,3] does not match yPred shape [2,2]');
    expect(() => categoricalFocalLoss({ alpha: [1, 2] })(a, a)).toThrow(/alpha/);
    expect(() => categoricalFocalLoss({ alpha: -1 })).toThrow(InvalidArgumentError);
    expect(() => categoricalFocalLoss({ gamma: Number.NaN })).toThrow(/gamma/);
    tf.dispose([a, b]);
  });
});
