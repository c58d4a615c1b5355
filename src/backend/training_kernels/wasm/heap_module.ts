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

const instances = new WeakMap<WebAssembly.Memory, MaxPoolGradModule | null>();

function decodeBase64(text: string): Uint8Array {
  const bytes = atob(text);
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i);
  return out;
}

/**
 * max_pool_grad.wat instantiated on the wasm backend's own memory (so it reads and writes tensors in place), or
 * undefined where that memory cannot be reached or the engine lacks SIMD; callers then use their JS path.
 * Instantiated synchronously once per memory (the module is 722 bytes).
 */
export function maxPoolGradModule(emscripten: unknown): MaxPoolGradModule | undefined {
  const m = emscripten as EmscriptenModuleLike | undefined;
  const memory = m?.asm?.memory ?? m?.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) return undefined;
  let instance = instances.get(memory);
  if (instance === undefined) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = decodeBase64(shared ? SHARED_MEMORY_MODULE : UNSHARED_MEMORY_MODULE);
    try {
      const compiled = new WebAssembly.Module(bytes as BufferSource);
      instance = new WebAssembly.Instance(compiled, { env: { memory } })
        .exports as unknown as MaxPoolGradModule;
    } catch {
      // No SIMD in this engine, or a memory this module cannot import: the JS path stays in use.
      instance = null;
    }
    instances.set(memory, instance);
  }
  return instance ?? undefined;
}
