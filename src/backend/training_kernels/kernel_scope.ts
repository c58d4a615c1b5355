import {
  type DataId,
  getKernel,
  type KernelBackend,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { BackendError } from '../../errors.js';

/** What views use of tfjs-backend-wasm's BackendWasm (not exported as a type by the package). */
interface WasmViewBackend {
  makeOutput(shape: number[], dtype: string, memoryOffset?: number): TensorInfo;
  dataIdMap: {
    get(dataId: DataId): { id: number; memoryOffset: number; refCount: number } | undefined;
    delete(dataId: DataId): void;
  };
  wasm: { tfjs: { disposeData(id: number): void } };
}

function asViewBackend(backend: KernelBackend, backendName: string): WasmViewBackend | undefined {
  const candidate = backend as unknown as Partial<WasmViewBackend>;
  return backendName === 'wasm' &&
    typeof candidate.makeOutput === 'function' &&
    candidate.dataIdMap !== undefined &&
    typeof candidate.wasm?.tfjs?.disposeData === 'function'
    ? (candidate as WasmViewBackend)
    : undefined;
}

/**
 * Runs registered kernels of one backend directly (no engine, no tape) and frees every intermediate
 * it made when disposed, except the result. This is how composite kernels are built from the
 * backend's own fast kernels without leaking memory or round-tripping through another backend.
 */
export class KernelScope {
  private readonly made: TensorInfo[] = [];
  /** Buffers that are views into another buffer: unregistered, never freed, when released. */
  private readonly views = new Set<DataId>();
  private readonly viewBackend: WasmViewBackend | undefined;

  constructor(
    private readonly backend: KernelBackend,
    private readonly backendName: string,
  ) {
    this.viewBackend = asViewBackend(backend, backendName);
  }

  /** Whether {@link KernelScope.view} shares memory here (wasm) rather than copying. */
  get viewsShareMemory(): boolean {
    return this.viewBackend !== undefined;
  }

  /**
   * The `size(shape)` elements of `x` from element `offset` on, as a tensor of `shape`. On wasm this is a view:
   * a second tensor id registered on the same heap memory, no copy (a kernel reads it like any input); elsewhere
   * a copy. A view is only valid while `x` is: free views before their base, and never return one.
   */
  view(x: TensorInfo, offset: number, shape: number[]): TensorInfo {
    const size = util.sizeFromShape(shape);
    const total = util.sizeFromShape(x.shape);
    if (!Number.isInteger(offset) || offset < 0 || offset + size > total) {
      throw new BackendError(
        this.backendName,
        `KernelScope.view: elements [${offset}, ${offset + size}) are outside a tensor of ${total}.`,
        [],
      );
    }
    const vb = this.viewBackend;
    if (vb === undefined) {
      const flat = this.reshape(x, [total]);
      const part = this.run('Slice', { x: flat }, { begin: [offset], size: [size] });
      const shaped = this.reshape(part, shape);
      this.free(flat, part); // the reshape keeps the slice's buffer
      return shaped;
    }
    const base = vb.dataIdMap.get(x.dataId);
    if (base === undefined) {
      throw new BackendError(this.backendName, 'KernelScope.view: the base tensor has no data.', []);
    }
    const info = vb.makeOutput(shape, x.dtype, base.memoryOffset + offset * util.bytesPerElement(x.dtype));
    this.views.add(info.dataId);
    this.made.push(info);
    return info;
  }

  /** Runs `kernelName` on this scope's backend; its output is freed by {@link KernelScope.dispose}. */
  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = getKernel(kernelName, this.backendName);
    if (kernel === undefined) {
      throw new BackendError(
        this.backendName,
        `Composite kernel needs '${kernelName}', which is not registered for backend '${this.backendName}'.`,
        [],
      );
    }
    const out = kernel.kernelFunc({ inputs, attrs, backend: this.backend }) as TensorInfo;
    this.made.push(out);
    return out;
  }

  /** Takes `info` (made by calling a kernel directly) into this scope, to be freed like its own. */
  adopt(info: TensorInfo): void {
    this.made.push(info);
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /**
   * Pads (positive) or crops (negative) each axis by `[before, after]` with zeros; a no-op returns `x`.
   */
  padOrCrop(x: TensorInfo, amounts: [number, number][]): TensorInfo {
    const crop = amounts.map(([b, a]) => [Math.max(0, -b), Math.max(0, -a)] as const);
    const pad = amounts.map(([b, a]): [number, number] => [Math.max(0, b), Math.max(0, a)]);
    let out = x;
    if (crop.some(([b, a]) => b > 0 || a > 0)) {
      const begin = crop.map(([b]) => b);
      const size = x.shape.map((d, i) => d - crop[i]![0] - crop[i]![1]);
      out = this.run('Slice', { x: out }, { begin, size });
    }
    if (pad.some(([b, a]) => b > 0 || a > 0)) {
      out = this.run('PadV2', { x: out }, { paddings: pad, constantValue: 0 });
    }
    return out;
  }

  /**
   * Frees intermediates made by this scope that are no longer needed, before the scope ends (large transients
   * that would otherwise add up). Infos this scope did not make are left alone.
   */
  free(...infos: TensorInfo[]): void {
    for (const info of infos) {
      const i = this.made.indexOf(info);
      if (i < 0) continue;
      this.made.splice(i, 1);
      // A reshape shares its input's buffer (reference counted): freeing one of the two keeps the other valid.
      this.release(info);
    }
  }

  /** Frees every intermediate except `keep` (whose storage stays alive for the caller). */
  dispose(keep: TensorInfo | undefined): void {
    if (keep !== undefined && this.views.has(keep.dataId)) {
      throw new BackendError(this.backendName, 'KernelScope.dispose: a view cannot be the result.', []);
    }
    for (const info of this.made) {
      if (info !== keep) this.release(info);
    }
    this.made.length = 0;
  }

  private release(info: TensorInfo): void {
    const vb = this.viewBackend;
    if (vb === undefined || !this.views.has(info.dataId)) {
      this.backend.disposeData(info.dataId);
      return;
    }
    // A view: drop its registration (as disposeData does) but leave the memory to its base.
    const data = vb.dataIdMap.get(info.dataId);
    if (data === undefined) return;
    if (--data.refCount > 0) return;
    vb.wasm.tfjs.disposeData(data.id);
    vb.dataIdMap.delete(info.dataId);
    this.views.delete(info.dataId);
  }
}
