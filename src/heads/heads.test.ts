import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { tinyConvBackbone, tinyVectorBackbone } from '../../test/support/heads_models.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { coralLoss } from '../losses/coral_loss.js';
import { attachHead } from './attach_head.js';
import { binaryHead } from './binary_head.js';
import { CoralLogits } from './coral_logits.js';
import { decodeOrdinal } from './decode_ordinal.js';
import type { Head } from './head.js';
import { multiLabelHead } from './multi_label_head.js';
import { ordinalHead } from './ordinal_head.js';
import { ordinalLevels } from './ordinal_levels.js';
import { ordinalProbabilities } from './ordinal_probabilities.js';
import { registerHeadLayers } from './register_head_layers.js';
import { regressionHead } from './regression_head.js';
import { softmaxHead } from './softmax_head.js';

const heads = (): [Head, number, (out: number[][]) => void][] => [
  [
    softmaxHead({ classes: 3, name: 'cls', dropout: 0.2 }),
    3,
    (o) => {
      for (const r of o) expectSum(r, 1);
    },
  ],
  [binaryHead({ name: 'bin', hiddenUnits: 5 }), 1, (o) => o.flat().forEach(expectProbability)],
  [multiLabelHead({ classes: 4, name: 'ml' }), 4, (o) => o.flat().forEach(expectProbability)],
  [
    ordinalHead({ classes: 5, name: 'grade', hiddenUnits: 3, dropout: 0.1 }),
    4,
    (o) => o.flat().forEach(expectProbability),
  ],
  [regressionHead({ name: 'reg' }), 1, () => {}],
];

function expectSum(row: number[], total: number) {
  expect(row.reduce((a, b) => a + b)).toBeCloseTo(total, 5);
}
function expectProbability(v: number) {
  expect(v).toBeGreaterThanOrEqual(0);
  expect(v).toBeLessThanOrEqual(1);
}

async function roundTrip(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tfl.loadLayersModel(tf.io.fromMemory(saved!));
}

