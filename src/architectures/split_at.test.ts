import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, tinyBatch } from '../../test/support/architectures_tiny.js';
import {
  backendsUnderTest,
  describeEachBackend,
  expectNoLeaks,
  useBackend,
} from '../../test/support/backends.js';
import { InvalidArgumentError } from '../errors.js';
import { googlenet, resnet18, splitAt, vgg16 } from './index.js';

const TINY = { widthMultiplier: 1 / 16, classes: 3 } as const;

/** A larger model with a backbone nested in it: a 1×1 "preprocessing" conv, the backbone, pooling and a dense head. */
async function nestedModel(): Promise<{ model: tfl.LayersModel; backbone: tfl.LayersModel }> {
  const backbone = await resnet18({ ...TINY, inputShape: [32, 32, 3], includeTop: false });
  const input = tfl.input({ shape: [32, 32, 3], name: 'image' });
  let x = tfl.layers.conv2d({ filters: 3, kernelSize: 1, name: 'pre' }).apply(input) as tfl.SymbolicTensor;
  x = backbone.apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({ units: 2, activation: 'softmax', name: 'grade' })
    .apply(x) as tfl.SymbolicTensor;
  return { model: tfl.model({ inputs: input, outputs: out, name: 'grader' }), backbone };
}

/** head(features(x)) against model(x); both halves run in a tidy, no tensor left behind. */
async function splitError(
  model: tfl.LayersModel,
  layer: string,
  x: tf.Tensor,
): Promise<{ diff: number; shape: number[] }> {
  const { features, head } = splitAt(model, layer);
  const whole = model.predict(x) as tf.Tensor;
  const maps = await expectNoLeaks(() => features.predict(x) as tf.Tensor);
  const composed = await expectNoLeaks(() => head.predict(maps) as tf.Tensor);
  const diff = await maxAbsDiff(composed, whole);
  const shape = maps.shape;
  tf.dispose([whole, maps, composed]);
  features.dispose();
  head.dispose();
  return { diff, shape };
}

describeEachBackend('splitAt: head(features(x)) equals model(x)', () => {
  // Same kernels on both sides; only the order of float32 operations could differ.
  const TOL = 1e-5;

  it('ResNet-18 at a block output (skip connections on both sides)', async () => {
    const model = await resnet18({ ...TINY, inputShape: [32, 32, 3] });
    const x = tinyBatch(2, 32);
    const { diff, shape } = await splitError(model, 'conv3_block2_out', x);
    expect(shape).toEqual([2, 4, 4, 8]);
    expect(diff).toBeLessThan(TOL);
    x.dispose();
    model.dispose();
  });
});

// splitAt only rewires the graph; the kernels are the backbones' (tested on every backend in backbones.test.ts),
// so the other graphs run on cpu and wasm only (webgl/webgpu on SwiftShader compile every shape slowly).
describeEachBackend(
  'splitAt on branched and nested graphs: head(features(x)) equals model(x)',
  () => {
    const TOL = 1e-5;

    it('GoogLeNet at an inception output (four-branch modules on both sides)', async () => {
      const model = await googlenet({ ...TINY, inputShape: [32, 32, 3] });
      const x = tinyBatch(2, 32, 3, 2);
      const { diff, shape } = await splitError(model, 'inception4c_out', x);
      expect(shape).toEqual([2, 2, 2, 8 + 16 + 4 + 4]);
      expect(diff).toBeLessThan(TOL);
      x.dispose();
      model.dispose();
    });

    it('inside a backbone nested in a larger model', async () => {
      const { model } = await nestedModel();
      const x = tinyBatch(2, 32, 3, 3);
      const { diff, shape } = await splitError(model, 'conv4_block1_out', x);
      expect(shape).toEqual([2, 2, 2, 16]);
      expect(diff).toBeLessThan(TOL);
      x.dispose();
      model.dispose(); // disposes the nested backbone too
    });
  },
  backendsUnderTest().filter((b) => b === 'cpu' || b === 'wasm'),
);

describe('splitAt: structure and errors', () => {
  beforeAll(() => useBackend('cpu'));

  it('shares the layers (and so the weights) with the model and leaves layers before the split untouched', async () => {
    const model = await vgg16({ ...TINY, inputShape: [32, 32, 3] });
    const { features, head } = splitAt(model, 'block5_conv3');
    expect(features.name).toBe('vgg16_features');
    expect(features.outputs[0]!.shape).toEqual([null, 2, 2, 32]);
    expect(head.getLayer('fc1')).toBe(model.getLayer('fc1'));
    expect(head.layers.map((l) => l.name)).toEqual([
      'vgg16_head_input',
      'block5_pool',
      'flatten',
      'fc1',
      'fc2',
      'predictions',
    ]);
    expect(features.getLayer('block1_conv1')).toBe(model.getLayer('block1_conv1'));
    for (const m of [model, features, head]) m.dispose();
  });

  it('at a nested model itself', async () => {
    const { model } = await nestedModel();
    const { features, head } = splitAt(model, 'resnet18');
    expect(features.outputs[0]!.shape).toEqual([null, 1, 1, 32]);
    expect(head.layers.map((l) => l.name)).toEqual(['grader_head_input', 'gap', 'grade']);
    for (const m of [model, features, head]) m.dispose();
  });

  it('names the layer a skip connection crosses', async () => {
    const model = await resnet18({ ...TINY, inputShape: [32, 32, 3] });
    const call = () => splitAt(model, 'conv3_block1_1_relu');
    expect(call).toThrow(InvalidArgumentError);
    expect(call).toThrow(
      "splitAt: a skip connection crosses 'conv3_block1_1_relu': layer 'conv3_block1_add' also takes the output of 'conv3_block1_0_bn'",
    );
    // Inside a nested backbone the layers are named with their model's path.
    const { model: nested } = await nestedModel();
    expect(() => splitAt(nested, 'conv2_block2_1_conv')).toThrow(
      "layer 'resnet18/conv2_block2_add' also takes the output of 'resnet18/conv2_block1_out'",
    );
    for (const m of [model, nested]) m.dispose();
  });

  it('rejects an unknown layer, an output that does not pass the split, and an ambiguous name', async () => {
    const model = await resnet18({ ...TINY, inputShape: [32, 32, 3] });
    expect(() => splitAt(model, 'conv9_block1_out')).toThrow(
      "splitAt: model 'resnet18' has no layer 'conv9_block1_out'",
    );
    expect(() => splitAt(model, '')).toThrow(InvalidArgumentError);
    model.dispose();
    const aux = await googlenet({ ...TINY, inputShape: [79, 79, 3], auxLogits: true });
    expect(() => splitAt(aux, 'inception4e_out')).toThrow(
      "output 'aux1_predictions' of model 'googlenet' does not depend on 'inception4e_out'",
    );
    aux.dispose();
    // The same backbone applied to two images (original and enhanced): a layer inside it is ambiguous.
    const backbone = await resnet18({ ...TINY, inputShape: [32, 32, 3], includeTop: false, pooling: 'avg' });
    const a = tfl.input({ shape: [32, 32, 3] });
    const b = tfl.input({ shape: [32, 32, 3] });
    const merged = tfl.layers
      .concatenate()
      .apply([backbone.apply(a), backbone.apply(b)] as tfl.SymbolicTensor[]);
    const siamese = tfl.model({ inputs: [a, b], outputs: merged as tfl.SymbolicTensor, name: 'siamese' });
    expect(() => splitAt(siamese, 'conv5_block2_out')).toThrow(
      "layer 'conv5_block2_out' is applied 2 times in model 'siamese'",
    );
    siamese.dispose();
    backbone.dispose();
  });
});
