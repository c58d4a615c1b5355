import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../test/support/backends.js';
import { tinyConvBackbone } from '../../test/support/heads_models.js';
import { InvalidArgumentError } from '../errors.js';
import { categoricalCrossEntropy } from '../losses/categorical_cross_entropy.js';
import { attachHead } from './attach_head.js';
import { freeze } from './freeze.js';
import { softmaxHead } from './softmax_head.js';
import { unfreeze } from './unfreeze.js';

const trainableNames = (m: tfl.LayersModel) => m.trainableWeights.map((w) => w.originalName).sort();

async function movingMean(model: tfl.LayersModel, name: string): Promise<number[]> {
  const layer =
    model.layers.find((l) => l.name === name) ?? (model.layers[1] as tfl.LayersModel).getLayer(name);
  const weight = layer.weights.find((w) => w.originalName.endsWith('moving_mean'))!;
  return Array.from(await weight.read().data());
}

/** One SGD epoch on 4 random images; returns nothing, changes the model. */
async function trainStep(model: tfl.LayersModel): Promise<void> {
  const optimizer = tf.train.sgd(0.1);
  model.compile({ optimizer, loss: categoricalCrossEntropy() });
  const x = tf.randomNormal([4, 8, 8, 3], 2, 1, 'float32', 1); // mean 2: batch statistics ≠ moving ones
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3));
  await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
  tf.dispose([x, y]);
  optimizer.dispose();
}

describeEachBackend('freeze / unfreeze', () => {
  it('freezes every layer before `until`, makes it and the rest trainable, and unfreezes from a layer', () => {
    const model = attachHead(
      tinyConvBackbone('bb'),
      softmaxHead({ classes: 3, name: 'cls', hiddenUnits: 2 }),
    );
    freeze(model, { until: 'cls_pool' });
    expect(model.getLayer('bb_conv').trainable).toBe(false);
    expect(model.getLayer('bb_bn').trainable).toBe(false);
    expect(trainableNames(model)).toEqual([
      'cls_hidden/bias',
      'cls_hidden/kernel',
      'cls_logits/bias',
      'cls_logits/kernel',
    ]);
    freeze(model);
    expect(model.trainableWeights).toHaveLength(0);
    unfreeze(model, { from: 'bb_bn' });
    expect(model.getLayer('bb_conv').trainable).toBe(false);
    expect(trainableNames(model)).toEqual([
      'bb_bn/beta',
      'bb_bn/gamma',
      'cls_hidden/bias',
      'cls_hidden/kernel',
      'cls_logits/bias',
      'cls_logits/kernel',
    ]);
    freeze(model, { until: 'cls_logits' }); // later layers made trainable, earlier frozen
    expect(trainableNames(model)).toEqual(['cls_logits/bias', 'cls_logits/kernel']);
    unfreeze(model);
    expect(model.trainableWeights).toHaveLength(8);
    model.dispose();
  });

  it('finds the layer inside a nested backbone (a model used as a layer)', () => {
    const backbone = tinyConvBackbone('inner');
    const input = tfl.input({ shape: [8, 8, 3] });
    const features = backbone.apply(input) as tfl.SymbolicTensor;
    const joint = tfl.model({
      inputs: input,
      outputs: softmaxHead({ classes: 3, name: 'h' }).apply(features),
    });
    freeze(joint, { until: 'inner_bn' });
    expect(backbone.getLayer('inner_conv').trainable).toBe(false);
    expect(trainableNames(joint)).toEqual([
      'h_logits/bias',
      'h_logits/kernel',
      'inner_bn/beta',
      'inner_bn/gamma',
    ]);
    freeze(joint, { until: 'h_pool' });
    expect(trainableNames(joint)).toEqual(['h_logits/bias', 'h_logits/kernel']);
    unfreeze(joint, { from: 'inner_relu' });
    expect(trainableNames(joint)).toEqual(['h_logits/bias', 'h_logits/kernel']); // relu has no weights
    unfreeze(joint, { from: 'inner_conv' });
    expect(trainableNames(joint)).toHaveLength(6);
    joint.dispose();
  });

  it('keeps a frozen BatchNormalization in inference mode during fit (moving statistics unchanged)', async () => {
    const model = attachHead(tinyConvBackbone('bn'), softmaxHead({ classes: 3, name: 'c' }));
    const before = await movingMean(model, 'bn_bn');
    freeze(model, { until: 'c_pool' });
    await trainStep(model);
    expect(await movingMean(model, 'bn_bn')).toEqual(before);
    unfreeze(model);
    await trainStep(model);
    const after = await movingMean(model, 'bn_bn');
    expect(after.some((v, i) => Math.abs(v - before[i]!) > 1e-3)).toBe(true);
    model.dispose();
  });

  it('keeps a BatchNormalization frozen through its parent model in inference mode too', async () => {
    const backbone = tinyConvBackbone('nest');
    const input = tfl.input({ shape: [8, 8, 3] });
    const joint = tfl.model({
      inputs: input,
      outputs: softmaxHead({ classes: 3, name: 'n' }).apply(backbone.apply(input) as tfl.SymbolicTensor),
    });
    const before = await movingMean(joint, 'nest_bn');
    freeze(joint, { until: 'n_pool' });
    await trainStep(joint);
    expect(await movingMean(joint, 'nest_bn')).toEqual(before);
    joint.dispose();
  });

  it('names the missing layer and lists the layers', () => {
    const model = attachHead(tinyConvBackbone('err'), softmaxHead({ classes: 3, name: 'e' }));
    expect(() => freeze(model, { until: 'block4_conv1' })).toThrow(InvalidArgumentError);
    expect(() => freeze(model, { until: 'block4_conv1' })).toThrow(/'block4_conv1'.*err_conv, err_bn/);
    expect(() => unfreeze(model, { from: 'nope' })).toThrow(/from/);
    expect(() => freeze({} as never)).toThrow(/model/);
    model.dispose();
  });
});
