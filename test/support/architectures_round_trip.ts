import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import { featureLayers } from '../../src/architectures/index.js';
import { tinyBatch } from './architectures_tiny.js';

/** Whether two typed arrays hold the same bytes. */
function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * Saves `model` with `save`, loads it back with `load` and checks the copy is bit-exact: same layer names,
 * same weights value for value, same predictions, same feature endpoints.
 */
export async function expectBitExactRoundTrip(
  model: tfl.LayersModel,
  size: number,
  save: tf.io.IOHandler,
  load: tf.io.IOHandler,
): Promise<void> {
  await model.save(save);
  const copy = await tfl.loadLayersModel(load);
  try {
    expect(copy.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    const [a, b] = [model.getWeights(), copy.getWeights()];
    expect(b.map((w) => w.shape)).toEqual(a.map((w) => w.shape));
    for (let i = 0; i < a.length; i++) {
      expect(sameBytes(await b[i]!.data(), await a[i]!.data()), model.weights[i]!.originalName).toBe(true);
    }
    const x = tinyBatch(2, size, 3, 7);
    const [p, q] = [[model.predict(x)].flat(), [copy.predict(x)].flat()] as tf.Tensor[][];
    for (let i = 0; i < p!.length; i++) {
      expect(sameBytes(await q![i]!.data(), await p![i]!.data()), `output ${i}`).toBe(true);
    }
    expect(featureLayers(copy).map((f) => f.name)).toEqual(featureLayers(model).map((f) => f.name));
    tf.dispose([x, ...p!, ...q!]);
  } finally {
    copy.dispose();
  }
}
