import type {
  Conv2DBackpropInputAttrs,
  Conv2DBackpropInputInputs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { type ConvGeometry, convGeometry } from './conv_info.js';
import { KernelScope } from './kernel_scope.js';

const CONV_ATTRS = { strides: 1, dataFormat: 'NHWC', dilations: 1 };

/**
 * Input gradient of a 2-D convolution (a transposed convolution), built from the backend's own Conv2D.
 *
 * dx[b, i, j, ci] = Σ_{kh, kw, co} dyₛ[b, i + top − kh, j + left − kw, co] · W[kh, kw, ci, co], where dyₛ is dy
 * with (stride − 1) zeros inserted between samples. That is a stride-1 convolution of dyₛ with the
 * filter rotated 180° and its channel axes swapped. 1×1 filters skip the zeros: the product runs on
 * the small grid and the result is spread out afterwards.
 */
export function conv2DBackpropInputFromConv(
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: NamedAttrMap,
  backend: KernelBackend,
  backendName: string,
): TensorInfo {
  const { dataFormat, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
  const scope = new KernelScope(backend, backendName);
  let result: TensorInfo | undefined;
  try {
    const channelsFirst = dataFormat === 'NCHW';
    const [n, d1, d2, d3] = inputShape;
    const nhwcShape = channelsFirst ? [n, d2, d3, d1] : [n, d1, d2, d3];
    const dyNhwc = channelsFirst ? scope.transpose(dy, [0, 2, 3, 1]) : dy;
    const g = convGeometry(nhwcShape, filter.shape, attrs);
    const dx =
      g.filterHeight === 1 && g.filterWidth === 1
        ? pointwiseInputGrad(scope, dyNhwc, filter, g)
        : spatialInputGrad(scope, dyNhwc, filter, g);
    result = channelsFirst ? scope.transpose(dx, [0, 3, 1, 2]) : dx;
    return result;
  } finally {
    scope.dispose(result);
  }
}

function pointwiseInputGrad(scope: KernelScope, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry) {
  // dx = dy · Wᵀ as a matrix product, W [Ci, Co] transposed to the [Co, Ci] right operand: faster than a 1×1
  // convolution, which transposes its filter once more into its own layout (ResNet-50's 1×1/2 1024→2048 at batch 8:
  // 120 → 103 ms).
  const [b, oh, ow] = dy.shape as [number, number, number, number];
  const wT = scope.transpose(scope.reshape(filter, [g.inChannels, g.outChannels]), [1, 0]);
  const product = scope.run(
    'BatchMatMul',
    { a: scope.reshape(dy, [b * oh * ow, g.outChannels]), b: wT },
    { transposeA: false, transposeB: false },
  );
  const small = scope.reshape(product, [b, oh, ow, g.inChannels]);
  const spread = insertZeros(scope, small, g);
  return scope.padOrCrop(spread, [
    [0, 0],
    [-g.padTop, g.inHeight + g.padTop - g.outHeight * g.strideHeight],
    [-g.padLeft, g.inWidth + g.padLeft - g.outWidth * g.strideWidth],
    [0, 0],
  ]);
}

function spatialInputGrad(scope: KernelScope, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry) {
  if (g.strideHeight > 1 || g.strideWidth > 1) return stridedSpatialInputGrad(scope, dy, filter, g);
  const rotated = rotatedFilter(scope, filter);
  const padded = scope.padOrCrop(dy, [
    [0, 0],
    [g.filterHeight - 1 - g.padTop, g.inHeight + g.padTop - g.outHeight],
    [g.filterWidth - 1 - g.padLeft, g.inWidth + g.padLeft - g.outWidth],
    [0, 0],
  ]);
  return scope.run('Conv2D', { x: padded, filter: rotated }, { ...CONV_ATTRS, pad: 'valid' });
}

/**
 * A strided filter's input gradient by stride phases (sub-pixel convolution), without the zero-spread dy: the
 * padded input's rows r = q·sh + a (a < sh) only receive the taps kh = a + m·sh, so phase (a, b) of dx is a
 * stride-1 convolution of dy with the sub-filter W[a::sh, b::sw] (rotated 180°); the sh·sw phases are then
 * interleaved. Same sums as convolving the zero-spread dy, with sh·sw times fewer products and no tensor of
 * dy's size times sh·sw (a 7×7/2 stem at batch 8: ~230 MB of transients less at the end of the backward pass).
 */
function stridedSpatialInputGrad(scope: KernelScope, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry) {
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = g;
  // Phase grids: Q·sh ≥ top + H rows and P·sw ≥ left + W columns of the padded input.
  const q = Math.ceil((g.padTop + g.inHeight) / sh);
  const p = Math.ceil((g.padLeft + g.inWidth) / sw);
  const rowsOfPhases: TensorInfo[] = [];
  for (let a = 0; a < sh; a++) {
    const row: TensorInfo[] = [];
    for (let b = 0; b < sw; b++) {
      const m = Math.ceil((kh - a) / sh);
      const n = Math.ceil((kw - b) / sw);
      let out: TensorInfo;
      if (m <= 0 || n <= 0) {
        out = scope.run('Fill', {}, { shape: [g.batch, q, p, g.inChannels], value: 0, dtype: 'float32' });
      } else {
        const rotated = rotatedSubFilter(scope, filter, a, b, sh, sw);
        // dx_ab[q'] = Σ_m' dy[q' − m'] · W[a + m'·sh]: dy padded by m − 1 before and cut or padded to Q rows after.
        const padded = scope.padOrCrop(dy, [
          [0, 0],
          [m - 1, q - g.outHeight],
          [n - 1, p - g.outWidth],
          [0, 0],
        ]);
        out = scope.run('Conv2D', { x: padded, filter: rotated }, { ...CONV_ATTRS, pad: 'valid' });
        if (padded !== dy) scope.free(padded);
      }
      row.push(scope.reshape(out, [g.batch, q, 1, p, 1, g.inChannels]));
    }
    rowsOfPhases.push(row.length === 1 ? row[0]! : scope.run('Concat', row as never, { axis: 4 }));
  }
  const woven =
    rowsOfPhases.length === 1 ? rowsOfPhases[0]! : scope.run('Concat', rowsOfPhases as never, { axis: 2 });
  const full = scope.reshape(woven, [g.batch, q * sh, p * sw, g.inChannels]);
  return scope.padOrCrop(full, [
    [0, 0],
    [-g.padTop, g.inHeight + g.padTop - q * sh],
    [-g.padLeft, g.inWidth + g.padLeft - p * sw],
    [0, 0],
  ]);
}

/**
 * The filter rotated 180° with its channel axes swapped, R[i, j, co, ci] = W[KH − 1 − i, KW − 1 − j, ci, co].
 * The taps are reversed as whole [Ci, Co] slices: wasm's Reverse kernel takes ~100 ms on a 3×3 512→512 filter
 * (ResNet-50's last stage), some 25× longer than copying it.
 */
function rotatedFilter(scope: KernelScope, filter: TensorInfo): TensorInfo {
  return rotatedSubFilter(scope, filter, 0, 0, 1, 1);
}

/**
 * The sub-filter W[a::sh, b::sw] rotated 180° with its channel axes swapped, gathered as whole [Ci, Co] taps.
 * wasm's StridedSlice walks the filter value by value: 53 ms per phase of a 3×3/2 256→512 filter (ResNet-18's
 * last stage; the four phases took 5.5× the layer's forward convolution), against < 1 ms for the tap copies.
 */
function rotatedSubFilter(
  scope: KernelScope,
  filter: TensorInfo,
  a: number,
  b: number,
  sh: number,
  sw: number,
) {
  const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
  const m = Math.ceil((kh - a) / sh);
  const n = Math.ceil((kw - b) / sw);
  const rows = scope.reshape(filter, [kh * kw, ci, co]);
  const taps: number[] = [];
  // Rotated tap (i, j) is the sub-filter's (m − 1 − i, n − 1 − j), i.e. the filter's (a + (m − 1 − i)·sh, …).
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) taps.push((a + (m - 1 - i) * sh) * kw + b + (n - 1 - j) * sw);
  }
  const identity = taps.length === kh * kw && taps.every((t, k) => t === k);
  const gathered = identity
    ? rows
    : taps.length === 1
      ? scope.run('Slice', { x: rows }, { begin: [taps[0]!, 0, 0], size: [1, ci, co] })
      : scope.run(
          'Concat',
          taps.map((t) => scope.run('Slice', { x: rows }, { begin: [t, 0, 0], size: [1, ci, co] })) as never,
          { axis: 0 },
        );
  return scope.reshape(scope.transpose(gathered, [0, 2, 1]), [m, n, co, ci]);
}

/** [B, H, W, C] → [B, H·sh, W·sw, C] with each sample followed by (stride − 1) zeros along H and W. */
function insertZeros(scope: KernelScope, t: TensorInfo, g: ConvGeometry): TensorInfo {
  const { strideHeight: sh, strideWidth: sw } = g;
  if (sh === 1 && sw === 1) return t;
  const [b, h, w, c] = t.shape as [number, number, number, number];
  const split = scope.reshape(t, [b, h, 1, w, 1, c]);
  const padded = scope.run(
    'PadV2',
    { x: split },
    {
      paddings: [
        [0, 0],
        [0, 0],
        [0, sh - 1],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  return scope.reshape(padded, [b, h * sh, w * sw, c]);
}

/** `Conv2DBackpropInput` for `backendName`, composed from that backend's Conv2D. */
export function conv2DBackpropInputConfig(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
    const { dy, filter } = inputs as unknown as Conv2DBackpropInputInputs;
    return conv2DBackpropInputFromConv(dy!, filter!, attrs ?? {}, backend as KernelBackend, backendName);
  };
  return { kernelName: 'Conv2DBackpropInput', backendName, kernelFunc };
}
