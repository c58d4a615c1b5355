import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { backendsUnderTest, describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import {
  flatAndNested,
  gapDenseNet,
  referenceCam,
  seedWeights,
  skipNet,
  testImages,
  twoBranchNet,
} from '../../test/support/explain_models.js';
import { googlenetShaped, resnetShaped } from '../../test/support/reference_nets.js';
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { camGradients } from './cam_gradients.js';
import { gradCam } from './grad_cam.js';

/** Values of a layer's output through tf.layers' own executor (an auxiliary model): the independent reference. */
function layerOutputs(model: tfl.LayersModel, names: string[], x: tf.Tensor): tf.Tensor[] {
  const probe = tfl.model({
    inputs: model.inputs,
    outputs: names.map((n) => model.getLayer(n).output as tfl.SymbolicTensor),
  });
  const out = probe.predict(x);
  return Array.isArray(out) ? out : [out];
}

/** Runs a CAM computation and checks it leaves nothing behind but its result. */
async function noLeaks<R extends { scores: tf.Tensor }>(fn: () => R): Promise<R> {
  let result: R | undefined;
  await expectNoLeaks(() => {
    result = fn();
    return Object.values(result)
      .flat()
      .filter((t): t is tf.Tensor => t instanceof tf.Tensor);
  });
  return result as R;
}

/** Least-squares positive scale s with raw ≈ s·ref, and the largest residual relative to max |ref|. */
function fitScale(raw: number[], ref: number[]) {
  const s = raw.reduce((a, r, i) => a + r * (ref[i] as number), 0) / ref.reduce((a, r) => a + r * r, 0);
  const peak = Math.max(...ref.map(Math.abs));
  const residual =
    Math.max(...raw.map((r, i) => Math.abs(r - s * (ref[i] as number)))) / (Math.abs(s) * peak);
  return { s, residual };
}

/** Grad-CAM of the last feature map of a GAP + dense model against CAM from the features and the dense kernel. */
async function expectGradCamIsCam(
  model: tfl.LayersModel,
  x: tf.Tensor4D,
  featureLayer: string,
  denseLayer: string,
  tolerance: number,
  args: { output?: number | string } = {},
) {
  const result = gradCam(model, x, { relu: false, ...args });
  const [features] = layerOutputs(model, [featureLayer], x);
  const outputs = model.predict(x);
  const out = Array.isArray(outputs)
    ? outputs[
        typeof args.output === 'number'
          ? args.output
          : args.output === undefined
            ? 0
            : model.outputNames.indexOf(args.output)
      ]
    : outputs;
  const top = tf.argMax(out as tf.Tensor, 1);
  const classes = Array.from(await top.data());
  top.dispose();
  const kernel = (await model.getLayer(denseLayer).getWeights()[0]!.array()) as number[][];
  const cam = referenceCam((await features!.array()) as number[][][][], kernel, classes).flat(2);
  const raw = Array.from(await result.raw[0]!.data());
  const [, h, w] = features!.shape as number[];
  const { s, residual } = fitScale(raw, cam);
  expect(s).toBeGreaterThan(0);
  // The exact scale is 1 / (h·w): ∂z_c/∂A_ijk = W[k, c] / (h·w) for global average pooling.
  expect(s * (h as number) * (w as number)).toBeCloseTo(1, 2);
  expect(residual).toBeLessThan(tolerance);
  expect(result.layers).toEqual([featureLayer]);
  const heat = await result.heatmaps.data();
  expect(result.heatmaps.shape).toEqual([x.shape[0], x.shape[1], x.shape[2]]);
  expect(Math.min(...heat)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...heat)).toBeLessThanOrEqual(1 + 1e-6);
  tf.dispose([result.heatmaps, ...result.raw, result.scores, features!, out as tf.Tensor, outputs]);
}

