import {
  backend_util,
  type DataId,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { maxPoolGradModule } from './wasm/heap_module.js';

/** What this kernel uses of tfjs-backend-wasm's BackendWasm (not exported as a type by the package). */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  dataIdMap: { get(dataId: DataId): { memoryOffset: number } | undefined };
  wasm: unknown;
}

/**
 * wasm's MaxPoolGrad as one pass over the pooling windows: each window's first maximum (row-major, as the
 * cpu backend and TensorFlow pick it; NaN never wins) receives that window's dy, added up where windows
 * overlap. tfjs-backend-wasm 4.22's own kernel revisits every window from every input pixel: 0.55 s for
 * ResNet-50's stem pool at batch 8 (3×3/2 over [8, 112, 112, 64]). The pass runs in a small hand-written SIMD
 * module on the backend's heap (wasm/max_pool_grad.wat), four channels per compare; where that module cannot be
 * instantiated, the same pass in JS (~6 ns per comparison, branch-bound). Anything but float32 NHWC without
 * dilation goes to the original kernel.
 */
export function maxPoolGradByWindows(original: KernelConfig): KernelConfig {
  const kernelFunc = ((args) => {
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as {
      filterSize: [number, number] | number;
      strides: [number, number] | number;
      pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
    };
    if (input.dtype !== 'float32' || dy.dtype !== 'float32' || input.shape.length !== 4) {
      return (original.kernelFunc as KernelFunc)(args);
    }
    const info = backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const backend = args.backend as unknown as WasmHeapBackend;
    // Allocate first: a malloc may grow the heap, which detaches views taken before it.
    const dx = backend.makeOutput(input.shape, 'float32');
    const dxVals = backend.typedArrayFromHeap(dx) as Float32Array;
    dxVals.fill(0);
    const simd = maxPoolGradModule(backend.wasm);
    const offset = (t: TensorInfo) => backend.dataIdMap.get(t.dataId)?.memoryOffset;
    const [xAt, dyAt, dxAt] = [offset(input), offset(dy), offset(dx)];
    if (simd !== undefined && xAt !== undefined && dyAt !== undefined && dxAt !== undefined) {
      simd.maxPoolGrad(
        xAt,
        dyAt,
        dxAt,
        info.batchSize,
        info.inHeight,
        info.inWidth,
        info.inChannels,
        info.outHeight,
        info.outWidth,
        info.strideHeight,
        info.strideWidth,
        info.filterHeight,
        info.filterWidth,
        info.padInfo.top,
        info.padInfo.left,
      );
      return dx;
    }
    scatterWindowMaxima(
      backend.typedArrayFromHeap(input) as Float32Array,
      backend.typedArrayFromHeap(dy) as Float32Array,
      dxVals,
      info,
    );
    return dx;
  }) as KernelFunc;
  return { ...original, kernelFunc };
}

/** dx[argmax of each window] += dy[window], channel by channel (channels innermost, as NHWC stores them). */
export function scatterWindowMaxima(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  info: backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const best = new Float32Array(c);
  const at = new Int32Array(c);
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = Math.max(0, oh * strideHeight - top);
      const h1 = Math.min(inHeight, oh * strideHeight - top + filterHeight);
      for (let ow = 0; ow < outWidth; ow++, o += c) {
        const w0 = Math.max(0, ow * strideWidth - left);
        const w1 = Math.min(inWidth, ow * strideWidth - left + filterWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        at.fill(-1);
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const base = ((b * inHeight + h) * inWidth + w) * c;
            for (let k = 0; k < c; k++) {
              const v = x[base + k]!;
              // Strictly greater: the first maximum keeps the gradient (a window of NaN or −∞ only passes none, as on cpu).
              if (v > best[k]!) {
                best[k] = v;
                at[k] = base + k;
              }
            }
          }
        }
        for (let k = 0; k < c; k++) {
          const i = at[k]!;
          if (i >= 0) dx[i]! += dy[o + k]!;
        }
      }
    }
  }
}
