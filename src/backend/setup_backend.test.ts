import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backendsUnderTest, useBackend } from '../../test/support/backends.js';
import { backendLoaders, wasmPaths } from '../../test/support/browser_assets.js';
import { BackendError, InvalidArgumentError, setupBackend } from '../index.js';
import { isNode } from './platform.js';

const assets = () => ({ wasmPaths: wasmPaths(), loaders: backendLoaders() });

describe('setupBackend', () => {
  it('picks the fastest installed backend by default', async () => {
    const info = await setupBackend(assets());
    // Node here has no tfjs-node (it cannot be installed offline), so wasm wins; Chromium with a
    // SwiftShader adapter exposes WebGPU, the first browser choice.
    expect(info.name).toBe(isNode() ? 'wasm' : 'webgpu');
    expect(info.platform).toBe(isNode() ? 'node' : 'browser');
    expect(info.canTrain).toBe(true);
    expect(tf.getBackend()).toBe(info.name);
  });

  it.each(backendsUnderTest())('sets up %s exactly when asked and reports what it can do', async (name) => {
    const info = await setupBackend({ prefer: name, ...assets() });
    expect(info.name).toBe(name);
    expect(tf.getBackend()).toBe(name);
    expect(info.gpu).toBe(name === 'webgl' || name === 'webgpu');
    expect(info.addedKernels.length > 0).toBe(name === 'wasm' || name === 'cpu');
    // A real computation on it: 2×2 matmul against the hand-computed product.
    const product = tf.matMul(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tf.tensor2d([
        [5, 6],
        [7, 8],
      ]),
    );
    expect(Array.from(await product.data())).toEqual([19, 22, 43, 50]);
    tf.dispose(product);
  });

  it('takes the first backend of a list that works, and says why it skipped the others', async () => {
    const info = await setupBackend({ prefer: ['tensorflow', 'cpu'], ...assets() });
    expect(info.name).toBe('cpu');
    expect(info.skipped.map((s) => s.name)).toEqual(['tensorflow']);
    expect(info.skipped[0]!.reason).toMatch(/tfjs-node/);
  });

  it('throws a BackendError naming a backend that is not installed and listing those that are', async () => {
    const error = await setupBackend({ prefer: 'tensorflow', ...assets() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    const e = error as BackendError;
    expect(e.backend).toBe('tensorflow');
    expect(e.message).toMatch(/Backend 'tensorflow' could not be set up/);
    expect(e.message).toMatch(/npm i @tensorflow\/tfjs-node-gpu/);
    expect(e.available).toEqual(expect.arrayContaining(['wasm', 'cpu']));
    expect(e.available).not.toContain('tensorflow');
  });

  it('rejects unknown and empty preferences with an InvalidArgumentError', async () => {
    const unknown = await setupBackend({ prefer: 'cuda' as never }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(InvalidArgumentError);
    expect((unknown as InvalidArgumentError).argument).toBe('prefer');
    expect((unknown as Error).message).toBe(
      "setupBackend: unknown backend 'cuda'. Valid names: tensorflow, webgpu, webgl, wasm, cpu.",
    );
    await expect(setupBackend({ prefer: [] })).rejects.toThrow(InvalidArgumentError);
  });

  it('refuses wasmPaths it cannot apply (wasm registered without a loader) instead of ignoring them', async () => {
    await setupBackend({ prefer: 'wasm', ...assets() }); // wasm's backend factory is now registered
    const error = await setupBackend({ prefer: 'wasm', wasmPaths: '/wasm/' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('wasmPaths');
    expect((error as Error).message).toMatch(/pass loaders\.wasm/);
  });

  it('uses tfjs-node when it loads, and reports its GPU (stand-in: tfjs-node cannot be installed offline)', async () => {
    // The real package registers a backend named 'tensorflow' whose instance says whether CUDA is in use;
    // a cpu backend instance registered under that name takes its place here.
    const { MathBackendCPU } = await import('@tensorflow/tfjs-backend-cpu');
    const loadTfjsNode = async () => {
      tf.registerBackend('tensorflow', () => Object.assign(new MathBackendCPU(), { isUsingGpuDevice: true }));
    };
    try {
      const info = await setupBackend({
        prefer: ['tensorflow', 'wasm'],
        ...assets(),
        loaders: { ...assets().loaders, tensorflow: loadTfjsNode },
      });
      expect(info.name).toBe('tensorflow');
      expect(info.gpu).toBe(true);
      expect(info.skipped).toEqual([]);
      if (isNode()) {
        const byDefault = await setupBackend({ loaders: { tensorflow: loadTfjsNode } });
        expect(byDefault.name).toBe('tensorflow'); // first in Node's default order
      }
    } finally {
      tf.removeBackend('tensorflow');
      await setupBackend({ prefer: 'cpu', ...assets() });
    }
  });

  it('is idempotent: switching back and forth keeps working', async () => {
    await useBackend('wasm');
    await useBackend('cpu');
    await useBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});
