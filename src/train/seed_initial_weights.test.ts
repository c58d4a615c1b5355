import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../test/support/backends.js';
import { createBackbone } from '../architectures/registry.js';
import { InvalidArgumentError } from '../errors.js';
import { attachHead } from '../heads/attach_head.js';
import { ordinalHead } from '../heads/ordinal_head.js';
import { seedInitialWeights } from './seed_initial_weights.js';

async function tinyResnet(): Promise<tfl.LayersModel> {
  const backbone = await createBackbone('resnet18', {
    inputShape: [32, 32, 3],
    includeTop: false,
    pooling: 'avg',
    widthMultiplier: 1 / 32,
  });
  return attachHead(backbone, ordinalHead({ classes: 5, name: 'grade' }));
}

async function weightValues(model: tfl.LayersModel): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const w of model.weights) out.set(w.originalName, (await w.read().data()) as Float32Array);
  return out;
}

/** One dense layer [fanIn → fanOut] with the given kernel initializer, built. */
function dense(fanIn: number, fanOut: number, kernelInitializer: string): tfl.LayersModel {
  const input = tfl.input({ shape: [fanIn] });
  const out = tfl.layers.dense({ units: fanOut, kernelInitializer: kernelInitializer as 'glorotUniform' });
  return tfl.model({ inputs: input, outputs: out.apply(input) as tfl.SymbolicTensor });
}

function stats(v: Float32Array): { mean: number; variance: number; maxAbs: number } {
  let s = 0;
  let s2 = 0;
  let maxAbs = 0;
  for (const x of v) {
    s += x;
    s2 += x * x;
    maxAbs = Math.max(maxAbs, Math.abs(x));
  }
  const mean = s / v.length;
  return { mean, variance: s2 / v.length - mean * mean, maxAbs };
}

describeEachBackend('seedInitialWeights', () => {
  it('gives the same weights for the same seed, other kernels for another, and leaves biases and BN alone', async () => {
    const [a, b, c] = [await tinyResnet(), await tinyResnet(), await tinyResnet()];
    const before = await weightValues(a);
    await expectNoLeaks(() => {
      seedInitialWeights(a, { seed: 7 });
      seedInitialWeights(b, { seed: 7 });
      seedInitialWeights(c, { seed: 8 });
    });
    const [wa, wb, wc] = [await weightValues(a), await weightValues(b), await weightValues(c)];
    for (const [name, va] of wa) {
      expect(Array.from(wb.get(name)!), name).toEqual(Array.from(va));
      const random = name.endsWith('/kernel');
      if (random) {
        expect(Array.from(wc.get(name)!), name).not.toEqual(Array.from(va));
        expect(Array.from(before.get(name)!), name).not.toEqual(Array.from(va));
      } else {
        // Biases, γ/β, moving statistics and CoralLogits' linspace thresholds keep their constant start.
        expect(Array.from(va), name).toEqual(Array.from(before.get(name)!));
      }
    }
    expect([...wa.keys()].filter((n) => n.endsWith('/kernel')).length).toBeGreaterThan(20);
    for (const m of [a, b, c]) m.dispose();
  });

  it('draws from the layer’s own initializer: Glorot-uniform bounds and variance, He-normal variance', async () => {
    // Glorot uniform: U(−l, l), l = √(6 / (fanIn + fanOut)), variance l² / 3.
    const glorot = dense(300, 200, 'glorotUniform');
    seedInitialWeights(glorot, { seed: 1 });
    const g = stats((await glorot.weights[0]!.read().data()) as Float32Array);
    const limit = Math.sqrt(6 / 500);
    expect(g.maxAbs).toBeLessThanOrEqual(limit);
    expect(g.maxAbs).toBeGreaterThan(0.99 * limit);
    expect(Math.abs(g.mean)).toBeLessThan(0.002);
    expect(g.variance / ((limit * limit) / 3)).toBeCloseTo(1, 1);
    // He normal in tfjs-layers: a normal of σ = √(2 / fanIn) truncated at 2σ (variance 0.774 σ²).
    const he = dense(400, 300, 'heNormal');
    seedInitialWeights(he, { seed: 1 });
    const h = stats((await he.weights[0]!.read().data()) as Float32Array);
    const sigma = Math.sqrt(2 / 400);
    expect(h.maxAbs).toBeLessThanOrEqual(2 * sigma * 1.0001);
    expect(h.variance / (0.774 * sigma * sigma)).toBeCloseTo(1, 1);
    glorot.dispose();
    he.dispose();
  });

  it('rejects a bad seed and a layer whose initializer it cannot find, changing nothing', async () => {
    const model = dense(4, 3, 'glorotUniform');
    for (const seed of [-1, 1.5, 2 ** 32, Number.NaN, '3', undefined]) {
      expect(() => seedInitialWeights(model, { seed } as never)).toThrow(InvalidArgumentError);
    }
    expect(() => seedInitialWeights(model, { seed: -1 })).toThrow(
      'seedInitialWeights: seed must be an integer in [0, 2^32), but got -1.',
    );

    class Opaque extends tfl.layers.Layer {
      static className = 'OpaqueForSeedTest';
      override build(): void {
        this.addWeight('w', [2], 'float32', tfl.initializers.randomUniform({}));
        this.built = true;
      }
    }
    const input = tfl.input({ shape: [2] });
    const first = tfl.layers.dense({ units: 2 }).apply(input) as tfl.SymbolicTensor;
    const custom = tfl.model({
      inputs: input,
      outputs: new Opaque({ name: 'opaque' }).apply(first) as tfl.SymbolicTensor,
    });
    const kernelBefore = Array.from(await custom.weights[0]!.read().data());
    expect(() => seedInitialWeights(custom, { seed: 3 })).toThrow(
      "seedInitialWeights: layer 'opaque' (OpaqueForSeedTest) has weight 'opaque/w' but no 'wInitializer' telling how it was initialised.",
    );
    expect(Array.from(await custom.weights[0]!.read().data())).toEqual(kernelBefore);
    model.dispose();
    custom.dispose();
  });
});
