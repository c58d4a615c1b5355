import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import reference from '../../test/fixtures/architectures/torchvision_topology.json';
import { describeEachBackend } from '../../test/support/backends.js';
import { alexnet, googlenet, resnet18 } from './index.js';

/**
 * Our ResNet-18, GoogLeNet and AlexNet against torchvision's wiring (scripts/fixtures/make_architectures_topology_fixtures.py):
 * the same narrow networks built from torchvision's own blocks, with PyTorch's weights copied in by layer name,
 * must give PyTorch's logits on a 45 × 45 batch — an odd size, where explicit symmetric padding and ceil-mode
 * pooling differ from TF's 'same' padding (AlexNet: 63 × 63, where pool5 is 1 × 1 so the flatten order cannot differ).
 */
interface Entry {
  shape: number[];
  offset: number;
}

async function blob(): Promise<Float32Array> {
  const bytes = await readFile(
    new URL('../../test/fixtures/architectures/torchvision_topology.bin', import.meta.url),
  );
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

function tensorAt(values: Float32Array, e: Entry): tf.Tensor {
  const size = e.shape.reduce((a, b) => a * b, 1);
  return tf.tensor(values.subarray(e.offset, e.offset + size), e.shape);
}

async function maxRelativeError(
  model: tfl.LayersModel,
  values: Float32Array,
  ref: { input: Entry; logits: number[][]; weights: Record<string, Entry[]> },
): Promise<number> {
  const withWeights = model.layers.filter((l) => l.weights.length > 0).map((l) => l.name);
  expect(withWeights.sort()).toEqual(Object.keys(ref.weights).sort());
  for (const [name, entries] of Object.entries(ref.weights)) {
    const tensors = entries.map((e) => tensorAt(values, e));
    model.getLayer(name).setWeights(tensors);
    tf.dispose(tensors);
  }
  const x = tensorAt(values, ref.input);
  const y = model.predict(x) as tf.Tensor;
  const got = (await y.array()) as number[][];
  tf.dispose([x, y]);
  const scale = Math.max(...ref.logits.flat().map(Math.abs));
  return Math.max(...got.flat().map((v, i) => Math.abs(v - ref.logits.flat()[i]!))) / scale;
}

describeEachBackend('torchvision topology: logits equal PyTorch on odd-sized inputs', () => {
  const args = {
    inputShape: [reference.size, reference.size, 3] as [number, number, number],
    widthMultiplier: reference.width,
    classes: reference.classes,
    classifierActivation: null,
  };
  // float32 in both; PyTorch sums in another order. Relative to the largest logit.
  const TOL = 1e-4;

  it('resnet18', async () => {
    const model = await resnet18(args);
    expect(await maxRelativeError(model, await blob(), reference.resnet18)).toBeLessThan(TOL);
    model.dispose();
  });

  it('googlenet', async () => {
    const model = await googlenet(args);
    expect(await maxRelativeError(model, await blob(), reference.googlenet)).toBeLessThan(TOL);
    model.dispose();
  });

  it('alexnet', async () => {
    const model = await alexnet({
      ...args,
      inputShape: [63, 63, 3],
      widthMultiplier: reference.alexnetWidth,
    });
    expect(await maxRelativeError(model, await blob(), reference.alexnet)).toBeLessThan(TOL);
    model.dispose();
  });
});
