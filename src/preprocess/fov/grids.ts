import {
  add,
  concat,
  getBackend,
  matMul,
  mul,
  ones,
  range,
  reshape,
  sum,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  zeros,
} from '@tensorflow/tfjs-core';

// Broadcasting arithmetic takes TF.js's cpu backend through a per-element index path, 4-10× slower than
// same-shape arithmetic or a matrix product there; on WebGPU it is the products with a tiny inner size that are
// slow. These helpers pick the form that suits the active backend. Call inside `tidy`.

/** Whether the active backend is TF.js's pure-JS cpu backend. */
export function onCpuBackend(): boolean {
  return getBackend() === 'cpu';
}

/** Outer sum a[i] + b[j] as an [m, n] matrix (`a` has m values, `b` n): on cpu the product [a, 1] · [1; b]. */
export function outerSum(a: Tensor, b: Tensor): Tensor2D {
  if (!onCpuBackend()) return add(reshape(a, [-1, 1]), reshape(b, [1, -1])) as Tensor2D;
  const m = a.size;
  const n = b.size;
  const left = concat([reshape(a, [m, 1]), ones([m, 1])], 1) as Tensor2D;
  const right = concat([ones([1, n]), reshape(b, [1, n])], 0) as Tensor2D;
  return matMul(left, right);
}

/** Σⱼ matrix[i, j]·vector[j] for each row i of an [m, n] matrix: on cpu a matrix-vector product. */
export function rowDot(matrix: Tensor2D, vector: Tensor): Tensor1D {
  const n = matrix.shape[1];
  if (onCpuBackend()) return reshape(matMul(matrix, reshape(vector, [n, 1]) as Tensor2D), [-1]) as Tensor1D;
  return sum(mul(matrix, reshape(vector, [1, n])), 1) as Tensor1D;
}

/** The column index j of every pixel of an [h, w] map. */
export function columnIndex(h: number, w: number): Tensor2D {
  return outerSum(zeros([h]), range(0, w));
}
