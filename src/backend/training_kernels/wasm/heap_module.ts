import * as COPY_VALUES from './copy_values_wat.js';
import { SHARED_MEMORY_MODULE, UNSHARED_MEMORY_MODULE } from './max_pool_grad_wat.js';

/** What a hand-written kernel module needs of tfjs-backend-wasm's emscripten module: its linear memory. */
interface EmscriptenModuleLike {
  asm?: { memory?: unknown };
  wasmMemory?: unknown;
}

/** The exports of max_pool_grad.wat; pointers are byte offsets into the wasm heap. */
export interface MaxPoolGradModule {
  maxPoolGrad(
    x: number,
    dy: number,
    dx: number,
    batch: number,
    inHeight: number,
    inWidth: number,
    channels: number,
    outHeight: number,
    outWidth: number,
    strideHeight: number,
    strideWidth: number,
    filterHeight: number,
    filterWidth: number,
    padTop: number,
    padLeft: number,
  ): void;
}

function decodeBase64(text: string): Uint8Array {
  const bytes = atob(text);
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i);
  return out;
}

/** The exports of copy_values.wat; pointers are byte offsets into the wasm heap, counts and strides in values. */
export interface CopyValuesModule {
  /** dst[b][c][r] = src[b][r][c] for `batch` matrices of `rows` × `cols` 4-byte values. */
  transpose(src: number, dst: number, batch: number, rows: number, cols: number): void;
  /** Packs runs of `run` values at src + p·planeStride + q·rowStride (p < planes, q < rows) into dst, in order. */
  copyBox(
    src: number,
    dst: number,
    planes: number,
    planeStride: number,
    rows: number,
    rowStride: number,
    run: number,
  ): void;
}

/** A module's two assembled flavours (see scripts/build_wasm_kernels.mjs). */
interface AssembledModule {
  UNSHARED_MEMORY_MODULE: string;
  SHARED_MEMORY_MODULE: string;
}

const maxPoolGradInstances = new WeakMap<WebAssembly.Memory, MaxPoolGradModule | null>();
const copyValuesInstances = new WeakMap<WebAssembly.Memory, CopyValuesModule | null>();

/**
 * max_pool_grad.wat instantiated on the wasm backend's own memory (so it reads and writes tensors in place), or
 * undefined where that memory cannot be reached or the engine lacks SIMD; callers then use their JS path.
 */
export function maxPoolGradModule(emscripten: unknown): MaxPoolGradModule | undefined {
  return onHeap(emscripten, { UNSHARED_MEMORY_MODULE, SHARED_MEMORY_MODULE }, maxPoolGradInstances);
}

/** copy_values.wat instantiated on the wasm backend's own memory, or undefined (as {@link maxPoolGradModule}). */
export function copyValuesModule(emscripten: unknown): CopyValuesModule | undefined {
  return onHeap(emscripten, COPY_VALUES, copyValuesInstances);
}

/** Instantiates `assembled` synchronously, once per memory (the modules are a few hundred bytes). */
function onHeap<T>(
  emscripten: unknown,
  assembled: AssembledModule,
  instances: WeakMap<WebAssembly.Memory, T | null>,
): T | undefined {
  const m = emscripten as EmscriptenModuleLike | undefined;
  const memory = m?.asm?.memory ?? m?.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) return undefined;
  let instance = instances.get(memory);
  if (instance === undefined) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = decodeBase64(shared ? assembled.SHARED_MEMORY_MODULE : assembled.UNSHARED_MEMORY_MODULE);
    try {
      const compiled = new WebAssembly.Module(bytes as BufferSource);
      instance = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as T;
    } catch {
      // No SIMD in this engine, or a memory this module cannot import: the JS path stays in use.
      instance = null;
    }
    instances.set(memory, instance);
  }
  return instance ?? undefined;
}
