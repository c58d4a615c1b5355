import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropFilterInputs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { CHUNK_ROWS, convGeometry, imagesPerChunk } from './conv_info.js';
import { filterGradByTapViews, pointwiseFilterGradByViews } from './filter_grad_by_views.js';
import { KernelScope } from './kernel_scope.js';

/** Below this many input channels, taps are stacked into one product (a product of height Ci is slow). */
const STACK_TAPS_BELOW_CHANNELS = 32;

/**
 * Filter gradient of a 2-D convolution, built from the backend's own Conv2D (XNNPACK GEMM on wasm).
 *
 * dW[kh, kw, ci, co] = Σ_{b, oh, ow} x[b, oh·sh + kh − top, ow·sw + kw − left, ci] · dy[b, oh, ow, co].
 * For each filter tap (kh, kw) this is one matrix product X_tapᵀ · dY with inner size P = B·OH·OW, run
 * as a 1×1 convolution of X_tapᵀ (seen as [Ci, 1, 1, P]) with dy (seen as a [1, 1, P, Co] filter); the
 * filter operand is the same tensor for every tap, so the backend packs it once.
 *
 * x is split once into its stride phases, each laid out [Ci, B, Hq, Wq], so every tap is a contiguous
 * slice of one phase (wasm's StridedSlice is 5× slower than Slice, and its rank-6 kernels are slower
 * still, so everything stays rank 4); a 1×1 filter needs no slice at all. The inner size is cut into chunks of
 * whole images ({@link CHUNK_ROWS}). Some shapes take another layout, measured faster there: on wasm, where chunks
 * and taps can be zero-copy views, every 1×1 filter and k×k filters whose padded grid is at most 25 % larger than
 * dy's (filter_grad_by_views.ts); elsewhere a 1×1 filter with more input than output channels over a large x
 * (computed transposed).
 */
