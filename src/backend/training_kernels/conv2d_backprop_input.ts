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
  const wT = scope.reshape(scope.transpose(scope.reshape(filter, [g.inChannels, g.outChannels]), [1, 0]), [
    1,
    1,
    g.outChannels,
    g.inChannels,
  ]);
  const small = scope.run('Conv2D', { x: dy, filter: wT }, { ...CONV_ATTRS, pad: 'valid' });
  const spread = insertZeros(scope, small, g);
  return scope.padOrCrop(spread, [
    [0, 0],
    [-g.padTop, g.inHeight + g.padTop - g.outHeight * g.strideHeight],
    [-g.padLeft, g.inWidth + g.padLeft - g.outWidth * g.strideWidth],
    [0, 0],
  ]);
}

function spatialInputGrad(scope: KernelScope, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry) {
  const rotated = scope.transpose(scope.run('Reverse', { x: filter }, { dims: [0, 1] }), [0, 1, 3, 2]);
  const spread = insertZeros(scope, dy, g);
  const padded = scope.padOrCrop(spread, [
    [0, 0],
    [g.filterHeight - 1 - g.padTop, g.inHeight + g.padTop - g.outHeight * g.strideHeight],
    [g.filterWidth - 1 - g.padLeft, g.inWidth + g.padLeft - g.outWidth * g.strideWidth],
    [0, 0],
  ]);
  return scope.run('Conv2D', { x: padded, filter: rotated }, { ...CONV_ATTRS, pad: 'valid' });
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
