import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import fixtures from '../../test/fixtures/losses/torch_losses.json';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { expectRelClose, readScalar } from '../../test/support/losses_checks.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { asymmetricLoss } from './asymmetric_loss.js';
import { binaryCrossEntropy } from './binary_cross_entropy.js';

const asl = fixtures.cases.asymmetric;

describeEachBackend('asymmetricLoss', () => {
  it('matches the paper formula written in torch, both reductions, from logits and probabilities', async () => {
    const logits = tf.tensor2d(asl.logits);
    const labels = tf.tensor2d(asl.labels);
    const probs = tf.sigmoid(logits);
    for (const { gammaPos, gammaNeg, clip, mean, sumOverClasses } of asl.values) {
      const label = `γ+=${gammaPos} γ−=${gammaNeg} m=${clip}`;
      const viaLogits = await expectNoLeaks(() =>
        asymmetricLoss({ gammaPos, gammaNeg, clip, fromLogits: true })(labels, logits),
      );
      expectRelClose(await readScalar(viaLogits), mean, 1e-5, 0, label);
      const summed = asymmetricLoss({ gammaPos, gammaNeg, clip, reduction: 'sumOverClasses' })(labels, probs);
      expectRelClose(await readScalar(summed), sumOverClasses, 1e-5, 0, label);
    }
    tf.dispose([logits, labels, probs]);
  });

  it('shifts negatives by the margin and discards easy ones (hand-computed), and is BCE with no focusing', async () => {
    const p = tf.tensor2d([[0.8, 0.3, 0.04]]);
    const y = tf.tensor2d([[1, 0, 0]]);
    // γ+ = 1, γ− = 2, m = 0.1: p_m = 0.2 for the second, 0 for the third (discarded).
    const expected = (0.2 * -Math.log(0.8) + 0.2 ** 2 * -Math.log(0.8) + 0) / 3;
    expectRelClose(
      await readScalar(asymmetricLoss({ gammaPos: 1, gammaNeg: 2, clip: 0.1 })(y, p)),
      expected,
      1e-6,
    );
    const plain = await readScalar(asymmetricLoss({ gammaPos: 0, gammaNeg: 0, clip: 0 })(y, p));
    expectRelClose(plain, await readScalar(binaryCrossEntropy()(y, p)), 1e-6);
    tf.dispose([p, y]);
  });

  it('rejects mismatched shapes and invalid options', () => {
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([2]);
    expect(() => asymmetricLoss()(a, b)).toThrow(ShapeError);
    expect(() => asymmetricLoss()(a, b)).toThrow('yTrue shape [2,3] does not match yPred shape [2]');
    expect(() => asymmetricLoss({ clip: 1 })).toThrow(/clip/);
    expect(() => asymmetricLoss({ gammaNeg: -2 })).toThrow(InvalidArgumentError);
    expect(() => asymmetricLoss({ reduction: 'sum' as never })).toThrow(/reduction/);
    tf.dispose([a, b]);
  });
});