describeEachBackend('gradCam', (backend) => {
  const tol = backend === 'webgl' || backend === 'webgpu' ? 5e-3 : 1e-4;

  it('equals the class activation map (Zhou et al. 2016) up to a positive scale on GAP + dense', async () => {
    const model = gapDenseNet();
    const x = testImages(3, 12);
    await expectNoLeaks(() => expectGradCamIsCam(model, x, 'features', 'predictions', tol));
    // Logits are explained: the softmax head gives exactly the same map as a linear head with the same weights.
    const linear = gapDenseNet({ activation: 'linear' });
    const a = gradCam(model, x, { relu: false, target: 1 });
    const b = gradCam(linear, x, { relu: false, target: 1 });
    const [ra, rb] = [await a.raw[0]!.data(), await b.raw[0]!.data()];
    expect(Math.max(...ra.map((v, i) => Math.abs(v - (rb[i] as number))))).toBeLessThan(1e-5);
    // The scores are the logits of the chosen class.
    const logits = linear.predict(x) as tf.Tensor2D;
    const picked = tf.tidy(() => tf.gather(tf.reshape(logits, [-1]), [1, 4, 7]));
    const expected = Array.from(await picked.data());
    picked.dispose();
    Array.from(await a.scores.data()).forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] as number, 4);
    });
    tf.dispose([x, logits, a.heatmaps, a.scores, ...a.raw, b.heatmaps, b.scores, ...b.raw]);
    model.dispose();
    linear.dispose();
  });

  it('gives gradients that match finite differences when a skip connection bypasses the layer', async () => {
    const model = skipNet();
    const x = testImages(2, 6, 2, 9);
    const target = [0, 2];
    const g = await noLeaks(() => camGradients(model, x, { layer: 'c2', target }));
    const [c1, c2] = layerOutputs(model, ['c1', 'c2'], x);
    const [kernel, bias] = model.getLayer('predictions').getWeights();
    const W = (await kernel!.array()) as number[][];
    const b = Array.from(await bias!.data());
    const A1 = Array.from(await c1!.data());
    const A2 = Array.from(await c2!.data());
    const K = 3;
    const hw = 36;
    // score_n(A2) = Σ_k W[k, c]·mean_ij relu(A2 + A1)_ijk + b_c, in float64.
    const score = (n: number, a2: number[]) => {
      let s = b[target[n]!] as number;
      for (let p = 0; p < hw; p++)
        for (let k = 0; k < K; k++) {
          const i = (n * hw + p) * K + k;
          s += ((W[k]![target[n]!] as number) * Math.max(0, (a2[i] as number) + (A1[i] as number))) / hw;
        }
      return s;
    };
    const grads = Array.from(await g.gradients[0]!.data());
    const scores = Array.from(await g.scores.data());
    const eps = 1e-4;
    let worst = 0;
    for (let i = 0; i < A2.length; i++) {
      const n = Math.floor(i / (hw * K));
      const plus = A2.slice();
      plus[i] = (plus[i] as number) + eps;
      const minus = A2.slice();
      minus[i] = (minus[i] as number) - eps;
      const fd = (score(n, plus) - score(n, minus)) / (2 * eps);
      worst = Math.max(worst, Math.abs(fd - (grads[i] as number)));
    }
    expect(worst).toBeLessThan(backend === 'cpu' || backend === 'wasm' ? 1e-5 : 1e-3);
    scores.forEach((s, n) => {
      expect(s).toBeCloseTo(score(n, A2), 3);
    });
    expect(g.layers).toEqual(['c2']);
    tf.dispose([x, c1!, c2!, ...g.activations, ...g.gradients, g.scores]);
    model.dispose();
  });

  it('changes the map when the weights are randomised (Adebayo et al. 2018)', async () => {
    const model = gapDenseNet({ size: 16 });
    const x = testImages(2, 16, 3, 4);
    const before = gradCam(model, x, { target: 0 });
    seedWeights(model, 99);
    const after = gradCam(model, x, { target: 0 });
    const [p, q] = [Array.from(await before.heatmaps.data()), Array.from(await after.heatmaps.data())];
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const [mp, mq] = [mean(p), mean(q)];
    const cov = mean(p.map((v, i) => (v - mp) * ((q[i] as number) - mq)));
    const sd = (v: number[], m: number) => Math.sqrt(mean(v.map((u) => (u - m) ** 2)));
    const correlation = cov / (sd(p, mp) * sd(q, mq));
    expect(Math.abs(correlation)).toBeLessThan(0.9);
    expect(Math.max(...p.map((v, i) => Math.abs(v - (q[i] as number))))).toBeGreaterThan(0.3);
    tf.dispose([
      x,
      before.heatmaps,
      before.scores,
      ...before.raw,
      after.heatmaps,
      after.scores,
      ...after.raw,
    ]);
    model.dispose();
  });

  it('explains a layer inside a nested backbone as in the same network built flat', async () => {
    const { flat, nested } = flatAndNested();
    const x = testImages(2, 12, 3, 5);
    for (const method of ['gradcam', 'gradcam++', 'hirescam', 'layercam'] as const) {
      const a = gradCam(flat, x, { method, layer: 'b_out' });
      const b = await noLeaks(() => gradCam(nested, x, { method }));
      expect(b.layers).toEqual(['backbone/b_out']);
      const [ha, hb] = [await a.heatmaps.data(), await b.heatmaps.data()];
      expect(Math.max(...ha.map((v, i) => Math.abs(v - (hb[i] as number))))).toBeLessThan(1e-3);
      tf.dispose([a.heatmaps, a.scores, ...a.raw, b.heatmaps, b.scores, ...b.raw]);
    }
    // A layer inside the backbone with more of the backbone after it, by name and by path.
    const a = gradCam(flat, x, { layer: 'b_conv1', relu: false });
    const b = gradCam(nested, x, { layer: 'b_conv1', relu: false });
    const c = gradCam(nested, x, { layer: 'backbone/b_conv1', relu: false });
    const [ra, rb, rc] = [await a.raw[0]!.data(), await b.raw[0]!.data(), await c.raw[0]!.data()];
    const peak = Math.max(...ra.map(Math.abs));
    expect(Math.max(...ra.map((v, i) => Math.abs(v - (rb[i] as number))))).toBeLessThan(1e-3 * peak);
    expect(Array.from(rc)).toEqual(Array.from(rb));
    // The backbone's name stands for its output.
    const d = gradCam(nested, x, { layer: 'backbone' });
    expect(d.layers).toEqual(['backbone/b_out']);
    tf.dispose([x, ...[a, b, c, d].flatMap((r) => [r.heatmaps, r.scores, ...r.raw])]);
    flat.dispose();
    nested.dispose();
  });

  it('equals CAM on a ResNet-shaped net (skip connections) and a GoogLeNet-shaped one (inception concat)', async () => {
    const resnet = resnetShaped({ inputSize: 32, classes: 3, width: 1 / 16, blocks: [1, 1, 1, 1] });
    seedWeights(resnet, 21);
    const x = testImages(2, 32, 3, 6);
    await expectNoLeaks(() => expectGradCamIsCam(resnet, x, 'conv5_block1_out', 'predictions', tol * 10));
    const googlenet = googlenetShaped({ inputSize: 32, classes: 3, width: 1 / 16 });
    seedWeights(googlenet, 22);
    const concat = googlenet.layers.filter((l) => l.getClassName() === 'Concatenate').at(-1)!.name;
    const dense = googlenet.layers.at(-1)!.name;
    await expectNoLeaks(() => expectGradCamIsCam(googlenet, x, concat, dense, tol * 10));
    tf.dispose(x);
    resnet.dispose();
    googlenet.dispose();
  });

  it('explains either output of a two-branch model, on its own branch', async () => {
    const model = twoBranchNet();
    const x = testImages(2, 12, 3, 8);
    await expectNoLeaks(() => expectGradCamIsCam(model, x, 'a_features', 'grade', tol, { output: 'grade' }));
    await expectNoLeaks(() => expectGradCamIsCam(model, x, 'b_features', 'lesions', tol, { output: 1 }));
    // A function target on the sigmoid branch receives logits: explaining Σ of two logits = sum of their maps.
    // (A mask, not tf.gather: wasm has no UnsortedSegmentSum for gather's gradient.)
    const sum = gradCam(model, x, {
      output: 'lesions',
      relu: false,
      target: (z) => tf.sum(tf.mul(z, tf.tensor1d([0, 1, 0, 1])), 1),
    });
    const one = gradCam(model, x, { output: 'lesions', relu: false, target: 1 });
    const three = gradCam(model, x, { output: 'lesions', relu: false, target: 3 });
    const [s, o, t] = [await sum.raw[0]!.data(), await one.raw[0]!.data(), await three.raw[0]!.data()];
    expect(Math.max(...s.map((v, i) => Math.abs(v - (o[i] as number) - (t[i] as number))))).toBeLessThan(
      1e-4,
    );
    expect(() => gradCam(model, x, { output: 'lesions', layer: 'a_features' })).toThrow(
      /no layer 'a_features' on the path to output 'lesions'/,
    );
    tf.dispose([x, ...[sum, one, three].flatMap((r) => [r.heatmaps, r.scores, ...r.raw])]);
    model.dispose();
  });

  it('rejects bad arguments with typed errors naming them', () => {
    const model = gapDenseNet();
    const x = testImages(2, 12);
    const bad = (args: object, argument: string) => {
      try {
        gradCam(model, x, args);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidArgumentError);
        expect((e as InvalidArgumentError).argument).toBe(argument);
        return;
      }
      throw new Error(`no error for ${JSON.stringify(args)}`);
    };
    bad({ layer: 'nope' }, 'layer');
    bad({ target: 3 }, 'target');
    bad({ target: [0] }, 'target');
    bad({ target: () => tf.zeros([3]) }, 'target');
    bad({ output: 2 }, 'output');
    bad({ method: 'scorecam' }, 'method');
    bad({ relu: 'yes' }, 'relu');
    expect(() => gradCam(model, x, { layer: 'gap' })).toThrow(ShapeError);
    const small = tf.zeros([1, 10, 10, 3]);
    expect(() => gradCam(model, small)).toThrow(ShapeError);
    small.dispose();
    expect(() => gradCam({} as tfl.LayersModel, x)).toThrow(/model must be a tf.LayersModel/);
    tf.dispose(x);
    model.dispose();
  });
});

