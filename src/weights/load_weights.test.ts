import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import expected from '../../test/fixtures/weights/expected.json';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { weightsFixtureBytes, weightsFixturePath } from '../../test/support/weights_fixtures.js';
import { nestedClassifier, resnetTiny, vggTiny } from '../../test/support/weights_nets.js';
import { InvalidArgumentError } from '../errors.js';
import { loadWeights } from './load_weights.js';
import { WeightsFormatError, WeightsMismatchError } from './weights_errors.js';

/** Largest |actual − expected| / |expected| over a prediction; the reference ran in float64 (PyTorch). */
async function relativeError(
  model: tfl.LayersModel,
  input: number[][][][],
  want: number[][],
): Promise<number> {
  const x = tf.tensor4d(input);
  const y = model.predict(x) as tf.Tensor;
  const got = (await y.array()) as number[][];
  tf.dispose([x, y]);
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (const [i, row] of got.entries()) {
    for (const [j, v] of row.entries()) {
      worst = Math.max(worst, Math.abs(v - want[i]![j]!) / Math.abs(want[i]![j]!));
    }
  }
  return worst;
}

async function predictions(model: tfl.LayersModel, input: number[][][][]): Promise<Float32Array> {
  const x = tf.tensor4d(input);
  const y = model.predict(x) as tf.Tensor;
  const data = (await y.data()) as Float32Array;
  tf.dispose([x, y]);
  return data;
}

async function weightValues(model: tfl.LayersModel, layer: string, index: number): Promise<number[]> {
  return Array.from(await model.getLayer(layer).getWeights()[index]!.data());
}

const TOLERANCE = 1e-4;

