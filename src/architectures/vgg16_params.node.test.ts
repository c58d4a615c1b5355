import { beforeAll, describe, expect, it } from 'vitest';
import { trainableCount } from '../../test/support/architectures_tiny.js';
import { useBackend } from '../../test/support/backends.js';
import { vgg16 } from './index.js';

// keras.applications' published totals (Keras `model.summary()`; VGG has no batch norm, so all are trainable).
const TOP = 138_357_544;
const NOTOP = 14_714_688;

describe('VGG-16 parameter counts equal keras.applications (full size, cpu; one file per model so the two builds run in parallel)', () => {
  beforeAll(() => useBackend('cpu'));

  it(`vgg16: ${TOP} with the top, ${NOTOP} without`, async () => {
    const full = await vgg16();
    expect(full.countParams()).toBe(TOP);
    expect(trainableCount(full)).toBe(TOP);
    expect(full.outputs[0]!.shape).toEqual([null, 1000]);
    full.dispose();
    const notop = await vgg16({ includeTop: false });
    expect(notop.countParams()).toBe(NOTOP);
    expect(notop.outputs[0]!.shape).toEqual([null, 7, 7, 512]);
    notop.dispose();
  });
});