// Graph-structure tests: the numerics of every kernel they use are covered on every backend above; on the GPU
// backends of the browser they would mostly time shader compilation.
const structureBackends = backendsUnderTest().filter((b) => b === 'cpu' || b === 'wasm');

describeEachBackend(
  'gradCam on Sequential models',
  () => {
    it('explains a Sequential classifier and a Sequential backbone nested in a functional model', async () => {
      const convs = () => [
        tfl.layers.conv2d({
          filters: 4,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          inputShape: [10, 10, 3],
          name: 's_conv1',
        }),
        tfl.layers.conv2d({
          filters: 5,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          name: 's_conv2',
        }),
      ];
      const seq = tfl.sequential({
        layers: [
          ...convs(),
          tfl.layers.globalAveragePooling2d({}),
          tfl.layers.dense({ units: 3, activation: 'softmax' }),
        ],
      });
      seedWeights(seq, 31);
      const backbone = tfl.sequential({ layers: convs(), name: 'seq_backbone' });
      const input = tfl.input({ shape: [10, 10, 3] });
      const pooled = tfl.layers.globalAveragePooling2d({}).apply(backbone.apply(input) as tfl.SymbolicTensor);
      const out = tfl.layers.dense({ units: 3, activation: 'softmax' }).apply(pooled) as tfl.SymbolicTensor;
      const wrapped = tfl.model({ inputs: input, outputs: out });
      wrapped.setWeights(seq.getWeights());
      const x = testImages(2, 10, 3, 12);
      const a = await noLeaks(() => gradCam(seq, x, { method: 'gradcam++' }));
      const b = await noLeaks(() => gradCam(wrapped, x, { method: 'gradcam++' }));
      expect(a.layers).toEqual(['s_conv2']);
      expect(b.layers).toEqual(['seq_backbone/s_conv2']);
      const [ha, hb] = [await a.heatmaps.data(), await b.heatmaps.data()];
      expect(Math.max(...ha.map((v, i) => Math.abs(v - (hb[i] as number))))).toBeLessThan(1e-3);
      expect(Math.max(...ha)).toBeCloseTo(1, 5);
      tf.dispose([x, ...[a, b].flatMap((r) => [r.heatmaps, r.scores, ...r.raw])]);
      seq.dispose();
      wrapped.dispose();
    });
  },
  structureBackends,
);