export function conv2DBackpropFilterFromConv(
  x: TensorInfo,
  dy: TensorInfo,
  attrs: NamedAttrMap,
  backend: KernelBackend,
  backendName: string,
): TensorInfo {
  const { dataFormat, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const scope = new KernelScope(backend, backendName);
  let result: TensorInfo | undefined;
  try {
    const channelsFirst = dataFormat === 'NCHW';
    const xNhwc = channelsFirst ? scope.transpose(x, [0, 2, 3, 1]) : x;
    const dyNhwc = channelsFirst ? scope.transpose(dy, [0, 2, 3, 1]) : dy;
    const g = convGeometry(xNhwc.shape, filterShape, attrs);
    const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = g;
    const pointwise = kh === 1 && kw === 1 && sh === 1 && sw === 1 && g.padTop === 0 && g.padLeft === 0;
    if (scope.viewsShareMemory && kh === 1 && kw === 1) {
      const xGrid = pointwise ? xNhwc : strideGrid(scope, xNhwc, g);
      result = scope.reshape(pointwiseFilterGradByViews(scope, xGrid, dyNhwc, g), [...filterShape]);
      return result;
    }
    const stackTaps = kh * kw > 1 && g.inChannels < STACK_TAPS_BELOW_CHANNELS;
    // Tap windows run over a padded grid: taken where it is at most 25 % larger than dy's (AlexNet's 5×5 at 27²,
    // 32 % larger, was slower than slicing taps), or where the taps are stacked (fewer, larger products).
    const grid =
      ((g.outHeight + Math.floor((kh - 1) / sh)) * (g.outWidth + Math.floor((kw - 1) / sw))) /
      (g.outHeight * g.outWidth);
    if (scope.viewsShareMemory && (stackTaps || grid <= 1.25)) {
      result = scope.reshape(filterGradByTapViews(scope, xNhwc, dyNhwc, g, stackTaps), [...filterShape]);
      return result;
    }
    // Transposed only where x is large (more than one chunk): at 14² and below the plain way is as fast or faster.
    const chunked = g.batch * g.outHeight * g.outWidth > CHUNK_ROWS;
    if (pointwise && chunked && g.inChannels > g.outChannels) {
      result = scope.reshape(pointwiseFilterGradTransposed(scope, xNhwc, dyNhwc, g), [...filterShape]);
      return result;
    }

    // Pad (or crop) x so each spatial axis holds whole stride periods: Hq = OH + ⌊(KH − 1) / sh⌋.
    const hq = g.outHeight + Math.floor((kh - 1) / sh);
    const wq = g.outWidth + Math.floor((kw - 1) / sw);
    const xPadded = scope.padOrCrop(xNhwc, [
      [0, 0],
      [g.padTop, hq * sh - g.padTop - g.inHeight],
      [g.padLeft, wq * sw - g.padLeft - g.inWidth],
      [0, 0],
    ]);
    const phases = new Map<number, TensorInfo>();
    const phase = (ph: number, pw: number) => {
      const key = ph * sw + pw;
      if (!phases.has(key)) phases.set(key, extractPhase(scope, xPadded, ph, pw, sh, sw));
      return phases.get(key)!;
    };
    // The inner size P = B·OH·OW in chunks of whole images: each chunk of dy is packed once, used for every tap.
    const perImage = g.outHeight * g.outWidth;
    const step = imagesPerChunk(g);
    const taps = kh * kw;
    const sums: (TensorInfo | null)[] = Array.from({ length: stackTaps ? 1 : taps }, () => null);
    const accumulate = (k: number, value: TensorInfo) => {
      const prev = sums[k] ?? null;
      sums[k] = prev === null ? value : scope.run('Add', { a: prev, b: value });
      if (prev !== null) scope.free(prev, value);
    };
    for (let b0 = 0; b0 < g.batch; b0 += step) {
      const nb = Math.min(step, g.batch - b0);
      const rows = nb * perImage;
      // The filter operand of this chunk's products. The backend packs it and caches the packed copy under its
      // buffer's id until that buffer is freed (wasm: XNNPACK weights), so it must be a buffer of this scope:
      // packing dy itself would keep a packed copy of every layer's dy alive for as long as the caller keeps dy.
      const dyChunk =
        nb === g.batch && dyNhwc !== dy
          ? dyNhwc
          : nb === g.batch
            ? copyOf(scope, dy)
            : scope.run(
                'Slice',
                { x: dyNhwc },
                { begin: [b0, 0, 0, 0], size: [nb, g.outHeight, g.outWidth, g.outChannels] },
              );
      const dyFilter = scope.reshape(dyChunk, [1, 1, rows, g.outChannels]);
      const product = (lhs: TensorInfo) =>
        scope.run(
          'Conv2D',
          { x: lhs, filter: dyFilter },
          { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 },
        );
      // Tap (i, j) of this chunk as [Ci, 1, 1, rows], freed once used when it is a copy of its own.
      const tapAt = (i: number, j: number) => {
        const source = phase(i % sh, j % sw);
        const tap = sliceIfNeeded(
          scope,
          source,
          [0, b0, Math.floor(i / sh), Math.floor(j / sw)],
          [g.inChannels, nb, g.outHeight, g.outWidth],
        );
        return { tap, flat: scope.reshape(tap, [g.inChannels, 1, 1, rows]), sliced: tap !== source };
      };
      const release = (t: { tap: TensorInfo; flat: TensorInfo; sliced: boolean }) =>
        t.sliced ? scope.free(t.flat, t.tap) : scope.free(t.flat);
      if (stackTaps) {
        // Few input channels: the taps stacked into one product (a product of height Ci is slow).
        const chunkTaps = [];
        for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) chunkTaps.push(tapAt(i, j));
        const lhs = scope.run('Concat', chunkTaps.map((t) => t.flat) as never, { axis: 0 });
        for (const t of chunkTaps) release(t);
        accumulate(0, product(lhs));
        scope.free(lhs);
      } else {
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const t = tapAt(i, j);
            accumulate(i * kw + j, product(t.flat));
            release(t);
          }
        }
      }
      scope.free(dyFilter, dyChunk);
    }
    scope.free(...phases.values(), xPadded);
    const stacked = sums.length === 1 ? sums[0]! : scope.run('Concat', sums as never, { axis: 0 });
    result = scope.reshape(stacked, [...filterShape]);
    return result;
  } finally {
    scope.dispose(result);
  }
}

/**
 * A 1×1, stride-1 filter gradient with more input than output channels, computed transposed: dWᵀ = dyᵀ·X per
 * chunk of images, with x's chunk (natural layout, [rows, Ci]) as the packed operand and dy's chunk transposed,
 * then dWᵀ transposed back ([Co, Ci], small). The transposed operand is then the narrower one: transposing x
 * ([P, 256] at ResNet-50's 56² layers) cost more than the product (that layer's gradient: 108 → 75 ms at batch 8).
 */
