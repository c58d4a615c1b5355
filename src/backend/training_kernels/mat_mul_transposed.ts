import {
  engine,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { KernelScope } from './kernel_scope.js';

/** Right operands at least this large (values) are multiplied in row blocks while training. */
const BLOCK_RIGHT_OPERANDS_FROM = 1 << 22;

/** Values per row block of the right operand (1 MiB of float32). */
const BLOCK_VALUES = 1 << 18;

/**
 * Wraps wasm's `BatchMatMul` / `_FusedMatMul` for what a dense layer's training asks of them:
 * - transposed operands (every dense layer's backward pass) are transposed explicitly first: the wasm kernels
 *   handle `transposeA`/`transposeB` with a strided scalar loop about 15-20× slower than their plain path; A·Bᵀ
 *   with a large B (the input gradient dy·Wᵀ) is computed as (B·Aᵀ)ᵀ, so only the small operands move;
 * - a plain product with a large right operand while gradients are recorded (the forward pass of training) runs
 *   in row blocks of B. XNNPACK repacks B whenever it is a new tensor (the weights change every step) and its
 *   packing reads B column by column: VGG-16's fc1 (25088 × 4096) took ~2 s a step to pack, in blocks ~0.4 s.
 *   Outside training B is packed once and cached, so inference keeps the plain path.
 */
export function withExplicitTranspose(original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { transposeA, transposeB } = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    if (!transposeA && !transposeB) {
      const blocked =
        original.kernelName === 'BatchMatMul' &&
        engine().state.gradientDepth > 0 &&
        plainProduct(args.inputs.a!, args.inputs.b!) &&
        args.inputs.b!.shape.reduce((p, d) => p * d, 1) >= BLOCK_RIGHT_OPERANDS_FROM;
      if (!blocked) return original.kernelFunc(args);
      return withScope(args, original, (scope) =>
        fewRows(args.inputs.a!, args.inputs.b!) && scope.viewsShareMemory
          ? productOfTransposedBlocks(scope, original, args)
          : productInRowBlocks(scope, original, args),
      );
    }
    const scope = new KernelScope(args.backend as KernelBackend, original.backendName);
    let result: TensorInfo | undefined;
    try {
      if (
        original.kernelName === 'BatchMatMul' &&
        !transposeA &&
        transposeB &&
        swapPays(args.inputs.a!, args.inputs.b!)
      ) {
        result = productOfSwapped(scope, original, args);
        return result;
      }
      const inputs = { ...args.inputs };
      if (transposeA) inputs.a = swapLastTwo(scope, inputs.a!);
      if (transposeB) inputs.b = swapLastTwo(scope, inputs.b!);
      result = original.kernelFunc({
        ...args,
        inputs,
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      }) as TensorInfo;
      return result;
    } finally {
      scope.dispose(result);
    }
  };
  return { ...original, kernelFunc };
}

/** Rank 2, or rank 3 with a batch of 1, on both sides. */
function plainProduct(a: TensorInfo, b: TensorInfo): boolean {
  const plain = (t: TensorInfo) => t.shape.length === 2 || (t.shape.length === 3 && t.shape[0] === 1);
  return plain(a) && plain(b) && a.shape.length === b.shape.length;
}

/**
 * Whether A·Bᵀ is cheaper as (B·Aᵀ)ᵀ: 2-D, and B larger than A and C together. A dense layer's input gradient
 * dy·Wᵀ is that case: transposing W itself (VGG-16's fc1: 25088 × 4096, 411 MB) took longer than the product.
 */
function swapPays(a: TensorInfo, b: TensorInfo): boolean {
  if (!plainProduct(a, b)) return false;
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = b.shape[b.shape.length - 2]!;
  return n * k > m * k + m * n;
}

/** Whether A has few rows next to B's columns, so packing A's blocks costs less than packing B's. */
function fewRows(a: TensorInfo, b: TensorInfo): boolean {
  const m = a.shape[a.shape.length - 2]!;
  const n = b.shape[b.shape.length - 1]!;
  return 4 * m <= n;
}

/**
 * A·B as (Σ_blocks B[k₀:k₁, :]ᵀ · Aᵀ[k₀:k₁, :])ᵀ for an A of few rows (a dense layer's batch): each row block of
 * B (a view, no copy) is transposed while it is in cache (~1.5 ns a value) and becomes the left operand, which
 * XNNPACK reads as it is; only the small blocks of Aᵀ are packed. Packing B's blocks as right operands costs
 * ~5.5 ns a value: AlexNet's fc6 (9216 × 4096) at batch 8 took 208 ms a step that way.
 */
