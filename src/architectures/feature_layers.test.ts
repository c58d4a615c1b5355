import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../test/support/backends.js';
import { InvalidArgumentError } from '../errors.js';
import { alexnet, featureLayers, googlenet, resnet18, resnet50, vgg16, vgg19 } from './index.js';

const W = 1 / 16;

function summary(model: tfl.LayersModel): [string, number, number, (number | null)[]][] {
  return featureLayers(model).map((f) => [f.name, f.channels, f.stride, f.shape]);
}

describe('featureLayers', () => {
  beforeAll(() => useBackend('cpu'));

  it('VGG: pooled blocks 1-4 then the last convolution; at 64 px each map is 64 / stride wide', async () => {
    const v16 = await vgg16({ inputShape: [64, 64, 3], widthMultiplier: W, includeTop: false });
    expect(summary(v16)).toEqual([
      ['block1_pool', 4, 2, [32, 32, 4]],
      ['block2_pool', 8, 4, [16, 16, 8]],
      ['block3_pool', 16, 8, [8, 8, 16]],
      ['block4_pool', 32, 16, [4, 4, 32]],
      ['block5_conv3', 32, 16, [4, 4, 32]],
    ]);
    v16.dispose();
    const v19 = await vgg19({ inputShape: [32, 32, 3], widthMultiplier: W });
    expect(featureLayers(v19).at(-1)!.name).toBe('block5_conv4');
    v19.dispose();
  });

  it('ResNet: stem and the last block of each stage (ResNet-18 and ResNet-50)', async () => {
    const r18 = await resnet18({ inputShape: [64, 64, 3], widthMultiplier: W });
    expect(summary(r18)).toEqual([
      ['conv1_relu', 4, 2, [32, 32, 4]],
      ['conv2_block2_out', 4, 4, [16, 16, 4]],
      ['conv3_block2_out', 8, 8, [8, 8, 8]],
      ['conv4_block2_out', 16, 16, [4, 4, 16]],
      ['conv5_block2_out', 32, 32, [2, 2, 32]],
    ]);
    r18.dispose();
    const r50 = await resnet50({
      inputShape: [64, 64, 3],
      widthMultiplier: W,
      includeTop: false,
      pooling: 'avg',
    });
    expect(featureLayers(r50).map((f) => [f.name, f.channels])).toEqual([
      ['conv1_relu', 4],
      ['conv2_block3_out', 16],
      ['conv3_block4_out', 32],
      ['conv4_block6_out', 64],
      ['conv5_block3_out', 128],
    ]);
    r50.dispose();
  });

  it('GoogLeNet and AlexNet', async () => {
    const g = await googlenet({ inputShape: [64, 64, 3], widthMultiplier: W });
    // Channels: sums of the four scaled branches (e.g. 5b: 24 + 24 + 8 + 8).
    expect(summary(g)).toEqual([
      ['conv1_relu', 4, 2, [32, 32, 4]],
      ['conv3_relu', 12, 4, [16, 16, 12]],
      ['inception3b_out', 8 + 12 + 6 + 4, 8, [8, 8, 30]],
      ['inception4e_out', 16 + 20 + 8 + 8, 16, [4, 4, 52]],
      ['inception5b_out', 24 + 24 + 8 + 8, 32, [2, 2, 64]],
    ]);
    g.dispose();
    const a = await alexnet({ inputShape: [224, 224, 3], widthMultiplier: W, includeTop: false });
    expect(summary(a)).toEqual([
      ['conv1', 4, 4, [55, 55, 4]],
      ['conv2', 12, 8, [27, 27, 12]],
      ['conv5', 16, 16, [13, 13, 16]],
    ]);
    a.dispose();
  });

  it('finds backbones nested in a larger model (an ensemble of two), with their paths', async () => {
    const a = await vgg19({ inputShape: [32, 32, 3], widthMultiplier: W, includeTop: false, pooling: 'avg' });
    const b = await resnet50({
      inputShape: [32, 32, 3],
      widthMultiplier: W,
      includeTop: false,
      pooling: 'avg',
    });
    const input = tfl.input({ shape: [32, 32, 3] });
    const joined = tfl.layers.concatenate().apply([a.apply(input), b.apply(input)] as tfl.SymbolicTensor[]);
    const out = tfl.layers.dense({ units: 2 }).apply(joined) as tfl.SymbolicTensor;
    const ensemble = tfl.model({ inputs: input, outputs: out });
    const found = featureLayers(ensemble);
    expect(found.map((f) => `${f.path.join('/')}/${f.name}`)).toEqual([
      'vgg19/block1_pool',
      'vgg19/block2_pool',
      'vgg19/block3_pool',
      'vgg19/block4_pool',
      'vgg19/block5_conv4',
      'resnet50/conv1_relu',
      'resnet50/conv2_block3_out',
      'resnet50/conv3_block4_out',
      'resnet50/conv4_block6_out',
      'resnet50/conv5_block3_out',
    ]);
    expect(found[4]!.layer).toBe(a.getLayer('block5_conv4'));
    ensemble.dispose();
  });

  it('throws when the model has no known backbone', () => {
    const input = tfl.input({ shape: [8, 8, 3] });
    const model = tfl.model({
      inputs: input,
      outputs: tfl.layers.flatten().apply(input) as tfl.SymbolicTensor,
      name: 'plain',
    });
    expect(() => featureLayers(model)).toThrow(InvalidArgumentError);
    expect(() => featureLayers(model)).toThrow(
      "featureLayers: model 'plain' contains no backbone with known feature layers",
    );
  });
});
