import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { expectBitExactRoundTrip } from '../../test/support/architectures_round_trip.js';
import { TINY_SIZES, tinyArgs } from '../../test/support/architectures_tiny.js';
import { useBackend } from '../../test/support/backends.js';
import { type BackboneName, createBackbone, listBackbones } from './index.js';

describe('every backbone survives a save/load round trip through IndexedDB bit-exactly (cpu)', () => {
  beforeAll(() => useBackend('cpu'));

  for (const name of listBackbones() as BackboneName[]) {
    it(name, async () => {
      const model = await createBackbone(name, tinyArgs(name, { classes: 3 }));
      const url = `indexeddb://fundus-architectures-${name}`;
      const [save, load] = [tf.io.getSaveHandlers(url)[0]!, tf.io.getLoadHandlers(url)[0]!];
      await expectBitExactRoundTrip(model, TINY_SIZES[name], save, load);
      await tf.io.removeModel(url);
      model.dispose();
    });
  }
});
