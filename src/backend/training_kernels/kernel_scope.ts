import {
  getKernel,
  type KernelBackend,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { BackendError } from '../../errors.js';

/**
 * Runs registered kernels of one backend directly (no engine, no tape) and frees every intermediate
 * it made when disposed, except the result. This is how composite kernels are built from the
 * backend's own fast kernels without leaking memory or round-tripping through another backend.
 */
export class KernelScope {
  private readonly made: TensorInfo[] = [];

  constructor(
    private readonly backend: KernelBackend,
    private readonly backendName: string,
  ) {}

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
      this.backend.disposeData(info.dataId);
    }
  }

  /** Frees every intermediate except `keep` (whose storage stays alive for the caller). */
  dispose(keep: TensorInfo | undefined): void {
    for (const info of this.made) {
      if (info !== keep) this.backend.disposeData(info.dataId);
    }
    this.made.length = 0;
  }
}
