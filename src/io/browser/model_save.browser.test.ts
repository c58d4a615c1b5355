import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import expected from '../../../test/fixtures/weights/expected.json';
import { describeEachBackend } from '../../../test/support/backends.js';
import { weightsFixtureBytes } from '../../../test/support/weights_fixtures.js';
import { resnetTiny } from '../../../test/support/weights_nets.js';
import { InvalidArgumentError } from '../../errors.js';
import { loadWeights } from '../../weights/load_weights.js';
import { ModelIOError } from '../../weights/weights_errors.js';
import { loadModel, saveModel } from './model_save.js';

async function bits(t: tf.Tensor): Promise<number[]> {
  return Array.from(new Uint32Array(((await t.data()) as Float32Array).slice().buffer));
}

async function predictBits(model: tfl.LayersModel): Promise<number[]> {
  const x = tf.tensor4d(expected.resnet.input);
  const y = model.predict(x) as tf.Tensor;
  const out = await bits(y);
  tf.dispose([x, y]);
  return out;
}

describeEachBackend('saveModel / loadModel (IndexedDB)', (backend) => {
  it('round-trips a BN ResNet bit for bit through indexeddb://', async () => {
    const model = resnetTiny();
    await loadWeights(model, await weightsFixtureBytes('resnet'));
    const url = `indexeddb://fundus-kit-test-${backend}`;
    const result = await saveModel(model, url);
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(model.countParams() * 4);
    const again = await loadModel(url);
    expect(again.weights.map((w) => w.originalName)).toEqual(model.weights.map((w) => w.originalName));
    for (let i = 0; i < model.weights.length; i++) {
      expect(await bits(again.weights[i]!.read()), model.weights[i]!.originalName).toEqual(
        await bits(model.weights[i]!.read()),
      );
    }
    expect(await predictBits(again)).toEqual(await predictBits(model));
    await tf.io.removeModel(url);
    model.dispose();
    again.dispose();
  });

  it('fails with typed errors: no scheme, nothing stored', async () => {
    const model = resnetTiny();
    const noScheme = await saveModel(model, 'models/x').catch((e: unknown) => e);
    expect(noScheme).toBeInstanceOf(InvalidArgumentError);
    expect((noScheme as InvalidArgumentError).argument).toBe('location');
    const missing = await loadModel(`indexeddb://fundus-kit-absent-${backend}`).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ModelIOError);
    expect((missing as ModelIOError).location).toBe(`indexeddb://fundus-kit-absent-${backend}`);
    model.dispose();
  });
});