function productOfTransposedBlocks(
  scope: KernelScope,
  original: KernelConfig,
  args: Parameters<KernelFunc>[0],
): TensorInfo {
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = b.shape[b.shape.length - 1]!;
  const aT = scope.transpose(scope.reshape(a, [m, k]), [1, 0]);
  const rows = Math.max(8, Math.floor(BLOCK_VALUES / n));
  const sum = sumOfBlocks(scope, k, rows, (k0, kb) => {
    const bBlock = scope.view(b, k0 * n, [kb, n]);
    const bT = scope.transpose(bBlock, [1, 0]);
    const aBlock = scope.view(aT, k0 * m, [kb, m]);
    const part = original.kernelFunc({ ...args, inputs: { a: bT, b: aBlock } }) as TensorInfo;
    scope.adopt(part);
    scope.free(aBlock, bT, bBlock);
    return part;
  });
  return scope.reshape(scope.transpose(sum, [1, 0]), a.shape.length === 3 ? [1, m, n] : [m, n]);
}

/** A·B as Σ_blocks A[:, k₀:k₁]·B[k₀:k₁, :], each block of B small enough to pack from cache. */
function productInRowBlocks(
  scope: KernelScope,
  original: KernelConfig,
  args: Parameters<KernelFunc>[0],
): TensorInfo {
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const lead = a.shape.length === 3 ? [1] : [];
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = b.shape[b.shape.length - 1]!;
  const rows = Math.max(8, Math.floor(BLOCK_VALUES / n));
  return sumOfBlocks(scope, k, rows, (k0, kb) => {
    const aBlock = scope.run(
      'Slice',
      { x: a },
      { begin: [...lead.map(() => 0), 0, k0], size: [...lead, m, kb] },
    );
    const bBlock = scope.run(
      'Slice',
      { x: b },
      { begin: [...lead.map(() => 0), k0, 0], size: [...lead, kb, n] },
    );
    const part = original.kernelFunc({ ...args, inputs: { a: aBlock, b: bBlock } }) as TensorInfo;
    scope.adopt(part);
    scope.free(aBlock, bBlock);
    return part;
  });
}

/**
 * Σ over blocks [k₀, k₀ + kb) of `k` in steps of `rows` of `blockProduct(k₀, kb)` (a tensor of this scope),
 * each part freed once added so only the running sum and one part are alive.
 */
function sumOfBlocks(
  scope: KernelScope,
  k: number,
  rows: number,
  blockProduct: (k0: number, kb: number) => TensorInfo,
): TensorInfo {
  let sum = blockProduct(0, Math.min(rows, k));
  for (let k0 = rows; k0 < k; k0 += rows) {
    const part = blockProduct(k0, Math.min(rows, k - k0));
    const next = scope.run('Add', { a: sum, b: part });
    scope.free(sum, part);
    sum = next;
  }
  return sum;
}

function withScope(
  args: Parameters<KernelFunc>[0],
  original: KernelConfig,
  body: (scope: KernelScope) => TensorInfo,
): TensorInfo {
  const scope = new KernelScope(args.backend as KernelBackend, original.backendName);
  let result: TensorInfo | undefined;
  try {
    result = body(scope);
    return result;
  } finally {
    scope.dispose(result);
  }
}

/** A·Bᵀ as (B·Aᵀ)ᵀ: B streamed as it is, only the small A and the result transposed. */
function productOfSwapped(
  scope: KernelScope,
  original: KernelConfig,
  args: Parameters<KernelFunc>[0],
): TensorInfo {
  const a = args.inputs.a!;
  const perm = a.shape.length === 2 ? [1, 0] : [0, 2, 1];
  const aT = scope.transpose(a, perm);
  const product = original.kernelFunc({
    ...args,
    inputs: { a: args.inputs.b!, b: aT },
    attrs: { ...args.attrs, transposeA: false, transposeB: false },
  }) as TensorInfo;
  scope.adopt(product);
  return scope.transpose(product, perm);
}

function swapLastTwo(scope: KernelScope, t: TensorInfo): TensorInfo {
  const rank = t.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return scope.transpose(t, perm);
}
