import type { TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvGeometry, imagesPerChunk } from './conv_info.js';
import type { KernelScope } from './kernel_scope.js';

/*
 * Filter-gradient layouts for wasm, where KernelScope.view shares heap memory: a chunk of rows, or a shifted
 * window, is an input to XNNPACK without a copy. What they avoid, measured at batch 8 on ResNet-50's shapes:
 * XNNPACK packs a product's right operand at ~5 ns a value (as slow as the product itself when the left operand
 * has only 64 rows), and slicing taps out of x costs ~2 ns a value.
 */

/**
 * A 1×1 filter gradient dW = Xᵀ·dY over x and dy of the same grid ([B, H, W, Ci] and [B, H, W, Co]), per chunk
 * of images. The operand with more channels is transposed chunk by chunk (a [rows, C] transpose that fits in
 * the cache costs ~1.5 ns a value; a whole layer's, ~6) and becomes the product's left operand; the one with
 * fewer channels is packed (a view: no copy, and its packed copy is freed with it). At 56², 64 ↔ 256 channels:
 * 75 → 48 ms. One exception: when dy is the wider one and the whole batch has no more rows than x has channels
 * (ResNet-50's 7², 512 → 2048), x is transposed instead (46 → 37 ms; the [Co, Ci] result's transpose dominates).
 *
 * @returns dW as [Ci, Co].
 */
export function pointwiseFilterGradByViews(
  scope: KernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const { inChannels: ci, outChannels: co } = g;
  const perImage = g.outHeight * g.outWidth;
  const lhsIsDy = co > ci && g.batch * perImage > ci;
  const [lhs, rhs, cl, cr] = lhsIsDy ? [dy, x, co, ci] : [x, dy, ci, co];
  const step = imagesPerChunk(g);
  let sum: TensorInfo | null = null;
  for (let b0 = 0; b0 < g.batch; b0 += step) {
    const rows = Math.min(step, g.batch - b0) * perImage;
    const first = b0 * perImage;
    const lhsChunk = scope.view(lhs, first * cl, [rows, cl]);
    const lhsT = scope.transpose(lhsChunk, [1, 0]);
    scope.free(lhsChunk);
    const rhsChunk = scope.view(rhs, first * cr, [1, rows, cr]);
    const product = scope.run(
      'BatchMatMul',
      { a: scope.reshape(lhsT, [1, cl, rows]), b: rhsChunk },
      { transposeA: false, transposeB: false },
    );
    scope.free(rhsChunk, lhsT);
    sum = accumulate(scope, sum, product);
  }
  const flat = scope.reshape(sum!, [cl, cr]);
  return lhsIsDy ? scope.transpose(flat, [1, 0]) : flat;
}

/**
 * A stride-1 k×k filter gradient with every tap a zero-copy window of x. Per chunk of images, x (padded to the
 * tap grid Hq × Wq = (OH + KH − 1) × (OW + KW − 1)) is transposed to [Ci, L], L = images·Hq·Wq, and dy is padded
 * to the same grid with zeros. Tap (i, j) is then x shifted by s = i·Wq + j along each row: the window of
 * [Ci, L] values from element s on, rows L apart, is exactly XNNPACK's [Ci, L] left operand. At grid positions
 * outside dy's OH × OW the window holds other values (the next row's, or the next channel's), but dy is zero
 * there, so they add nothing; an extra zero channel keeps the last row's window inside the buffer (and finite).
 * dy's chunk is packed once for all taps. The products are longer by the padding (7 % at 56², 15 % at 28²) but
 * no tap is copied: 3×3, 64 channels at 56², batch 8: 116 → 93 ms; 128 at 28²: 108 → 91 ms; 64 at 224²,
 * batch 2: 549 → 435 ms. (Non-finite values in x may reach other taps through the windows' padding.)
 *
 * @returns dW as [KH·KW, Ci, Co].
 */
export function stride1FilterGradByTapViews(
  scope: KernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, inChannels: ci, outChannels: co } = g;
  const hq = g.outHeight + kh - 1;
  const wq = g.outWidth + kw - 1;
  const xPadded = scope.padOrCrop(x, [
    [0, 0],
    [g.padTop, hq - g.padTop - g.inHeight],
    [g.padLeft, wq - g.padLeft - g.inWidth],
    [0, 1],
  ]);
  const dyPadded = scope.padOrCrop(dy, [
    [0, 0],
    [0, kh - 1],
    [0, kw - 1],
    [0, 0],
  ]);
  const perImage = hq * wq;
  const step = imagesPerChunk(g);
  const sums: (TensorInfo | null)[] = Array.from({ length: kh * kw }, () => null);
  for (let b0 = 0; b0 < g.batch; b0 += step) {
    const grid = Math.min(step, g.batch - b0) * perImage;
    const xChunk = scope.view(xPadded, b0 * perImage * (ci + 1), [grid, ci + 1]);
    const xT = scope.transpose(xChunk, [1, 0]);
    scope.free(xChunk);
    const dyChunk = scope.view(dyPadded, b0 * perImage * co, [1, grid, co]);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const tap = scope.view(xT, i * wq + j, [1, ci, grid]);
        const product = scope.run(
          'BatchMatMul',
          { a: tap, b: dyChunk },
          { transposeA: false, transposeB: false },
        );
        scope.free(tap);
        sums[i * kw + j] = accumulate(scope, sums[i * kw + j] ?? null, product);
      }
    }
    scope.free(dyChunk, xT);
  }
  scope.free(xPadded, dyPadded);
  return sums.length === 1 ? sums[0]! : scope.run('Concat', sums as TensorInfo[] as never, { axis: 0 });
}

/** sum + value (value alone at first), freeing what it replaces. */
function accumulate(scope: KernelScope, sum: TensorInfo | null, value: TensorInfo): TensorInfo {
  if (sum === null) return value;
  const next = scope.run('Add', { a: sum, b: value });
  scope.free(sum, value);
  return next;
}
