import {
  backend_util,
  type DataId,
  type KernelConfig,
  type KernelFunc,
  type SplitVAttrs,
  slice_util,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { type CopyValuesModule, copyValuesModule } from './wasm/heap_module.js';

/** What this kernel uses of tfjs-backend-wasm's BackendWasm (not exported as a type by the package). */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  dataIdMap: { get(dataId: DataId): { memoryOffset: number } | undefined };
  wasm: unknown;
}

/**
 * Copies the box `begin`/`size` of `x` into `out` (both on the wasm heap): with copy_values.wat's SIMD loop for
 * 4-byte values where it instantiates, else from JS heap views.
 */
function copyBoxOnHeap(
  backend: WasmHeapBackend,
  x: TensorInfo,
  strides: number[],
  begin: number[],
  size: number[],
  out: TensorInfo,
): void {
  const simd = util.bytesPerElement(x.dtype) === 4 ? copyValuesModule(backend.wasm) : undefined;
  const xAt = backend.dataIdMap.get(x.dataId)?.memoryOffset;
  const outAt = backend.dataIdMap.get(out.dataId)?.memoryOffset;
  if (simd !== undefined && xAt !== undefined && outAt !== undefined) {
    copyBoxBySimd(simd, xAt, strides, begin, size, outAt);
    return;
  }
  copyBox(backend.typedArrayFromHeap(x), strides, begin, size, backend.typedArrayFromHeap(out));
}

/**
 * wasm's Slice without its whole-input copy: tfjs-backend-wasm 4.22 reads the input with `readSync`, which
 * copies the entire buffer out of the heap for every slice (a 5 MB image cut into 8 row bands copies 40 MB,
 * ~2.5 ms a slice). This version copies only the selected elements, straight from heap views. Strings go to
 * the original kernel.
 */
