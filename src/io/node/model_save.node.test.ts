import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import expected from '../../../test/fixtures/weights/expected.json';
import { describeEachBackend } from '../../../test/support/backends.js';
import { weightsFixtureBytes } from '../../../test/support/weights_fixtures.js';
import { resnetTiny } from '../../../test/support/weights_nets.js';
import type { InvalidArgumentError } from '../../errors.js';
import { loadWeights } from '../../weights/load_weights.js';
import { ModelIOError } from '../../weights/weights_errors.js';
import { fileSystemHandler } from './model_file_handler.js';
import { loadModel, saveModel } from './model_save.js';

/** Every weight as raw bits (so -0, NaN payloads and the last ulp all count). */
async function weightBits(model: tfl.LayersModel): Promise<{ name: string; bits: number[] }[]> {
  return Promise.all(
    model.weights.map(async (w) => ({
      name: w.originalName,
      bits: Array.from(new Uint32Array(((await w.read().data()) as Float32Array).slice().buffer)),
    })),
  );
}

async function predictBits(model: tfl.LayersModel): Promise<number[]> {
  const x = tf.tensor4d(expected.resnet.input);
  const y = model.predict(x) as tf.Tensor;
  const bits = Array.from(new Uint32Array(((await y.data()) as Float32Array).slice().buffer));
  tf.dispose([x, y]);
  return bits;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fundus-kit-model-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeEachBackend('saveModel / loadModel (file system)', (backend) => {
  it('round-trips a BN ResNet bit for bit through model.json + weights.bin', async () => {
    const model = resnetTiny();
    await loadWeights(model, await weightsFixtureBytes('resnet'));
    const folder = join(dir, backend, 'resnet');
    const result = await saveModel(model, folder);
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(model.countParams() * 4);
    expect((await readdir(folder)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(json.modelTopology.config.name).toBe('resnet_tiny');

    const again = await loadModel(folder);
    expect(again.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(await weightBits(again)).toEqual(await weightBits(model));
    expect(await predictBits(again)).toEqual(await predictBits(model));
    // The same files through model.json, a file:// URL and tf.io directly.
    const viaJson = await loadModel(`file://${folder}/model.json`);
    expect(await weightBits(viaJson)).toEqual(await weightBits(model));
    // loadWeights reads a model.json path too.
    const fresh = resnetTiny();
    const report = await loadWeights(fresh, join(folder, 'model.json'));
    expect(report.format).toBe('tfjs');
    expect(report.loaded).toHaveLength(13);
    expect(await predictBits(fresh)).toEqual(await predictBits(model));
    for (const m of [model, again, viaJson, fresh]) m.dispose();
  });

  it('writes a format tfjs reads back through a plain IOHandler, and the optimizer on request', async () => {
    const model = resnetTiny();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const x = tf.tensor4d(expected.resnet.input);
    const y = tf.tensor2d([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    tf.dispose([x, y]);
    const folder = join(dir, backend, 'trained');
    // tfjs-layers 4.22's save({includeOptimizer}) leaks the optimizer's `iter` scalar (Optimizer.saveIterations
    // makes a fresh tensor nobody disposes); a scope collects it here, where nothing else runs concurrently.
    tf.engine().startScope();
    await model.save(fileSystemHandler(folder), { includeOptimizer: true });
    tf.engine().endScope();
    const artifacts = await fileSystemHandler(folder).load!();
    expect(artifacts.weightSpecs!.map((s) => s.name)).toContain('conv1_conv/kernel');
    expect(artifacts.weightSpecs!.some((s) => s.group === 'optimizer')).toBe(true);
    const again = await loadModel(folder);
    expect(await predictBits(again)).toEqual(await predictBits(model));
    // tfjs compiles the reloaded model from model.json's trainingConfig with an optimizer it does not own.
    expect(again.optimizer).not.toBeNull();
    model.dispose();
    again.optimizer.dispose();
    again.dispose();
  });

  it('fails with typed errors naming the location', async () => {
    const missing = await loadModel(join(dir, 'nothing-here')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ModelIOError);
    expect((missing as ModelIOError).location).toBe(join(dir, 'nothing-here'));
    const file = join(dir, `${backend}-a-file`);
    await writeFile(file, 'x');
    const model = resnetTiny();
    await expect(saveModel(model, file)).rejects.toThrow(/exists and is not a folder/);
    await writeFile(join(dir, `${backend}-bad.json`), '{"no": "topology"}');
    await expect(loadModel(join(dir, `${backend}-bad.json`))).rejects.toThrow(/not a TF.js model.json/);
    const badLocation = await saveModel(model, '').catch((e: unknown) => e);
    expect((badLocation as InvalidArgumentError).argument).toBe('location');
    const badFlag = await loadModel(dir, { strict: 1 as unknown as boolean }).catch((e: unknown) => e);
    expect((badFlag as InvalidArgumentError).argument).toBe('strict');
    model.dispose();
  });
});