describeEachBackend('heads', () => {
  it('attach to 4-D and 2-D backbones, share their layers, expose logits and outputs, and reload identically', async () => {
    for (const makeBackbone of [tinyConvBackbone, tinyVectorBackbone]) {
      for (const [head, units, check] of heads()) {
        const backbone = makeBackbone();
        const model = attachHead(backbone, head);
        const label = `${head.kind} on ${backbone.name}`;
        expect(model.outputs[0]!.shape, label).toEqual([null, units]);
        expect(model.outputNames, label).toEqual([head.outputLayerName]);
        expect(model.getLayer(head.logitsLayerName).outputShape, label).toEqual([null, units]);
        for (const layer of backbone.layers) expect(model.getLayer(layer.name), label).toBe(layer);
        expect(
          model.layers.some((l) => l.name === `${head.name}_pool`),
          label,
        ).toBe(backbone.outputs[0]!.shape.length === 4);
        const x = tf.randomUniform(
          [2, ...(backbone.inputs[0]!.shape.slice(1) as number[])],
          -1,
          1,
          'float32',
          7,
        );
        const y = model.predict(x) as tf.Tensor;
        const values = (await y.array()) as number[][];
        check(values);
        // Save/load through tf.io on the conv backbone (the 2-D one adds nothing to serialisation).
        if (makeBackbone === tinyConvBackbone) {
          const reloaded = await roundTrip(model);
          const y2 = await expectNoLeaks(() => reloaded.predict(x) as tf.Tensor);
          expect(Array.from(await y2.data()), label).toEqual(Array.from(await y.data()));
          expect(reloaded.getLayer(head.logitsLayerName).getClassName(), label).toBe(
            head.kind === 'ordinal' ? 'CoralLogits' : 'Dense',
          );
          y2.dispose();
          reloaded.dispose();
        }
        tf.dispose([x, y]);
        model.dispose();
      }
    }
  });

  it('the logits layer output is the pre-activation of the output (softmax / sigmoid / identity)', async () => {
    for (const [head] of heads()) {
      const model = attachHead(tinyVectorBackbone(), head);
      const probe = tfl.model({
        inputs: model.inputs,
        outputs: model.getLayer(head.logitsLayerName).output as tfl.SymbolicTensor,
      });
      const x = tf.randomUniform([3, 5], -1, 1, 'float32', 3);
      const [out, logits] = [model.predict(x) as tf.Tensor, probe.predict(x) as tf.Tensor];
      const diff = tf.tidy(() => {
        const expected =
          head.kind === 'softmax'
            ? tf.softmax(logits)
            : head.kind === 'regression'
              ? logits
              : tf.sigmoid(logits);
        return tf.max(tf.abs(tf.sub(out, expected)));
      });
      expect(await diff.data().then((d) => d[0]), head.kind).toBeLessThan(1e-6);
      tf.dispose([x, out, logits, diff]);
      model.dispose();
    }
  });

  it('CoralLogits computes x·w + b_k with one shared w, serialises its config, and starts with decreasing biases', async () => {
    registerHeadLayers();
    registerHeadLayers(); // idempotent
    const input = tfl.input({ shape: [3] });
    const layer = new CoralLogits({ units: 4, name: 'coral' });
    const model = tfl.model({ inputs: input, outputs: layer.apply(input) as tfl.SymbolicTensor });
    const [kernel, bias] = layer.getWeights();
    expect(kernel!.shape).toEqual([3, 1]);
    Array.from(await bias!.data()).forEach((b, k) => {
      expect(b).toBeCloseTo([1, 1 / 3, -1 / 3, -1][k]!, 6);
    });
    const x = tf.tensor2d([[0.5, -1, 2]]);
    const w = Array.from(await kernel!.data());
    const dot = 0.5 * w[0]! - w[1]! + 2 * w[2]!;
    const prediction = model.predict(x) as tf.Tensor;
    const out = Array.from(await prediction.data());
    out.forEach((v, k) => {
      expect(v).toBeCloseTo(dot + [1, 1 / 3, -1 / 3, -1][k]!, 5);
    });
    expect(layer.getConfig()).toMatchObject({ units: 4, kernelInitializer: 'glorotUniform', name: 'coral' });
    expect(layer.computeOutputShape([null, 3])).toEqual([null, 4]);
    const json = JSON.parse(JSON.stringify(model.toJSON(null, false)));
    expect(JSON.stringify(json)).toContain('"class_name":"CoralLogits"');
    const rebuilt = await tfl.models.modelFromJSON({ modelTopology: json });
    rebuilt.setWeights(model.getWeights());
    const rebuiltPrediction = rebuilt.predict(x) as tf.Tensor;
    expect(Array.from(await rebuiltPrediction.data())).toEqual(out);
    tf.dispose([x, prediction, rebuiltPrediction]);
    model.dispose();
    rebuilt.dispose();
    expect(() => new CoralLogits({ units: 0 })).toThrow(InvalidArgumentError);
  });

  it('an ordinal head trained with coralLoss learns a 1-D ordinal problem and decodes to grades', async () => {
    const grades = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3];
    const x = tf.tensor2d(grades.map((g, i) => [g + ((i * 7) % 5) / 10 - 0.2]));
    const y = tf.tidy(() => ordinalLevels(tf.tensor1d(grades), 4));
    expect(await y.array()).toEqual(grades.map((g) => [0, 1, 2].map((k) => (g > k ? 1 : 0))));
    const input = tfl.input({ shape: [1] });
    const model = tfl.model({
      inputs: input,
      outputs: ordinalHead({ classes: 4, kernelInitializer: 'zeros' }).apply(input),
    });
    const optimizer = tf.train.adam(0.2);
    model.compile({ optimizer, loss: coralLoss() });
    const history = await model.fit(x, y, { epochs: 30, batchSize: 12, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 3);
    const cumulative = model.predict(x) as tf.Tensor2D;
    const decoded = decodeOrdinal(cumulative);
    expect(Array.from(await decoded.data())).toEqual(grades);
    tf.dispose([x, y, cumulative, decoded]);
    model.dispose();
    optimizer.dispose();
  });

  it('decodeOrdinal counts P(grade > k) above the threshold; ordinalProbabilities differences them', async () => {
    const c = tf.tensor2d([
      [0.9, 0.6, 0.2, 0.1],
      [0.3, 0.2, 0.1, 0.05],
      [0.9, 0.8, 0.7, 0.6],
    ]);
    const decoded = await expectNoLeaks(() => decodeOrdinal(c));
    expect(decoded.dtype).toBe('int32');
    expect(Array.from(await decoded.data())).toEqual([2, 0, 4]);
    const strict = decodeOrdinal(c, { threshold: 0.75 });
    expect(Array.from(await strict.data())).toEqual([1, 0, 2]);
    const logits = tf.tidy(() => tf.log(tf.div(c, tf.sub(1, c))));
    const viaLogits = decodeOrdinal(logits as tf.Tensor2D, { fromLogits: true });
    expect(Array.from(await viaLogits.data())).toEqual([2, 0, 4]);
    const perGrade = ordinalProbabilities(c);
    const expected = [0.1, 0.3, 0.4, 0.1, 0.1, 0.7, 0.1, 0.1, 0.05, 0.05, 0.1, 0.1, 0.1, 0.1, 0.6];
    Array.from(await perGrade.data()).forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 6);
    });
    expect(() => decodeOrdinal(c, { threshold: 1 })).toThrow(/threshold/);
    tf.dispose([c, decoded, strict, logits, viaLogits, perGrade]);
  });

  it('reject invalid options, a rank-3 feature map and a backbone with several outputs', () => {
    expect(() => softmaxHead({ classes: 1 })).toThrow(InvalidArgumentError);
    expect(() => softmaxHead({ classes: 3, dropout: 1 })).toThrow(/dropout/);
    expect(() => multiLabelHead({ classes: 2, hiddenUnits: 0 })).toThrow(/hiddenUnits/);
    expect(() => binaryHead({ name: 'bad name' })).toThrow(/name/);
    expect(() => ordinalHead({ classes: 5, kernelInitializer: 'ones' as never })).toThrow(
      /kernelInitializer/,
    );
    const seq = tfl.input({ shape: [4, 3] });
    expect(() => binaryHead().apply(seq)).toThrow(ShapeError);
    expect(() => binaryHead().apply(seq)).toThrow('rank 3 (shape [null,4,3])');
    const input = tfl.input({ shape: [3] });
    const a = tfl.layers.dense({ units: 2 }).apply(input) as tfl.SymbolicTensor;
    const b = tfl.layers.dense({ units: 2 }).apply(input) as tfl.SymbolicTensor;
    const twoOutputs = tfl.model({ inputs: input, outputs: [a, b] });
    expect(() => attachHead(twoOutputs, binaryHead())).toThrow(/one output/);
    expect(() => attachHead(twoOutputs, binaryHead(), { featureLayer: 'nope' })).toThrow(/featureLayer/);
    const viaLayer = attachHead(twoOutputs, binaryHead(), { featureLayer: twoOutputs.layers[1]!.name });
    expect(viaLayer.outputs[0]!.shape).toEqual([null, 1]);
    expect(() => attachHead({} as never, binaryHead())).toThrow(/backbone/);
    for (const layer of viaLayer.layers) if (!twoOutputs.layers.includes(layer)) layer.dispose();
    twoOutputs.dispose();
  });
});
