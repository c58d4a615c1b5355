import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectNoLeaks } from '../../../test/support/backends.js';
import {
  type ConvCase,
  geometry,
  referenceFilterGrad,
  referenceInputGrad,
  relativeError,
  seededValues,
} from '../../../test/support/reference_conv.js';

/**
 * The convolution gradient kernels on every backend — on wasm these are fundus-kit's composite
 * kernels — against float64 loops written from the definition. Shapes cover every filter size the
 * backbones use (1, 3, 5, 7, 11), strides 1/2/4 and unequal strides, same/valid/explicit padding,
 * batch > 1, odd and non-square sizes, both sides of the stacked-taps threshold (Ci < 32 / ≥ 32), and the
 * stride phases of the input gradient (a stride larger than the filter, padding that cuts or extends dy), and
 * the filter gradient's chunks of images.
 */
const CASES: (ConvCase & { label: string })[] = [
  { label: '3×3/1 same', x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { label: '3×3/2 same', x: [2, 9, 9, 3], filter: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { label: '5×5/2 valid, non-square', x: [1, 13, 11, 5], filter: [5, 5, 5, 3], stride: 2, pad: 'valid' },
  { label: '5×5/1 same (inception)', x: [1, 10, 10, 4], filter: [5, 5, 4, 6], stride: 1, pad: 'same' },
  {
    label: '11×11/4 valid (AlexNet stem)',
    x: [1, 27, 27, 3],
    filter: [11, 11, 3, 8],
    stride: 4,
    pad: 'valid',
  },
  { label: '11×11/4 same', x: [1, 28, 28, 3], filter: [11, 11, 3, 4], stride: 4, pad: 'same' },
  { label: '7×7/2 same (ResNet stem)', x: [1, 15, 15, 2], filter: [7, 7, 2, 4], stride: 2, pad: 'same' },
  { label: '1×1/2 same (projection)', x: [3, 10, 10, 4], filter: [1, 1, 4, 6], stride: 2, pad: 'same' },
  { label: '1×1/1 valid', x: [2, 8, 8, 16], filter: [1, 1, 16, 8], stride: 1, pad: 'valid' },
  {
    label: '3×3 stride [1,2], odd sizes',
    x: [2, 7, 9, 3],
    filter: [3, 3, 3, 5],
    stride: [1, 2],
    pad: 'same',
  },
  { label: '2×2/2 same (even filter)', x: [1, 9, 9, 3], filter: [2, 2, 3, 3], stride: 2, pad: 'same' },
  {
    label: '3×3/1 explicit asymmetric pad',
    x: [1, 6, 6, 2],
    filter: [3, 3, 2, 2],
    stride: 1,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  {
    label: '3×3/1 same, 40 channels (per-tap products)',
    x: [1, 9, 9, 40],
    filter: [3, 3, 40, 8],
    stride: 1,
    pad: 'same',
  },
  { label: '3×3/2 valid, 33 channels', x: [2, 12, 12, 33], filter: [3, 3, 33, 4], stride: 2, pad: 'valid' },
  // The filter gradient's inner size cut into chunks of whole images (3136 rows): one image a chunk, per tap
  // and with stacked taps, and chunks of 3 images with a shorter last one.
  {
    label: '3×3/1 same, 3 chunks, per-tap',
    x: [3, 40, 40, 32],
    filter: [3, 3, 32, 4],
    stride: 1,
    pad: 'same',
  },
  {
    label: '3×3/1 same, 3 chunks, stacked taps',
    x: [3, 40, 40, 3],
    filter: [3, 3, 3, 4],
    stride: 1,
    pad: 'same',
  },
  {
    label: '1×1/1, chunks of 3 + 2 images',
    x: [5, 30, 30, 8],
    filter: [1, 1, 8, 4],
    stride: 1,
    pad: 'valid',
  },
  {
    label: '3×3/1 same, 16×16 maps, chunks of 12 + 2 (NHWC taps)',
    x: [14, 16, 16, 32],
    filter: [3, 3, 32, 3],
    stride: 1,
    pad: 'same',
  },
  {
    label: '1×1/1 Ci > Co, 3 chunks (transposed)',
    x: [3, 40, 40, 12],
    filter: [1, 1, 12, 5],
    stride: 1,
    pad: 'same',
  },
  // wasm's zero-copy layouts (filter_grad_by_views.ts): tap windows over padded grids (valid, explicit and
  // asymmetric padding, 5×5, non-square, chunks of 3 + 2 images), and 1×1 with either operand transposed,
  // strided 1×1 over an odd-sized x.
  {
    label: '5×5/1 valid, non-square, 2 chunks (tap windows)',
    x: [2, 60, 57, 33],
    filter: [5, 5, 33, 6],
    stride: 1,
    pad: 'valid',
  },
  {
    label: '3×3/1 explicit asymmetric pad, chunks of 3 + 2 (tap windows)',
    x: [5, 28, 30, 32],
    filter: [3, 3, 32, 7],
    stride: 1,
    pad: [
      [0, 0],
      [2, 0],
      [0, 1],
      [0, 0],
    ],
  },
  {
    label: '1×1/1 Co > Ci, chunks of 3 + 2 (dy transposed)',
    x: [5, 30, 30, 4],
    filter: [1, 1, 4, 9],
    stride: 1,
    pad: 'valid',
  },
  {
    label: '1×1/1 Co > Ci, fewer rows than Ci (x transposed)',
    x: [1, 4, 5, 24],
    filter: [1, 1, 24, 40],
    stride: 1,
    pad: 'same',
  },
  {
    label: '3×3/2 same, 32 channels (strided tap windows)',
    x: [2, 24, 24, 32],
    filter: [3, 3, 32, 5],
    stride: 2,
    pad: 'same',
  },
  { label: '1×1/2 valid, odd sizes', x: [2, 9, 7, 5], filter: [1, 1, 5, 3], stride: 2, pad: 'valid' },
  // Stride phases of the input gradient: a phase no tap reaches (stride > filter), and padding that leaves
  // fewer phase rows than dy has (the phase grid cuts dy) or more (it pads dy).
  {
    label: '2×2/3 valid (stride > filter)',
    x: [2, 11, 10, 3],
    filter: [2, 2, 3, 4],
    stride: 3,
    pad: 'valid',
  },
  {
    label: '3×3/2 explicit pad, large bottom/right',
    x: [1, 7, 8, 3],
    filter: [3, 3, 3, 2],
    stride: 2,
    pad: [
      [0, 0],
      [2, 5],
      [0, 4],
      [0, 0],
    ],
  },
  {
    label: '7×7/2 valid, batch 3, 34 channels',
    x: [3, 17, 16, 34],
    filter: [7, 7, 34, 5],
    stride: 2,
    pad: 'valid',
  },
  // One image's grid above 3 × 3136 rows at stride 1: the filter gradient splits each image into bands of output
  // rows (a shorter last band; 'valid' crops the last band).
  {
    label: '3×3/1 same, 2 images in 2 bands each, per-tap',
    x: [2, 114, 112, 32],
    filter: [3, 3, 32, 3],
    stride: 1,
    pad: 'same',
  },
  {
    label: '3×3/1 same, bands of odd size, stacked taps',
    x: [1, 119, 118, 3],
    filter: [3, 3, 3, 4],
    stride: 1,
    pad: 'same',
  },
  { label: '3×3/1 valid, 3 bands', x: [1, 215, 120, 33], filter: [3, 3, 33, 2], stride: 1, pad: 'valid' },
];

/** float32 kernels on GPUs accumulate in a different order (and WebGL may use reduced precision). */
const TOLERANCE: Record<string, number> = {
  cpu: 1e-5,
  wasm: 1e-5,
  tensorflow: 1e-5,
  webgl: 1e-3,
  webgpu: 1e-4,
};

describeEachBackend('conv2d gradient kernels', (backend) => {
  for (const c of CASES) {
    it(`Conv2DBackpropFilter and Conv2DBackpropInput: ${c.label}`, async () => {
      const g = geometry(c);
      const dyShape = [c.x[0], g.outH, g.outW, c.filter[3]];
      const xv = seededValues(
        c.x.reduce((a, b) => a * b),
        1,
      );
      const wv = seededValues(
        c.filter.reduce((a, b) => a * b),
        2,
      );
      const dyv = seededValues(
        dyShape.reduce((a, b) => a * b),
        3,
      );
      const [x, w, dy] = [tf.tensor(xv, c.x), tf.tensor(wv, c.filter), tf.tensor(dyv, dyShape)];

      const dw = await expectNoLeaks(
        () =>
          tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
            strides: c.stride,
            pad: c.pad,
            dataFormat: 'NHWC',
            filterShape: c.filter,
          } as never) as tf.Tensor,
      );
      const dx = await expectNoLeaks(
        () =>
          tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, {
            strides: c.stride,
            pad: c.pad,
            dataFormat: 'NHWC',
            inputShape: c.x,
          } as never) as tf.Tensor,
      );
      expect(dw.shape).toEqual(c.filter);
      expect(dx.shape).toEqual(c.x);
      expect(relativeError(await dw.data(), referenceFilterGrad(c, xv, dyv))).toBeLessThan(
        TOLERANCE[backend]!,
      );
      expect(relativeError(await dx.data(), referenceInputGrad(c, wv, dyv))).toBeLessThan(
        TOLERANCE[backend]!,
      );
      tf.dispose([x, w, dy, dw, dx]);
    });
  }

  it('tf.grads of a conv layer matches the reference (the path layers take)', async () => {
    const c: ConvCase = { x: [2, 8, 8, 3], filter: [3, 3, 3, 4], stride: 2, pad: 'same' };
    const g = geometry(c);
    const xv = seededValues(2 * 8 * 8 * 3, 4);
    const wv = seededValues(3 * 3 * 3 * 4, 5);
    const dyv = seededValues(2 * g.outH * g.outW * 4, 6);
    const [x, w, dy] = [
      tf.tensor4d(xv, c.x),
      tf.tensor4d(wv, c.filter),
      tf.tensor4d(dyv, [2, g.outH, g.outW, 4]),
    ];
    // d/dx, d/dw of Σ conv2d(x, w)·dy are exactly the two backprop kernels applied to dy.
    const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), dy)),
    )([x, w]);
    expect(relativeError(await gx!.data(), referenceInputGrad(c, wv, dyv))).toBeLessThan(TOLERANCE[backend]!);
    expect(relativeError(await gw!.data(), referenceFilterGrad(c, xv, dyv))).toBeLessThan(
      TOLERANCE[backend]!,
    );
    tf.dispose([x, w, dy, gx!, gw!]);
  });
});

describeEachBackend('conv2d gradients in NCHW (channels-first convs: cpu only, wasm has no channels-first Conv2D)', () => {
  it('equal the NHWC gradients (which the float64 reference checks) transposed', async () => {
    const x = tf.tensor4d(seededValues(2 * 3 * 8 * 8, 41), [2, 3, 8, 8]);
    const w = tf.tensor4d(seededValues(3 * 3 * 3 * 4, 42), [3, 3, 3, 4]);
    const loss = (format: 'NCHW' | 'NHWC') => (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same', format)));
    const [dxFirst, dwFirst] = tf.grads(loss('NCHW'))([x, w]);
    const xLast = tf.transpose(x, [0, 2, 3, 1]);
    const [dxLast, dwLast] = tf.grads(loss('NHWC'))([xLast, w]);
    const dxBack = tf.transpose(dxLast!, [0, 3, 1, 2]);
    expect(relativeError(await dwFirst!.data(), await dwLast!.data())).toBeLessThan(1e-6);
    expect(relativeError(await dxFirst!.data(), await dxBack.data())).toBeLessThan(1e-6);
    tf.dispose([x, w, xLast, dxFirst!, dwFirst!, dxLast!, dwLast!, dxBack]);
  });
}, ['cpu']);