function pointwiseFilterGradTransposed(
  scope: KernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  g: ReturnType<typeof convGeometry>,
): TensorInfo {
  const perImage = g.outHeight * g.outWidth;
  const step = imagesPerChunk(g);
  let sum: TensorInfo | null = null;
  for (let b0 = 0; b0 < g.batch; b0 += step) {
    const nb = Math.min(step, g.batch - b0);
    const rows = nb * perImage;
    // x's chunk is packed and cached under its buffer's id (see above): always a buffer of this scope.
    const xChunk =
      nb === g.batch
        ? copyOf(scope, x)
        : scope.run(
            'Slice',
            { x },
            { begin: [b0, 0, 0, 0], size: [nb, g.inHeight, g.inWidth, g.inChannels] },
          );
    const dyChunk =
      nb === g.batch
        ? dy
        : scope.run(
            'Slice',
            { x: dy },
            { begin: [b0, 0, 0, 0], size: [nb, g.outHeight, g.outWidth, g.outChannels] },
          );
    const dyT = scope.transpose(scope.reshape(dyChunk, [rows, g.outChannels]), [1, 0]);
    const product = scope.run(
      'Conv2D',
      {
        x: scope.reshape(dyT, [g.outChannels, 1, 1, rows]),
        filter: scope.reshape(xChunk, [1, 1, rows, g.inChannels]),
      },
      { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 },
    );
    scope.free(xChunk, dyT);
    if (dyChunk !== dy) scope.free(dyChunk);
    if (sum === null) {
      sum = product;
    } else {
      const next = scope.run('Add', { a: sum, b: product });
      scope.free(sum, product);
      sum = next;
    }
  }
  return scope.transpose(scope.reshape(sum!, [g.outChannels, g.inChannels]), [1, 0]);
}

/**
 * The pixels a 1×1 filter with stride (sh, sw) and padding reads, x[b, oh·sh − top, ow·sw − left, c], as
 * [B, OH, OW, C]: x padded (or cropped) to OH·sh × OW·sw, then every sh-th row and sw-th column.
 */
function strideGrid(scope: KernelScope, x: TensorInfo, g: ReturnType<typeof convGeometry>): TensorInfo {
  const { strideHeight: sh, strideWidth: sw } = g;
  const xPadded = scope.padOrCrop(x, [
    [0, 0],
    [g.padTop, g.outHeight * sh - g.padTop - g.inHeight],
    [g.padLeft, g.outWidth * sw - g.padLeft - g.inWidth],
    [0, 0],
  ]);
  const picked = scope.reshape(
    sliceIfNeeded(
      scope,
      scope.reshape(xPadded, [g.batch * g.outHeight, sh, g.outWidth, sw * g.inChannels]),
      [0, 0, 0, 0],
      [g.batch * g.outHeight, 1, g.outWidth, g.inChannels],
    ),
    [g.batch, g.outHeight, g.outWidth, g.inChannels],
  );
  return picked;
}

/** Rows ph, ph + sh, … and columns pw, pw + sw, … of x [B, Hq·sh, Wq·sw, C], as [C, B, Hq, Wq]. */
function extractPhase(scope: KernelScope, x: TensorInfo, ph: number, pw: number, sh: number, sw: number) {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const hq = h / sh;
  const wq = w / sw;
  const grid = scope.reshape(x, [b * hq, sh, wq, sw * c]);
  const picked = sliceIfNeeded(scope, grid, [0, ph, 0, pw * c], [b * hq, 1, wq, c]);
  const unflat = scope.reshape(picked, [b, hq, wq, c]);
  const out = scope.transpose(unflat, [3, 0, 1, 2]);
  scope.free(unflat, picked, grid); // `picked` may be `grid`: freed once
  return out;
}

/** A copy of `x` in a buffer of its own (x · 1: exact). */
function copyOf(scope: KernelScope, x: TensorInfo): TensorInfo {
  const one = scope.run('Fill', {}, { shape: [], value: 1, dtype: x.dtype });
  return scope.run('Multiply', { a: x, b: one });
}

function sliceIfNeeded(scope: KernelScope, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const whole = begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i]);
  return whole ? x : scope.run('Slice', { x }, { begin, size });
}

/** `Conv2DBackpropFilter` for `backendName`, composed from that backend's Conv2D. */
export function conv2DBackpropFilterConfig(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
    const { x, dy } = inputs as unknown as Conv2DBackpropFilterInputs;
    return conv2DBackpropFilterFromConv(x!, dy!, attrs ?? {}, backend as KernelBackend, backendName);
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName, kernelFunc };
}
