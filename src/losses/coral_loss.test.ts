import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import fixtures from '../../test/fixtures/losses/torch_losses.json';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { expectRelClose, readScalar, sigmoid } from '../../test/support/losses_checks.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { coralLoss } from './coral_loss.js';

const coral = fixtures.cases.coral;

describeEachBackend('coralLoss', () => {
  it('matches the CORAL formula written in torch from grades [N], [N, 1] and levels [N, K − 1]', async () => {
    const logits = tf.tensor2d(coral.logits);
    const grades = tf.tensor1d(coral.grades);
    const grades2d = tf.reshape(grades, [-1, 1]);
    const levels = tf.tensor2d(coral.grades.map((g) => [0, 1, 2, 3].map((k) => (g > k ? 1 : 0))));
    const probs = tf.sigmoid(logits);
    for (const yTrue of [grades, grades2d, levels]) {
      const plain = await expectNoLeaks(() => coralLoss({ fromLogits: true })(yTrue, logits));
      expectRelClose(await readScalar(plain), coral.plain, 1e-5, 0, `yTrue [${yTrue.shape}]`);
      const weighted = coralLoss({ importance: coral.importance })(yTrue, probs);
      expectRelClose(await readScalar(weighted), coral.weighted, 1e-5, 0, `yTrue [${yTrue.shape}]`);
    }
    tf.dispose([logits, grades, grades2d, levels, probs]);
  });

  it('sums the K − 1 binary cross-entropies of "grade > k" (hand-computed, K = 3)', async () => {
    const x = tf.tensor2d([[1, -2]]);
    const grade = tf.tensor1d([1]); // levels [1, 0]
    const expected = -Math.log(sigmoid(1)) - Math.log(1 - sigmoid(-2));
    expectRelClose(await readScalar(coralLoss({ fromLogits: true })(grade, x)), expected, 1e-6);
    tf.dispose([x, grade]);
  });

  it('names both shapes when yTrue fits neither grades nor levels, and rejects bad importance', () => {
    const x = tf.zeros([3, 4]);
    const bad = tf.zeros([3, 2]);
    expect(() => coralLoss()(bad, x)).toThrow(ShapeError);
    expect(() => coralLoss()(bad, x)).toThrow('yTrue shape [3,2] and yPred shape [3,4]');
    const grades = tf.zeros([3]);
    expect(() => coralLoss({ importance: [1, 2] })(grades, x)).toThrow(/importance/);
    expect(() => coralLoss({ importance: -1 })).toThrow(InvalidArgumentError);
    tf.dispose([x, bad, grades]);
  });
});
