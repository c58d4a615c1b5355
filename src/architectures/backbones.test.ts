import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { TINY_SIZES, tinyArgs, tinyBatch } from '../../test/support/architectures_tiny.js';
import { backendsUnderTest, describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { type BackboneName, createBackbone, googlenet, listBackbones } from './index.js';

const CLASSES = 3;

describeEachBackend('backbones build, run and train a step', (backend) => {
  for (const name of listBackbones() as BackboneName[]) {
    it(`${name}: softmax rows [2, ${CLASSES}] in inference and training mode; one SGD step reaches the first layer`, async () => {
      const size = TINY_SIZES[name];
      const model = await createBackbone(name, tinyArgs(name, { classes: CLASSES }));
      const x = tinyBatch(2, size);
      const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([0, 2], 'int32'), CLASSES), 'float32'));
      const predicted = await expectNoLeaks(() => model.predict(x) as tf.Tensor);
      const first = model.trainableWeights[0]!;
      const last = model.trainableWeights.at(-2)!; // the predictions kernel (then its bias)
      expect([first.originalName, last.originalName]).toEqual([
        expect.stringMatching(/conv1.*\/kernel$/),
        'predictions/kernel',
      ]);
      const before = await Promise.all([first, last].map((w) => w.read().data()));
      let probs: tf.Tensor | null = null;
      const optimizer = tf.train.sgd(0.1);
      const loss = await expectNoLeaks(() => {
        // One step as LayersModel.fit takes it: forward in training mode (dropout and batch statistics on),
        // cross-entropy, gradients of every trainable weight, SGD update.
        const { value, grads } = tf.variableGrads(() => {
          const p = model.apply(x, { training: true }) as tf.Tensor;
          probs = tf.keep(p);
          return tf.mean(tf.neg(tf.sum(tf.mul(y, tf.log(tf.add(p, 1e-7))), -1))) as tf.Scalar;
        });
        optimizer.applyGradients(grads);
        tf.dispose(grads);
        return [value, probs!];
      });
      const [value, out] = loss;
      for (const probabilities of [predicted, out!]) {
        expect(probabilities.shape).toEqual([2, CLASSES]);
        for (const row of (await probabilities.array()) as number[][]) {
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
          for (const p of row) expect(p).toBeGreaterThanOrEqual(0);
        }
      }
      const lossValue = (await value!.data())[0]!;
      expect(Number.isFinite(lossValue), `${name} loss on ${backend}`).toBe(true);
      expect(lossValue).toBeGreaterThan(0);
      // The gradient flows from the loss back to the first convolution on this backend.
      const after = await Promise.all([first, last].map((w) => w.read().data()));
      for (const i of [0, 1]) {
        expect(
          after[i]!.some((v, j) => v !== before[i]![j]),
          `${name} on ${backend}: ${i === 0 ? 'first' : 'last'} kernel updated`,
        ).toBe(true);
      }
      tf.dispose([x, y, value, out, predicted]);
      optimizer.dispose();
      model.dispose();
    });
  }
});

// The auxiliary heads add no new kind of layer: Node and browser cpu/wasm are enough (webgl/webgpu on SwiftShader are slow).
describeEachBackend(
  'googlenet auxiliary classifiers',
  () => {
    it('googlenet with auxLogits: three outputs, trained together', async () => {
      const model = await googlenet({
        inputShape: [79, 79, 3],
        widthMultiplier: 1 / 16,
        classes: 2,
        auxLogits: true,
      });
      expect(model.outputNames).toEqual(['predictions', 'aux1_predictions', 'aux2_predictions']);
      const x = tinyBatch(1, 79);
      const y = tf.tensor2d([[0, 1]]);
      const outs = model.predict(x) as tf.Tensor[];
      expect(outs.map((o) => o.shape)).toEqual([
        [1, 2],
        [1, 2],
        [1, 2],
      ]);
      model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
      const losses = (await model.trainOnBatch(x, [y, y, y])) as number[];
      expect(losses).toHaveLength(4); // total, then one per output
      expect(losses[0]).toBeCloseTo(losses[1]! + losses[2]! + losses[3]!, 4);
      for (const l of losses.slice(1)) expect(l).toBeGreaterThan(0);
      tf.dispose([x, y, ...outs]);
      model.dispose();
    });
  },
  backendsUnderTest().filter((b) => b === 'cpu' || b === 'wasm'),
);