describeEachBackend('loadWeights', () => {
  it('loads a tf.keras 2 .h5 (path or URL) into a VGG-like net: output matches the PyTorch reference to 1e-4', async () => {
    const model = vggTiny();
    const report = await expectNoLeaks(async () => loadWeights(model, await weightsFixturePath('vgg')));
    expect(report.format).toBe('keras-h5');
    expect(report.loaded).toEqual(['block1_conv1', 'block1_conv2', 'block2_conv1', 'fc1', 'predictions']);
    expect(report.skipped).toEqual([]);
    expect(await relativeError(model, expected.vgg.input, expected.vgg.output)).toBeLessThan(TOLERANCE);
    model.dispose();
  });

  it('matches weights by name, not position: Keras 1 names (`_W_1:0`, `_b_1:0`) listed bias first', async () => {
    const model = vggTiny();
    await loadWeights(model, await weightsFixtureBytes('vggLegacy'));
    expect(await relativeError(model, expected.vgg.input, expected.vgg.output)).toBeLessThan(TOLERANCE);
    expect(await weightValues(model, 'block1_conv1', 1)).toEqual(
      Array.from(Float32Array.from(expected.weights.vggBlock1Conv1Bias)),
    );
    model.dispose();
  });

  it('loads a ResNet-like net with BN (weights listed out of order), a skip connection and strided "same" convs', async () => {
    const model = resnetTiny();
    const bytes = await weightsFixtureBytes('resnet');
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const report = await loadWeights(model, buffer);
    expect(report.loaded).toHaveLength(13);
    expect(await relativeError(model, expected.resnet.input, expected.resnet.output)).toBeLessThan(TOLERANCE);
    expect(await weightValues(model, 'conv1_bn', 3)).toEqual(
      Array.from(Float32Array.from(expected.weights.resnetConv1BnMovingVariance)),
    );
    model.dispose();
  });

  it('reads a Keras 3 .weights.h5 (layers/<name>/vars/<i>, by position)', async () => {
    const model = resnetTiny();
    const report = await loadWeights(model, await weightsFixtureBytes('resnetKeras3'));
    expect(report.format).toBe('keras3-h5');
    expect(await relativeError(model, expected.resnet.input, expected.resnet.output)).toBeLessThan(TOLERANCE);
    model.dispose();
  });

  it('reads a full-model .h5 (/model_weights) whose backbone is a nested model', async () => {
    const model = nestedClassifier();
    const report = await loadWeights(model, await weightsFixturePath('resnetModel'));
    expect(report.loaded).toContain('resnet_tiny/conv2_block1_3_bn');
    expect(report.loaded.at(-1)).toBe('head');
    expect(report.loaded).toHaveLength(13);
    expect(await relativeError(model, expected.resnet.input, expected.nested.output)).toBeLessThan(TOLERANCE);
    model.dispose();
  });

  it('with skipMismatch, loads a flat file into a nested backbone and reports the new head and the unused top', async () => {
    const model = nestedClassifier();
    const headBefore = await weightValues(model, 'head', 0);
    const report = await loadWeights(model, await weightsFixtureBytes('resnet'), { skipMismatch: true });
    expect(report.loaded).toHaveLength(12);
    expect(report.loaded[0]).toBe('resnet_tiny/conv1_conv');
    expect(report.skipped.map((s) => s.layer)).toEqual(['head', 'predictions']);
    expect(report.skipped[0]!.reason).toBe('head: not in the source (model [6,2] [2])');
    expect(report.skipped[1]!.reason).toBe('predictions: not in the model (source [6,3] [3])');
    const backbone = model.getLayer('resnet_tiny') as tfl.LayersModel;
    expect(await weightValues(backbone, 'conv1_bn', 3)).toEqual(
      Array.from(Float32Array.from(expected.weights.resnetConv1BnMovingVariance)),
    );
    expect(await weightValues(model, 'head', 0)).toEqual(headBefore);
    model.dispose();
  });

  it('throws WeightsMismatchError listing missing, extra and mis-shaped layers, and changes nothing', async () => {
    const model = vggTiny();
    const before = await weightValues(model, 'block1_conv1', 1);
    const source = await weightsFixturePath('vggMismatch');
    const error = await loadWeights(model, source).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeightsMismatchError);
    const e = error as WeightsMismatchError;
    expect(e.missing).toEqual([{ kind: 'missing', layer: 'fc1', expected: [[24, 8], [8]], actual: [] }]);
    expect(e.unexpected).toEqual([
      { kind: 'unexpected', layer: 'block3_conv1', expected: [], actual: [[3, 3, 6, 6], [6]] },
    ]);
    expect(e.mismatched.map((m) => [m.layer, m.weight, m.expected[0], m.actual[0]])).toEqual([
      ['block2_conv1', 'kernel', [3, 3, 4, 6], [3, 3, 4, 5]],
      ['block2_conv1', 'bias', [6], [5]],
      ['predictions', 'kernel', [8, 3], [8, 5]],
      ['predictions', 'bias', [3], [5]],
    ]);
    expect(e.message).toContain('block2_conv1 kernel: model [3,3,4,6], source [3,3,4,5]');
    expect(e.message).toContain('fc1: not in the source');
    expect(e.message).toContain('block3_conv1: not in the model');
    expect(await weightValues(model, 'block1_conv1', 1)).toEqual(before);
    model.dispose();
  });

  it('with skipMismatch, loads the layers that fit and reports the others', async () => {
    const model = vggTiny();
    const report = await loadWeights(model, await weightsFixtureBytes('vggMismatch'), { skipMismatch: true });
    expect(report.loaded).toEqual(['block1_conv1', 'block1_conv2']);
    expect(report.skipped.map((s) => s.layer)).toEqual([
      'block2_conv1',
      'fc1',
      'predictions',
      'block3_conv1',
    ]);
    expect(report.skipped[0]!.reason).toBe(
      'block2_conv1 kernel: model [3,3,4,6], source [3,3,4,5]; block2_conv1 bias: model [6], source [5]',
    );
    expect(report.mismatches).toHaveLength(6);
    expect(await weightValues(model, 'block1_conv1', 1)).toEqual(
      Array.from(Float32Array.from(expected.weights.vggBlock1Conv1Bias)),
    );
    model.dispose();
  });

  it('copies from a loaded tf.LayersModel and from a tf.io.IOHandler, bit for bit', async () => {
    const source = vggTiny();
    await loadWeights(source, await weightsFixtureBytes('vgg'));
    const want = await predictions(source, expected.vgg.input);

    // The copy shares the source's buffers (reference-counted), so only the tensor count must stay put.
    const fromModel = vggTiny();
    const tensors = tf.memory().numTensors;
    expect((await loadWeights(fromModel, source)).format).toBe('tfjs');
    expect(tf.memory().numTensors).toBe(tensors);

    let artifacts: tf.io.ModelArtifacts | undefined;
    await source.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const fromHandler = vggTiny();
    const report = await expectNoLeaks(() => loadWeights(fromHandler, tf.io.fromMemory(artifacts!)));
    expect(report.loaded).toHaveLength(5);
    expect(await predictions(fromHandler, expected.vgg.input)).toEqual(want);
    source.dispose(); // the copies keep their weights
    expect(await predictions(fromModel, expected.vgg.input)).toEqual(want);
    fromModel.dispose();
    fromHandler.dispose();
  });

  it('rejects what it cannot read with typed errors naming the argument', async () => {
    const model = vggTiny();
    await expect(loadWeights(model, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).rejects.toThrow(
      WeightsFormatError,
    );
    await expect(loadWeights(model, new Uint8Array(16))).rejects.toThrow(/not an HDF5 file/);
    await expect(loadWeights(model, 'model.keras')).rejects.toThrow(
      /'.keras' archive, which is not supported/,
    );
    const bad = await loadWeights(null as unknown as tfl.LayersModel, 'x.h5').catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidArgumentError);
    expect((bad as InvalidArgumentError).argument).toBe('model');
    const badSource = await loadWeights(model, 42 as unknown as string).catch((e: unknown) => e);
    expect((badSource as InvalidArgumentError).argument).toBe('source');
    expect((badSource as Error).message).toBe(
      'loadWeights: source must be a path or URL, the bytes of an .h5 file, a tf.io.IOHandler or a tf.LayersModel, but got number 42.',
    );
    const badFlag = await loadWeights(model, 'x.h5', { skipMismatch: 'yes' as unknown as boolean }).catch(
      (e: unknown) => e,
    );
    expect((badFlag as InvalidArgumentError).argument).toBe('skipMismatch');
    model.dispose();
  });

  it('rejects an HDF5 file that is not in a Keras layout', async () => {
    const h5 = await import('h5wasm');
    await h5.ready;
    h5.FS!.writeFile('/not_keras.h5', new Uint8Array(0));
    const f = new h5.File('/not_keras.h5', 'w');
    f.create_dataset({ name: 'data', data: new Float32Array([1, 2, 3]) });
    f.close();
    const bytes = h5.FS!.readFile('/not_keras.h5');
    h5.FS!.unlink('/not_keras.h5');
    const model = vggTiny();
    await expect(loadWeights(model, bytes)).rejects.toThrow(/not in a Keras layout.*Root holds: data/);
    model.dispose();
  });
});
