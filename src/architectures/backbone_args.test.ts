import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, tinyBatch } from '../../test/support/architectures_tiny.js';
import { useBackend } from '../../test/support/backends.js';
import { InvalidArgumentError, UnknownArchitectureError } from '../errors.js';
import { WeightsMismatchError } from '../weights/index.js';
import {
  alexnet,
  type BackboneName,
  createBackbone,
  googlenet,
  listBackbones,
  registerBackbone,
  resnet18,
  resnet50,
  vgg16,
} from './index.js';

const W = 1 / 16;
const BUILT_IN = ['alexnet', 'googlenet', 'resnet18', 'resnet34', 'resnet50', 'vgg16', 'vgg19'];

function names(model: tfl.LayersModel): string[] {
  return model.layers.map((l) => l.name);
}

/** Expected thrown error: class, argument and part of the message. */
async function rejects(promise: Promise<unknown>, argument: string, message: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidArgumentError);
  expect((error as InvalidArgumentError).argument).toBe(argument);
  expect((error as Error).message).toContain(message);
}

describe('backbone registry', () => {
  beforeAll(() => useBackend('cpu'));

  it('lists the built-in backbones and builds them by name', async () => {
    expect(listBackbones()).toEqual(BUILT_IN);
    const model = await createBackbone('resnet18', {
      inputShape: [32, 32, 3],
      widthMultiplier: W,
      name: 'mine',
    });
    expect(model.name).toBe('mine');
    expect(model.getLayer('conv5_block2_out')).toBeDefined();
    // torchvision's batch-norm momentum (0.1 in PyTorch's convention).
    expect((model.getLayer('conv2_block1_1_bn').getConfig() as { momentum: number }).momentum).toBe(0.9);
    model.dispose();
  });

  it('throws UnknownArchitectureError listing the valid names', async () => {
    const error = (() => {
      try {
        createBackbone('resnet51');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(UnknownArchitectureError);
    expect((error as UnknownArchitectureError).available).toEqual(BUILT_IN);
    expect((error as Error).message).toBe(
      "Unknown architecture 'resnet51'. Valid names: alexnet, googlenet, resnet18, resnet34, resnet50, vgg16, vgg19.",
    );
  });

  it('registers a new builder, refuses built-in names and silent overwrites', async () => {
    const builder = (args = {}) => vgg16({ ...args, widthMultiplier: W });
    registerBackbone('tiny_vgg', builder);
    expect(listBackbones()).toContain('tiny_vgg');
    const model = await createBackbone('tiny_vgg', { inputShape: [32, 32, 3], classes: 2 });
    expect(model.getLayer('block1_conv1').getWeights()[0]!.shape).toEqual([3, 3, 3, 4]);
    model.dispose();
    expect(() => registerBackbone('tiny_vgg', builder)).toThrow("'tiny_vgg' is already registered");
    registerBackbone('tiny_vgg', builder, { overwrite: true });
    expect(() => registerBackbone('vgg16', builder, { overwrite: true })).toThrow(InvalidArgumentError);
    expect(() => registerBackbone('', builder)).toThrow(InvalidArgumentError);
  });
});

describe('backbone arguments', () => {
  beforeAll(() => useBackend('cpu'));

  // Smallest input of each architecture: one pixel less throws before building, the minimum builds.
  const MINIMUM: [BackboneName, number, object][] = [
    ['vgg16', 32, {}],
    ['vgg19', 32, {}],
    ['resnet18', 32, {}],
    ['resnet34', 32, {}],
    ['resnet50', 32, {}],
    // conv1 (11×11/4, pad 2) then three 3×3/2 pools: 63 → 15 → 7 → 3 → 1.
    ['alexnet', 63, {}],
    // conv1 (7×7/2, pad 3) then ceil-mode 3×3/2 pools: 31 → 16 → 8 → 4 → 2, and pool4 needs 2.
    ['googlenet', 31, {}],
    // The auxiliary heads' 5×5 pool needs 5 pixels after pool3: 79 → 40 → 20 → 10 → 5.
    ['googlenet', 79, { auxLogits: true }],
  ];
  for (const [name, min, extra] of MINIMUM) {
    it(`${name}${'auxLogits' in extra ? ' (auxLogits)' : ''}: inputs below ${min}×${min} throw, ${min}×${min} builds`, async () => {
      await rejects(
        createBackbone(name, { inputShape: [min - 1, 64 + min, 3], widthMultiplier: W, ...extra }),
        'inputShape',
        `${name}: inputShape must be at least ${min}×${min} pixels, but got [${min - 1},${64 + min},3].`,
      );
      const model = await createBackbone(name, { inputShape: [min, min, 3], widthMultiplier: W, ...extra });
      const x = tinyBatch(1, min);
      const y = model.predict(x) as tf.Tensor | tf.Tensor[];
      for (const t of [y].flat()) expect(t.shape).toEqual([1, 1000]);
      tf.dispose([x, y]);
      model.dispose();
    });
  }

  it('rejects invalid values, naming the argument', async () => {
    const shape: [number, number, number] = [32, 32, 3];
    await rejects(
      vgg16({ inputShape: [32, 32] as unknown as [number, number, number] }),
      'inputShape',
      'vgg16: inputShape must be [height, width, channels]',
    );
    await rejects(vgg16({ inputShape: [32, 32.5, 3] }), 'inputShape', 'positive integers');
    await rejects(
      resnet18({ inputShape: shape, classes: 0 }),
      'classes',
      'resnet18: classes must be a positive integer, but got 0.',
    );
    await rejects(
      resnet18({ inputShape: shape, pooling: 'mean' as 'avg' }),
      'pooling',
      `pooling must be 'avg', 'max' or null, but got "mean"`,
    );
    await rejects(
      resnet18({ inputShape: shape, classifierActivation: 'relu' as 'linear' }),
      'classifierActivation',
      'but got "relu"',
    );
    await rejects(
      resnet18({ inputShape: shape, widthMultiplier: 0 }),
      'widthMultiplier',
      'finite number > 0',
    );
    await rejects(
      resnet18({ inputShape: shape, includeTop: 'no' as unknown as boolean }),
      'includeTop',
      'must be a boolean',
    );
    await rejects(resnet18({ inputShape: shape, name: '' }), 'name', 'non-empty string');
    await rejects(
      googlenet({ inputShape: [96, 96, 3], auxLogits: true, includeTop: false }),
      'auxLogits',
      'needs includeTop: true',
    );
  });

  it('with weights: needs RGB, and a flatten-based top needs 224 × 224 unless skipMismatch', async () => {
    const source = await resnet18({ inputShape: [32, 32, 3], widthMultiplier: W });
    await rejects(
      resnet18({ inputShape: [32, 32, 1], weights: source }),
      'inputShape',
      'must have 3 channels when weights are given',
    );
    await rejects(
      vgg16({ inputShape: [64, 64, 3], weights: source }),
      'inputShape',
      'with includeTop and weights, inputShape must be [224, 224, 3]',
    );
    await rejects(
      alexnet({ inputShape: [64, 64, 3], weights: source }),
      'inputShape',
      'alexnet: with includeTop and weights',
    );
    // Without weights any channel count works (e.g. a green-channel input).
    const grey = await resnet18({ inputShape: [32, 32, 1], widthMultiplier: W });
    expect(grey.getLayer('conv1_conv').getWeights()[0]!.shape).toEqual([7, 7, 1, 4]);
    grey.dispose();
    source.dispose();
  });

  it('pooling and top: output shapes; pooling is ignored with the top; classifierActivation', async () => {
    const shapes: Record<string, (number | null)[]> = {};
    for (const [key, args] of [
      ['none', { includeTop: false }],
      ['avg', { includeTop: false, pooling: 'avg' }],
      ['max', { includeTop: false, pooling: 'max' }],
      ['top', { pooling: 'max', classes: 7 }],
    ] as const) {
      const m = await resnet50({ inputShape: [64, 96, 3], widthMultiplier: W, ...args });
      shapes[key] = m.outputs[0]!.shape;
      if (key === 'avg') expect(names(m).at(-1)).toBe('avg_pool');
      if (key === 'max') expect(names(m).at(-1)).toBe('max_pool');
      if (key === 'top') expect(names(m).slice(-2)).toEqual(['avg_pool', 'predictions']);
      m.dispose();
    }
    expect(shapes).toEqual({ none: [null, 2, 3, 128], avg: [null, 128], max: [null, 128], top: [null, 7] });
    for (const [activation, expected] of [
      [undefined, 'softmax'],
      ['sigmoid', 'sigmoid'],
      [null, 'linear'],
      ['linear', 'linear'],
    ] as const) {
      const m = await googlenet({
        inputShape: [32, 32, 3],
        widthMultiplier: W,
        classifierActivation: activation,
      });
      expect((m.getLayer('predictions').getConfig() as { activation: string }).activation).toBe(expected);
      m.dispose();
    }
  });
});

describe('layer names', () => {
  beforeAll(() => useBackend('cpu'));

  it("VGG-16: keras.applications' names in order", async () => {
    const model = await vgg16({ inputShape: [32, 32, 3], widthMultiplier: W });
    const blocks = [2, 2, 3, 3, 3].flatMap((n, b) => [
      ...Array.from({ length: n }, (_, c) => `block${b + 1}_conv${c + 1}`),
      `block${b + 1}_pool`,
    ]);
    expect(names(model)).toEqual(['input_1', ...blocks, 'flatten', 'fc1', 'fc2', 'predictions']);
    model.dispose();
  });

  it("ResNet-50: keras.applications' 177 layer names", async () => {
    const model = await resnet50({ inputShape: [32, 32, 3], widthMultiplier: W });
    const expected = [
      'input_1',
      'conv1_pad',
      'conv1_conv',
      'conv1_bn',
      'conv1_relu',
      'pool1_pad',
      'pool1_pool',
    ];
    [3, 4, 6, 3].forEach((blocks, s) => {
      for (let b = 1; b <= blocks; b++) {
        const n = `conv${s + 2}_block${b}`;
        if (b === 1) expected.push(`${n}_0_conv`, `${n}_0_bn`);
        for (const i of [1, 2, 3])
          expected.push(`${n}_${i}_conv`, `${n}_${i}_bn`, ...(i < 3 ? [`${n}_${i}_relu`] : []));
        expected.push(`${n}_add`, `${n}_out`);
      }
    });
    expected.push('avg_pool', 'predictions');
    expect(expected).toHaveLength(177);
    expect([...names(model)].sort()).toEqual([...expected].sort());
    const bn = model.getLayer('conv3_block1_1_bn').getConfig() as { epsilon: number; momentum: number };
    expect(bn.epsilon).toBe(1.001e-5);
    expect(bn.momentum).toBe(0.99); // Keras's default; the torchvision nets use PyTorch's (0.9 here)
    // Stride 2 on the first 1×1 convolution of the block (and on the projection), as Keras's ResNet v1.
    expect((model.getLayer('conv3_block1_1_conv').getConfig() as { strides: number[] }).strides).toEqual([
      2, 2,
    ]);
    expect((model.getLayer('conv3_block1_0_conv').getConfig() as { strides: number[] }).strides).toEqual([
      2, 2,
    ]);
    expect((model.getLayer('conv3_block1_2_conv').getConfig() as { strides: number[] }).strides).toEqual([
      1, 1,
    ]);
    model.dispose();
  });

  it('ResNet-18: the Keras naming scheme on basic blocks, projections only where the shape changes', async () => {
    const model = await resnet18({ inputShape: [32, 32, 3], widthMultiplier: W });
    const all = names(model);
    expect(all.filter((n) => n.endsWith('_0_conv'))).toEqual([
      'conv3_block1_0_conv',
      'conv4_block1_0_conv',
      'conv5_block1_0_conv',
    ]);
    expect(all.filter((n) => n.endsWith('_out'))).toEqual(
      [2, 3, 4, 5].flatMap((s) => [`conv${s}_block1_out`, `conv${s}_block2_out`]),
    );
    expect(all.filter((n) => n.endsWith('_1_pad'))).toEqual([
      'conv3_block1_1_pad',
      'conv4_block1_1_pad',
      'conv5_block1_1_pad',
    ]);
    // input, stem (6), 8 blocks × (two conv/bn, one relu, add, out), 3 projections (conv, bn), 3 pads, avg_pool, predictions.
    expect(all).toHaveLength(1 + 6 + 8 * 7 + 3 * 2 + 3 + 2);
    model.dispose();
  });
});

describe('weights', () => {
  beforeAll(() => useBackend('cpu'));

  it('loads a source model by layer name: same predictions; a new head needs skipMismatch', async () => {
    const args = { inputShape: [32, 32, 3] as [number, number, number], widthMultiplier: W, classes: 4 };
    const source = await resnet18(args);
    const copy = await resnet18({ ...args, weights: source });
    const x = tinyBatch(2, 32);
    const [a, b] = [source.predict(x) as tf.Tensor, copy.predict(x) as tf.Tensor];
    expect(await maxAbsDiff(a, b)).toBe(0);
    await expect(resnet18({ ...args, classes: 2, weights: source })).rejects.toThrow(WeightsMismatchError);
    const newHead = await resnet18({ ...args, classes: 2, weights: source, skipMismatch: true });
    const conv = async (m: tfl.LayersModel) => m.getLayer('conv5_block2_2_conv').getWeights()[0]!.data();
    expect(await conv(newHead)).toEqual(await conv(source));
    tf.dispose([x, a, b]);
    for (const m of [source, copy, newHead]) m.dispose();
  });
});
