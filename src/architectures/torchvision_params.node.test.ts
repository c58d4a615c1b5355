import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import reference from '../../test/fixtures/architectures/torchvision_counts.json';
import { trainableCount } from '../../test/support/architectures_tiny.js';
import { useBackend } from '../../test/support/backends.js';
import { alexnet, googlenet, resnet18, resnet34 } from './index.js';

// Counts from torchvision (scripts/fixtures/make_architectures_fixtures.py): its parameters are our trainable
// weights; batch-norm running statistics are buffers there and non-trainable weights here.
const CASES: [keyof typeof reference.models, () => Promise<tfl.LayersModel>][] = [
  ['alexnet', () => alexnet()],
  ['googlenet', () => googlenet()],
  ['googlenet_aux', () => googlenet({ auxLogits: true })],
  ['resnet18', () => resnet18()],
  ['resnet34', () => resnet34()],
];

describe('parameter counts equal torchvision (full size, 1000 classes, cpu)', () => {
  beforeAll(() => useBackend('cpu'));

  for (const [name, build] of CASES) {
    const want = reference.models[name];
    it(`${name}: ${want.parameters} trainable + ${want.batchNormStatistics} batch-norm statistics`, async () => {
      const model = await build();
      expect(trainableCount(model)).toBe(want.parameters);
      expect(model.countParams()).toBe(want.parameters + want.batchNormStatistics);
      model.dispose();
    });
  }
});