describeEachBackend(
  'gradCam inside a ResNet',
  (backend) => {
    it('at a mid-network block output, ⟨∂S/∂A, δA⟩ matches the score change for an input perturbation', async () => {
      // conv3_block1_out is a cut vertex (every path to the head passes through it), and after it the projection
      // shortcut and the main branch of conv4_block1 both read it: S(x) = T(A(x)), so dS = ⟨∂S/∂A, dA⟩. A(x ± εd)
      // and S(x ± εd) come from tf.layers' own executor; S = z_c − mean(z), read off the softmax as log p_c − mean log p.
      const resnet = resnetShaped({ inputSize: 32, classes: 3, width: 1 / 16, blocks: [1, 1, 1, 1] });
      seedWeights(resnet, 41);
      const x = testImages(2, 32, 3, 13);
      const d = tf.tidy(() => tf.sub(testImages(2, 32, 3, 17), 0.5));
      const target = (z: tf.Tensor) => tf.sub(tf.squeeze(tf.slice(z, [0, 1], [-1, 1]), [1]), tf.mean(z, 1));
      const g = await noLeaks(() => camGradients(resnet, x, { layer: 'conv3_block1_out', target }));
      const eps = 0.004;
      const probe = tfl.model({
        inputs: resnet.inputs,
        outputs: [resnet.getLayer('conv3_block1_out').output as tfl.SymbolicTensor, resnet.outputs[0]!],
      });
      const side = (sign: number) =>
        tf.tidy(() => {
          const [a, p] = probe.predict(tf.add(x, tf.mul(d, sign * eps))) as tf.Tensor[];
          const logp = tf.log(p!);
          return [a!, tf.sub(tf.squeeze(tf.slice(logp, [0, 1], [-1, 1]), [1]), tf.mean(logp, 1))];
        });
      const [aPlus, sPlus] = side(1);
      const [aMinus, sMinus] = side(-1);
      const [predicted, observed] = tf.tidy(() => [
        tf.div(tf.sum(tf.mul(g.gradients[0]!, tf.sub(aPlus!, aMinus!)), [1, 2, 3]), 2 * eps),
        tf.div(tf.sub(sPlus!, sMinus!), 2 * eps),
      ]);
      const pv = Array.from(await predicted!.data()) as number[];
      const ov = Array.from(await observed!.data()) as number[];
      const scale = Math.max(...ov.map(Math.abs));
      expect(scale).toBeGreaterThan(1e-3);
      pv.forEach((v, n) => {
        expect(Math.abs(v - (ov[n] as number)) / scale, `${backend} image ${n}`).toBeLessThan(0.02);
      });
      // A mid-network layer several blocks before the head, two layers averaged.
      const mid = gradCam(resnet, x, { layer: ['conv4_block1_out', 'conv3_block1_out'], method: 'layercam' });
      expect(mid.layers).toEqual(['conv3_block1_out', 'conv4_block1_out']);
      expect(mid.raw.map((r) => r.shape)).toEqual([
        [2, 4, 4],
        [2, 2, 2],
      ]);
      const heat = await mid.heatmaps.data();
      expect(Math.max(...heat)).toBeCloseTo(1, 5);
      // Each layer's map is the one it has alone (a later layer must not cut an earlier one's gradient path),
      // and the heatmap is the rescaled mean of the rescaled single-layer heatmaps.
      const singles = ['conv3_block1_out', 'conv4_block1_out'].map((layer) =>
        gradCam(resnet, x, { layer, method: 'layercam' }),
      );
      for (const [i, single] of singles.entries()) {
        const [got, want] = [await mid.raw[i]!.data(), await single.raw[0]!.data()];
        const peak = Math.max(...want);
        got.forEach((v, j) => {
          expect(Math.abs(v - (want[j] as number))).toBeLessThan(1e-4 * peak);
        });
      }
      const combined = tf.tidy(() => {
        const mean = tf.div(tf.add(singles[0]!.heatmaps, singles[1]!.heatmaps), 2);
        const lo = tf.min(mean, [1, 2], true);
        return tf.div(tf.sub(mean, lo), tf.sub(tf.max(mean, [1, 2], true), lo));
      });
      const expected = await combined.data();
      heat.forEach((v, j) => {
        expect(v).toBeCloseTo(expected[j] as number, 4);
      });
      tf.dispose([
        combined,
        mid.heatmaps,
        mid.scores,
        ...mid.raw,
        ...singles.flatMap((r) => [r.heatmaps, r.scores, ...r.raw]),
      ]);
      tf.dispose([
        x,
        d,
        aPlus!,
        sPlus!,
        aMinus!,
        sMinus!,
        predicted!,
        observed!,
        ...g.activations,
        ...g.gradients,
        g.scores,
      ]);
      resnet.dispose();
    });
  },
  structureBackends,
);

