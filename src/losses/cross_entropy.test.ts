import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import fixtures from '../../test/fixtures/losses/torch_losses.json';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { expectRelClose, oneHotRows, readScalar, sigmoid } from '../../test/support/losses_checks.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { binaryCrossEntropy } from './binary_cross_entropy.js';
import { categoricalCrossEntropy } from './categorical_cross_entropy.js';

const cat = fixtures.cases.categorical;
const bin = fixtures.cases.binary;

describeEachBackend('categoricalCrossEntropy', () => {
  it('matches torch cross_entropy(label_smoothing) from logits and from softmax probabilities (1e-5 rel)', async () => {
    const logits = tf.tensor2d(cat.logits);
    const yTrue = tf.tensor2d(oneHotRows(cat.classes, 4));
    const probs = tf.softmax(logits);
    for (const [eps, expected] of Object.entries(cat.values)) {
      const labelSmoothing = Number(eps);
      const fromLogits = await expectNoLeaks(() =>
        categoricalCrossEntropy({ labelSmoothing, fromLogits: true })(yTrue, logits),
      );
      expectRelClose(await readScalar(fromLogits), expected, 1e-5, 0, `logits ε=${eps}`);
      const fromProbs = categoricalCrossEntropy({ labelSmoothing })(yTrue, probs);
      expectRelClose(await readScalar(fromProbs), expected, 1e-5, 0, `probs ε=${eps}`);
    }
    tf.dispose([logits, yTrue, probs]);
  });

  it('is −Σ t·log p with t = y(1 − ε) + ε/K on a hand-computed case', async () => {
    const p = tf.tensor2d([
      [0.7, 0.2, 0.1],
      [0.25, 0.25, 0.5],
    ]);
    const y = tf.tensor2d([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const plain = (-Math.log(0.7) - Math.log(0.5)) / 2;
    expectRelClose(await readScalar(categoricalCrossEntropy()(y, p)), plain, 1e-6);
    // ε = 0.3, K = 3: targets 0.8 / 0.1 / 0.1.
    const row1 = -(0.8 * Math.log(0.7) + 0.1 * Math.log(0.2) + 0.1 * Math.log(0.1));
    const row2 = -(0.1 * Math.log(0.25) + 0.1 * Math.log(0.25) + 0.8 * Math.log(0.5));
    const smoothed = categoricalCrossEntropy({ labelSmoothing: 0.3 })(y, p);
    expectRelClose(await readScalar(smoothed), (row1 + row2) / 2, 1e-6);
    tf.dispose([p, y]);
  });

  it('rejects mismatched shapes (naming both) and invalid options', () => {
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([2, 4]);
    const loss = categoricalCrossEntropy();
    expect(() => loss(a, b)).toThrow(ShapeError);
    expect(() => loss(a, b)).toThrow('yTrue shape [2,3] does not match yPred shape [2,4]');
    expect(() => categoricalCrossEntropy({ labelSmoothing: 1 })).toThrow(InvalidArgumentError);
    expect(() => categoricalCrossEntropy({ labelSmoothing: -0.1 })).toThrow(/labelSmoothing/);
    expect(() => categoricalCrossEntropy({ fromLogits: 'yes' as never })).toThrow(/fromLogits/);
    tf.dispose([a, b]);
  });
});

describeEachBackend('binaryCrossEntropy', () => {
  it('matches torch binary_cross_entropy_with_logits with and without pos_weight (1e-5 rel)', async () => {
    const logits = tf.tensor2d(bin.logits);
    const labels = tf.tensor2d(bin.labels);
    const probs = tf.sigmoid(logits);
    const cases: [Parameters<typeof binaryCrossEntropy>[0], number][] = [
      [{}, bin.plain],
      [{ posWeight: bin.posWeight }, bin.weighted],
      [{ posWeight: 2 }, bin.scalarPosWeight],
    ];
    for (const [args, expected] of cases) {
      const viaLogits = await expectNoLeaks(() =>
        binaryCrossEntropy({ ...args, fromLogits: true })(labels, logits),
      );
      expectRelClose(await readScalar(viaLogits), expected, 1e-5, 0, JSON.stringify(args));
      expectRelClose(await readScalar(binaryCrossEntropy(args)(labels, probs)), expected, 1e-5, 0);
    }
    tf.dispose([logits, labels, probs]);
  });

  it('is −mean[w·y·log p + (1 − y)·log(1 − p)] on a hand-computed case, with label smoothing', async () => {
    const p = tf.tensor2d([[0.9, 0.3]]);
    const y = tf.tensor2d([[1, 0]]);
    const expected = -(3 * Math.log(0.9) + Math.log(0.7)) / 2;
    expectRelClose(await readScalar(binaryCrossEntropy({ posWeight: [3, 5] })(y, p)), expected, 1e-6);
    // ε = 0.2: targets 0.9 and 0.1.
    const t = (yv: number, pv: number) => -(yv * Math.log(pv) + (1 - yv) * Math.log(1 - pv));
    const smoothed = (t(0.9, 0.9) + t(0.1, 0.3)) / 2;
    expectRelClose(await readScalar(binaryCrossEntropy({ labelSmoothing: 0.2 })(y, p)), smoothed, 1e-6);
    // From a logit: log σ(2) and log(1 − σ(−1)).
    const x = tf.tensor2d([[2, -1]]);
    const fromLogit = -(Math.log(sigmoid(2)) + Math.log(1 - sigmoid(-1))) / 2;
    expectRelClose(await readScalar(binaryCrossEntropy({ fromLogits: true })(y, x)), fromLogit, 1e-6);
    tf.dispose([p, y, x]);
  });

  it('rejects mismatched shapes, a posWeight of the wrong length and invalid options', () => {
    const a = tf.zeros([4, 3]);
    const b = tf.zeros([4, 1]);
    expect(() => binaryCrossEntropy()(a, b)).toThrow('yTrue shape [4,3] does not match yPred shape [4,1]');
    expect(() => binaryCrossEntropy({ posWeight: [1, 2] })(a, a)).toThrow(InvalidArgumentError);
    expect(() => binaryCrossEntropy({ posWeight: [1, 2] })(a, a)).toThrow(/posWeight/);
    expect(() => binaryCrossEntropy({ posWeight: 0 })).toThrow(/posWeight/);
    expect(() => binaryCrossEntropy({ posWeight: [1, -1] })).toThrow(InvalidArgumentError);
    expect(() => binaryCrossEntropy({ labelSmoothing: 2 })).toThrow(/labelSmoothing/);
    expect(() => binaryCrossEntropy()(a, 'x' as never)).toThrow(/yPred/);
    tf.dispose([a, b]);
  });
});
