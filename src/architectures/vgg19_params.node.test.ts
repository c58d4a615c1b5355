import { beforeAll, describe, expect, it } from 'vitest';
import { trainableCount } from '../../test/support/architectures_tiny.js';
import { useBackend } from '../../test/support/backends.js';
import { vgg19 } from './index.js';

// keras.applications' published totals (Keras `model.summary()`; VGG has no batch norm, so all are trainable).
const TOP = 143_667_240;
const NOTOP = 20_024_384;

describe('VGG-19 parameter counts equal keras.applications (full size, cpu; one file per model so the two builds run in parallel)', () => {
  beforeAll(() => useBackend('cpu'));

  it(`vgg19: ${TOP} with the top, ${NOTOP} without`, async () => {
    const full = await vgg19();
    expect(full.countParams()).toBe(TOP);
    expect(trainableCount(full)).toBe(TOP);
    expect(full.outputs[0]!.shape).toEqual([null, 1000]);
    full.dispose();
    const notop = await vgg19({ includeTop: false });
    expect(notop.countParams()).toBe(NOTOP);
    expect(notop.outputs[0]!.shape).toEqual([null, 7, 7, 512]);
    notop.dispose();
  });
});
