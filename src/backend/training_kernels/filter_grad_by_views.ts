import type { TensorInfo } from '@tensorflow/tfjs-core';
import { CHUNK_ROWS, type ConvGeometry, imagesPerChunk } from './conv_info.js';
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
 * A k×k filter gradient with every tap a zero-copy window of x. Per chunk (whole images, or a band of one image's
 * output rows: {@link chunksOf}), x is padded to whole stride periods and split into its stride phases (x itself at
 * stride 1), each a grid of Hq × Wq = (OH + ⌊(KH − 1)/sh⌋) × (OW + ⌊(KW − 1)/sw⌋) pixels (OH: the chunk's output
 * rows), and dy is padded with zeros to the same grid. Each phase
 * of the chunk is transposed to [Ci, L], L = images·Hq·Wq; tap (i, j) is then its phase (i mod sh, j mod sw) shifted by
 * s = ⌊i/sh⌋·Wq + ⌊j/sw⌋ along each row: the window of [Ci, L] values from element s on, rows L apart, is
 * exactly XNNPACK's [Ci, L] left operand. At grid positions outside dy's OH × OW the window holds other values
 * (the next row's, or the next channel's), but dy is zero there, so they add nothing; an extra zero channel
 * keeps the last row's window inside the buffer (and finite). dy's chunk is packed once for all taps. With
 * few input channels (`stackTaps`) all windows are stacked into one product (a product of height Ci is slow;
 * the stack copies whole rows): ResNet's 7×7/2 stem, batch 8: 199 → 178 ms; 3×3/2, 64 → 128 at 56²: 61 → 50 ms.
 * The products are longer by the padding (7 % at 56², 15 % at 28²) but no
 * tap is sliced: 3×3, 64 channels at 56², batch 8: 116 → 93 ms; 128 at 28²: 108 → 91 ms; 64 at 224², batch 2:
 * 549 → 435 ms. (Non-finite values in x may reach other taps through the windows' padding.)
 *
 * @returns dW as [KH·KW, Ci, Co].
 */
export function filterGradByTapViews(
  scope: KernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
  stackTaps: boolean,
): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = g;
  const { inChannels: ci, outChannels: co } = g;
  const hq = g.outHeight + Math.floor((kh - 1) / sh);
  const wq = g.outWidth + Math.floor((kw - 1) / sw);
  // The stride phase of tap (i, j), and its shift within the phase's grid.
  const phaseOf = (tap: number) => (Math.floor(tap / kw) % sh) * sw + ((tap % kw) % sw);
  const shift = (tap: number) => Math.floor(Math.floor(tap / kw) / sh) * wq + Math.floor((tap % kw) / sw);
  const phaseKeys = [...new Set(Array.from({ length: kh * kw }, (_, tap) => phaseOf(tap)))];
  // Per tap (or for all taps at once, when stacked: key 0) the sum over chunks.
  const sums = new Map<number, TensorInfo>();
  const add = (key: number, value: TensorInfo) =>
    sums.set(key, accumulate(scope, sums.get(key) ?? null, value));
  // Each chunk is padded on its own: padded copies of a whole layer (VGG's first block at batch 8: 2 × 105 MB)
  // would sit on the heap next to the backward pass's other large tensors.
  for (const { b0, images, o0, oRows } of chunksOf(g, hq * wq)) {
    const hqChunk = oRows + (hq - g.outHeight);
    const grid = images * hqChunk * wq;
    const [xChunk, rowPad] = inputRows(scope, x, g, b0, images, o0 * sh - g.padTop, hqChunk * sh);
    const xPadded = scope.padOrCrop(xChunk, [
      [0, 0],
      rowPad,
      [g.padLeft, wq * sw - g.padLeft - g.inWidth],
      [0, 1],
    ]);
    scope.free(xChunk);
    const dyImages = scope.view(dy, (b0 * g.outHeight + o0) * g.outWidth * co, [
      images,
      oRows,
      g.outWidth,
      co,
    ]);
    const dyPadded = scope.padOrCrop(dyImages, [
      [0, 0],
      [0, hqChunk - oRows],
      [0, wq - g.outWidth],
      [0, 0],
    ]);
    const dyChunk = scope.view(dyPadded, 0, [1, grid, co]);
    const product = (lhs: TensorInfo) =>
      scope.run('BatchMatMul', { a: lhs, b: dyChunk }, { transposeA: false, transposeB: false });
    // Phase `key` of the chunk, transposed to [Ci + 1, grid].
    const transposed = (key: number) => {
      const phase = phaseGrid(scope, xPadded, Math.floor(key / sw), key % sw, images, hqChunk, wq, sh, sw);
      const flat = scope.view(phase, 0, [grid, ci + 1]);
      const xT = scope.transpose(flat, [1, 0]);
      scope.free(flat);
      if (phase !== xPadded) scope.free(phase);
      return xT;
    };
    if (stackTaps) {
      // Every tap's window, of every phase, stacked in (i, j) order: one product for the chunk.
      const xTs = new Map(phaseKeys.map((key) => [key, transposed(key)]));
      const windows = [];
      for (let tap = 0; tap < kh * kw; tap++)
        windows.push(scope.view(xTs.get(phaseOf(tap))!, shift(tap), [ci, grid]));
      const stacked = scope.run('Concat', windows as never, { axis: 0 });
      scope.free(...windows, ...xTs.values());
      add(0, product(scope.reshape(stacked, [1, kh * kw * ci, grid])));
      scope.free(stacked);
    } else {
      for (const key of phaseKeys) {
        const xT = transposed(key);
        for (let tap = 0; tap < kh * kw; tap++) {
          if (phaseOf(tap) !== key) continue;
          const window = scope.view(xT, shift(tap), [1, ci, grid]);
          add(tap, product(window));
          scope.free(window);
        }
        scope.free(xT);
      }
    }
    scope.free(dyChunk);
    if (dyPadded !== dyImages) scope.free(dyPadded);
    scope.free(dyImages, xPadded);
  }
  if (stackTaps) return sums.get(0)!;
  const perTap = Array.from({ length: kh * kw }, (_, tap) => sums.get(tap)!);
  return scope.run('Concat', perTap as never, { axis: 0 });
}

