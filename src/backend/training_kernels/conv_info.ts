import { backend_util, type NamedAttrMap } from '@tensorflow/tfjs-core';

/** Geometry of a 2-D convolution in NHWC, as the composite gradient kernels need it. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/** Reads the geometry of the forward conv from a backprop kernel's attributes (dilation is always 1 there). */
export function convGeometry(
  inputShape: readonly number[],
  filterShape: readonly number[],
  attrs: NamedAttrMap,
): ConvGeometry {
  const info = backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as backend_util.ExplicitPadding | 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * Rows of the filter gradient's inner dimension per product: the inner size B·OH·OW is cut into chunks of whole
 * images, about this many rows each, and the chunks' products added up, so that a product's packed operand stays
 * in the CPU's cache while the product streams over it (XNNPACK does not split the inner dimension itself). At
 * ResNet-50's 56² layers, batch 8, this halves the filter gradient's time.
 */
export const CHUNK_ROWS = 3136;

/** Whole images per chunk of {@link CHUNK_ROWS} rows (at least one). */
export function imagesPerChunk(g: ConvGeometry): number {
  return Math.max(1, Math.min(g.batch, Math.floor(CHUNK_ROWS / (g.outHeight * g.outWidth))));
}