export function sliceWithoutCopy(original: KernelConfig): KernelConfig {
  const kernelFunc = ((args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return (original.kernelFunc as KernelFunc)(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [begin_, size_] = slice_util.parseSliceParams(x as never, begin, size) as [number[], number[]];
    // Allocate first: a malloc may grow the heap, which detaches views taken before it.
    const out = backend.makeOutput(size_, x.dtype);
    copyBoxOnHeap(backend, x, util.computeStrides(x.shape), begin_, size_, out);
    return out;
  }) as KernelFunc;
  return { ...original, kernelFunc };
}

/**
 * wasm's SplitV with each piece copied straight from the heap: tfjs-backend-wasm 4.22 cuts every piece with its own
 * Slice, which copies the whole input out of the heap first, so the gradient of a k-way concatenation copied dy
 * k + 1 times (GoogLeNet at batch 8: 130 ms of a training step for its 9 inception blocks). Strings go to the
 * original kernel.
 */
export function splitVWithoutCopy(original: KernelConfig): KernelConfig {
  const kernelFunc = ((args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string') return (original.kernelFunc as KernelFunc)(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    const { numOrSizeSplits, axis } = args.attrs as unknown as SplitVAttrs;
    const $axis = util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = backend_util.prepareSplitSize(x as never, numOrSizeSplits, $axis);
    const outs = sizes.map((s) =>
      backend.makeOutput(
        x.shape.map((d, i) => (i === $axis ? s : d)),
        x.dtype,
      ),
    );
    // Copies only after every allocation: a malloc may grow the heap, which detaches views taken before it.
    const strides = util.computeStrides(x.shape);
    const begin = x.shape.map(() => 0);
    for (const [i, out] of outs.entries()) {
      copyBoxOnHeap(backend, x, strides, begin, out.shape, out);
      begin[$axis]! += sizes[i]!;
    }
    return outs;
  }) as KernelFunc;
  return { ...original, kernelFunc };
}

/** What {@link sliceBoxCopyCpu} uses of tfjs-backend-cpu's MathBackendCPU. */
interface CpuValuesBackend {
  data: { get(dataId: object): { values?: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array | Int32Array | Uint8Array): TensorInfo;
}

/**
 * cpu's Slice with the same box copy: tfjs-backend-cpu 4.22 copies a box that is not one contiguous run
 * element by element through TensorBuffer index arithmetic (~1 µs an element: ~0.9 s to cut a 512² RGB image
 * out of a 520² one). Strings and complex numbers go to the original kernel.
 */
export function sliceBoxCopyCpu(original: KernelConfig): KernelConfig {
  const kernelFunc = ((args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === 'string' || x.dtype === 'complex64') return (original.kernelFunc as KernelFunc)(args);
    const backend = args.backend as unknown as CpuValuesBackend;
    const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [begin_, size_] = slice_util.parseSliceParams(x as never, begin, size) as [number[], number[]];
    const xVals = backend.data.get(x.dataId).values as Float32Array | Int32Array | Uint8Array;
    const outVals = util.getTypedArrayFromDType(x.dtype as 'float32', util.sizeFromShape(size_));
    copyBox(xVals, util.computeStrides(x.shape), begin_, size_, outVals);
    return backend.makeTensorInfo(size_, x.dtype, outVals);
  }) as KernelFunc;
  return { ...original, kernelFunc };
}

/**
 * Runs shorter than this are copied value by value: a `subarray` + `set` costs ~150 ns whatever its length, and a
 * stride-4 phase of a 3-channel image (AlexNet's conv1 filter gradient) is runs of 4 values.
 */
const SHORT_RUN = 32;

/** Copies the box `begin`/`size` of a row-major array into `out`, innermost runs of {@link SHORT_RUN} or more as one `set` each. */
function copyBox(
  x: Float32Array | Int32Array | Uint8Array,
  strides: number[],
  begin: number[],
  size: number[],
  out: Float32Array | Int32Array | Uint8Array,
): void {
  const total = size.reduce((a, b) => a * b, 1);
  if (total === 0) return;
  // Merge trailing axes taken whole into one contiguous run.
  const rank = size.length;
  let inner = rank - 1;
  let run = size[rank - 1] ?? 1;
  while (
    inner > 0 &&
    begin[inner] === 0 &&
    size[inner] === (strides[inner - 1] ?? 1) / (strides[inner] ?? 1)
  ) {
    inner--;
    run *= size[inner]!;
  }
  if (rank === 0) {
    out[0] = x[0]!;
    return;
  }
  const outer = size.slice(0, inner);
  const index = new Array<number>(inner).fill(0);
  let base = 0;
  for (let d = 0; d < rank; d++) base += begin[d]! * (strides[d] ?? 1);
  for (let o = 0; o < total; o += run) {
    let offset = base;
    for (let d = 0; d < inner; d++) offset += index[d]! * strides[d]!;
    if (run < SHORT_RUN) {
      for (let r = 0; r < run; r++) out[o + r] = x[offset + r]!;
    } else {
      out.set(x.subarray(offset, offset + run), o);
    }
    for (let d = inner - 1; d >= 0; d--) {
      if (++index[d]! < outer[d]!) break;
      index[d] = 0;
    }
  }
}

/**
 * The box `begin`/`size` of a row-major tensor of `strides` as [size, stride] levels, outermost first: axes of
 * size 1 dropped, neighbours that are contiguous in memory merged, and the innermost level of stride 1 (a
 * level of size 1 is added when the innermost axis is strided). Returns the offset of the box's first value too.
 */
function boxLevels(
  strides: number[],
  begin: number[],
  size: number[],
): { base: number; levels: [number, number][] } {
  let base = 0;
  for (let d = 0; d < size.length; d++) base += begin[d]! * (strides[d] ?? 1);
  const levels: [number, number][] = [];
  for (let d = 0; d < size.length; d++) {
    const n = size[d]!;
    const stride = strides[d] ?? 1;
    if (n === 1) continue;
    const last = levels[levels.length - 1];
    // The previous level steps over exactly this one: one level of both.
    if (last !== undefined && last[1] === n * stride) levels[levels.length - 1] = [last[0] * n, stride];
    else levels.push([n, stride]);
  }
  const inner = levels[levels.length - 1];
  if (inner === undefined || inner[1] !== 1) levels.push([1, 1]);
  return { base, levels };
}

/**
 * The box copy in copy_values.wat, which walks three levels (planes, rows, run); levels further out are walked
 * here, one call per plane block.
 */
function copyBoxBySimd(
  simd: CopyValuesModule,
  xAt: number,
  strides: number[],
  begin: number[],
  size: number[],
  outAt: number,
): void {
  if (size.some((n) => n === 0)) return;
  const { base, levels } = boxLevels(strides, begin, size);
  while (levels.length < 3) levels.unshift([1, 0]);
  const [[planes, planeStride], [rows, rowStride], [run]] = levels.slice(-3) as [
    [number, number],
    [number, number],
    [number, number],
  ];
  const outer = levels.slice(0, -3);
  const block = planes * rows * run;
  const index = outer.map(() => 0);
  const blocks = outer.reduce((p, [n]) => p * n, 1);
  for (let o = 0; o < blocks; o++) {
    let offset = base;
    for (let d = 0; d < outer.length; d++) offset += index[d]! * outer[d]![1];
    simd.copyBox(xAt + 4 * offset, outAt + 4 * o * block, planes, planeStride, rows, rowStride, run);
    for (let d = outer.length - 1; d >= 0; d--) {
      if (++index[d]! < outer[d]![0]) break;
      index[d] = 0;
    }
  }
}