/** Rows of a product's inner size above which a stride-1 filter gradient splits each image into bands of rows. */
const BAND_ROWS_ABOVE = 3 * CHUNK_ROWS;

/** A chunk of the inner size: `images` whole images from `b0` on, or output rows [o0, o0 + oRows) of image b0. */
interface Chunk {
  b0: number;
  images: number;
  o0: number;
  oRows: number;
}

/**
 * The chunks of a filter gradient over phase grids of `perImage` pixels: whole images ({@link imagesPerChunk}),
 * or, at stride 1 where one image's grid is larger than {@link BAND_ROWS_ABOVE}, bands of output rows of each
 * image. XNNPACK streams the packed right operand once per block of left-operand rows without blocking the inner
 * size, so a very long product is memory-bound: 64 × 51076 × 64 (VGG's 224² layers, one image) ran at 9.8 GMAC/s,
 * in four blocks of the inner size at 11.9. A band's grid has the filter's extra rows too (at 224² in 6 bands, 4 %
 * more products). Batch 8: VGG's 3×3 64 → 64 at 224², 1696 → 1468 ms; 128 → 128 at 112², 1536 → 1354 ms. A 7×7/2
 * stem (3 extra phase rows a band) was 5 % slower in bands.
 */
function chunksOf(g: ConvGeometry, perImage: number): Chunk[] {
  const chunks: Chunk[] = [];
  const stride1 = g.strideHeight === 1 && g.strideWidth === 1;
  if (perImage <= BAND_ROWS_ABOVE || !stride1) {
    const step = imagesPerChunk(g);
    for (let b0 = 0; b0 < g.batch; b0 += step) {
      chunks.push({ b0, images: Math.min(step, g.batch - b0), o0: 0, oRows: g.outHeight });
    }
    return chunks;
  }
  const bands = Math.ceil(perImage / BAND_ROWS_ABOVE);
  const rows = Math.ceil(g.outHeight / bands);
  for (let b0 = 0; b0 < g.batch; b0++) {
    for (let o0 = 0; o0 < g.outHeight; o0 += rows) {
      chunks.push({ b0, images: 1, o0, oRows: Math.min(rows, g.outHeight - o0) });
    }
  }
  return chunks;
}

/**
 * Rows [start, start + count) of images b0… of x (negative or past the end: padding), as a view of the rows that
 * exist and the [before, after] row padding that completes them. Several images are taken whole and cropped or
 * padded by the padding (start ≤ 0 then).
 */
function inputRows(
  scope: KernelScope,
  x: TensorInfo,
  g: ConvGeometry,
  b0: number,
  images: number,
  start: number,
  count: number,
): [TensorInfo, [number, number]] {
  const rowValues = g.inWidth * g.inChannels;
  if (images > 1) {
    const view = scope.view(x, b0 * g.inHeight * rowValues, [images, g.inHeight, g.inWidth, g.inChannels]);
    return [view, [-start, start + count - g.inHeight]];
  }
  const first = Math.max(0, start);
  const end = Math.min(g.inHeight, start + count);
  const view = scope.view(x, (b0 * g.inHeight + first) * rowValues, [
    1,
    end - first,
    g.inWidth,
    g.inChannels,
  ]);
  return [view, [first - start, start + count - end]];
}

/** Phase (ph, pw) of x [N, Hq·sh, Wq·sw, C] (rows ph, ph + sh, …; columns pw, pw + sw, …) as [N, Hq, Wq, C]. */
function phaseGrid(
  scope: KernelScope,
  x: TensorInfo,
  ph: number,
  pw: number,
  images: number,
  hq: number,
  wq: number,
  sh: number,
  sw: number,
): TensorInfo {
  if (sh === 1 && sw === 1) return x;
  const c = x.shape[3]!;
  const rows = scope.reshape(x, [images * hq, sh, wq, sw * c]);
  const picked = scope.run(
    'Slice',
    { x: rows },
    { begin: [0, ph, 0, pw * c], size: [images * hq, 1, wq, c] },
  );
  scope.free(rows);
  const grid = scope.reshape(picked, [images, hq, wq, c]);
  scope.free(picked);
  return grid;
}

/** sum + value (value alone at first), freeing what it replaces. */
function accumulate(scope: KernelScope, sum: TensorInfo | null, value: TensorInfo): TensorInfo {
  if (sum === null) return value;
  const next = scope.run('Add', { a: sum, b: value });
  scope.free(sum, value);
  return next;
}
