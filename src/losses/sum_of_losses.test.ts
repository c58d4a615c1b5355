import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { expectRelClose, readScalar } from '../../test/support/losses_checks.js';
import { InvalidArgumentError } from '../errors.js';
import { binaryCrossEntropy } from './binary_cross_entropy.js';
import { binaryFocalLoss } from './binary_focal_loss.js';
import { categoricalCrossEntropy } from './categorical_cross_entropy.js';
import { sumOfLosses } from './sum_of_losses.js';

/** Two sigmoid branches and a softmax branch on one input. */
function threeOutputModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [4] });
  const a = tfl.layers
    .dense({ units: 1, activation: 'sigmoid', name: 'a' })
    .apply(input) as tfl.SymbolicTensor;
  const b = tfl.layers
    .dense({ units: 1, activation: 'sigmoid', name: 'b' })
    .apply(input) as tfl.SymbolicTensor;
  const c = tfl.layers
    .dense({ units: 3, activation: 'softmax', name: 'c' })
    .apply(input) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: [a, b, c] });
}

describeEachBackend('sumOfLosses', () => {
  it('computes Σ w_i L_i standalone, by position and by output name', async () => {
    const y = tf.tensor2d([[1], [0]]);
    const p1 = tf.tensor2d([[0.8], [0.4]]);
    const p2 = tf.tensor2d([[0.6], [0.1]]);
    const bce = binaryCrossEntropy();
    const l1 = await readScalar(bce(y, p1));
    const l2 = await readScalar(bce(y, p2));
    const positional = sumOfLosses([{ loss: bce }, { loss: bce, weight: 0.5 }]);
    const total = await expectNoLeaks(() => positional.compute([y, y], [p1, p2]));
    expectRelClose(await readScalar(total), l1 + 0.5 * l2, 1e-6);
    const values = positional.values([y, y], [p1, p2]);
    expectRelClose(await readScalar(values[0]!), l1, 1e-6);
    expectRelClose(await readScalar(values[1]!), l2, 1e-6);
    const named = sumOfLosses([
      { loss: bce, output: 'second', weight: 2 },
      { loss: binaryFocalLoss(), output: 'second' },
    ]);
    const focal = await readScalar(binaryFocalLoss()(y, p2));
    const byName = named.compute({ first: y, second: y }, { first: p1, second: p2 });
    expectRelClose(await readScalar(byName), 2 * l2 + focal, 1e-6);
    const byNameArray = named.compute([y, y], [p1, p2], ['first', 'second']);
    expectRelClose(await readScalar(byNameArray), 2 * l2 + focal, 1e-6);
    tf.dispose([y, p1, p2]);
  });

  it('makes tfjs-layers compile/evaluate report exactly the weighted sum of the branch losses (1e-5 rel)', async () => {
    const model = threeOutputModel();
    const x = tf.tensor2d([
      [0.1, -0.2, 0.3, 0.5],
      [1, 0.5, -1, 0],
      [-0.3, 0.2, 0.9, -0.7],
    ]);
    const yA = tf.tensor2d([[1], [0], [1]]);
    const yB = tf.tensor2d([[0], [0], [1]]);
    const yC = tf.tensor2d([
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const total = sumOfLosses([
      { loss: binaryCrossEntropy(), output: 'a', weight: 1 },
      { loss: binaryCrossEntropy({ posWeight: 3 }), output: 'b', weight: 0.5 },
      { loss: categoricalCrossEntropy({ labelSmoothing: 0.1 }), output: 'c', weight: 2 },
    ]);
    const optimizer = tf.train.sgd(0.1);
    model.compile({ optimizer, loss: total.forModel(model) });
    const reported = model.evaluate(x, [yA, yB, yC], { batchSize: 3 }) as tf.Scalar[];
    const values = await Promise.all(reported.map((r) => readScalar(r)));
    const predictions = model.predict(x) as tf.Tensor[];
    const expected = await readScalar(total.compute([yA, yB, yC], predictions, model.outputNames));
    const terms = total.values([yA, yB, yC], predictions, model.outputNames);
    const weighted = await Promise.all(
      terms.map(async (t, i) => total.terms[i]!.weight * (await readScalar(t))),
    );
    // tfjs-layers 4.22's evaluate on an n-output model returns the n running sums of the output losses, then
    // the n output losses: the total is element n − 1 (element 0, which metricsNames calls 'loss', is not).
    expect(values).toHaveLength(6);
    expectRelClose(values[2]!, expected, 1e-5, 0, 'total');
    expectRelClose(values[0]!, weighted[0]!, 1e-5, 0, 'first running sum');
    weighted.forEach((w, i) => {
      expectRelClose(values[3 + i]!, w, 1e-5, 0, `output ${i}`);
    });
    expectRelClose(
      expected,
      weighted.reduce((a, b) => a + b),
      1e-6,
    );
    // fit reports the same total (computed before its step updates the weights).
    const history = await model.fit(x, [yA, yB, yC], { epochs: 1, batchSize: 3, verbose: 0 });
    expectRelClose(history.history.loss![0] as number, expected, 1e-5, 0, 'fit');
    tf.dispose([x, yA, yB, yC, ...predictions]);
    model.dispose();
    optimizer.dispose();
  });

  it('gives an output no term names a zero loss, and rejects bad terms', () => {
    const model = threeOutputModel();
    const losses = sumOfLosses([{ loss: binaryCrossEntropy(), output: 'b' }]).forModel(model);
    expect(losses).toHaveLength(3);
    const p = tf.tensor2d([[0.3]]);
    const zero = losses[0]!(p, p);
    expect(zero.dataSync()[0]).toBe(0);
    tf.dispose([p, zero]);
    expect(() => sumOfLosses([{ loss: binaryCrossEntropy(), output: 'nope' }]).forModel(model)).toThrow(
      /'nope'.*\["a","b","c"\]/,
    );
    expect(() => sumOfLosses([])).toThrow(InvalidArgumentError);
    expect(() => sumOfLosses([{ loss: binaryCrossEntropy(), weight: -1 }])).toThrow(/weight/);
    expect(() =>
      sumOfLosses([{ loss: binaryCrossEntropy(), output: 'a' }, { loss: binaryCrossEntropy() }]),
    ).toThrow(/name their output/);
    expect(() => sumOfLosses([{ loss: 'bce' as never }])).toThrow(/loss/);
    expect(() => sumOfLosses([{ loss: binaryCrossEntropy() }]).forModel({} as never)).toThrow(/model/);
    model.dispose();
  });
});