describeEachBackend('gradCam on a one-unit (binary) head', () => {
  it("explains the single logit with the default 'argmax' target and with target 0", async () => {
    const input = tfl.input({ shape: [8, 8, 3] });
    const conv = tfl.layers
      .conv2d({
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        name: 'features',
        kernelInitializer: 'glorotUniform',
        seed: 3,
      } as never)
      .apply(input) as tfl.SymbolicTensor;
    const pooled = tfl.layers.globalAveragePooling2d({}).apply(conv) as tfl.SymbolicTensor;
    const logit = tfl.layers.dense({ units: 1, name: 'logit' }).apply(pooled) as tfl.SymbolicTensor;
    const prob = tfl.layers
      .activation({ activation: 'sigmoid', name: 'prob' })
      .apply(logit) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: prob });
    const logits = tfl.model({ inputs: input, outputs: logit });
    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const expected = tf.tidy(() => tf.reshape(logits.predict(x) as tf.Tensor, [2]));
    for (const target of ['argmax', 0] as const) {
      const before = tf.memory().numTensors;
      const r = gradCam(model, x, { target });
      expect(r.heatmaps.shape).toEqual([2, 8, 8]);
      const got = await r.scores.data();
      const want = await expected.data();
      for (let i = 0; i < 2; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
      tf.dispose([r.heatmaps, ...r.raw, r.scores]);
      expect(tf.memory().numTensors).toBe(before);
    }
    tf.dispose([x, expected]);
    model.dispose();
  });
});
