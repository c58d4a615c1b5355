import {
  add,
  concat,
  div,
  dot,
  gather,
  greater,
  lessEqual,
  logicalAnd,
  matMul,
  maximum,
  mul,
  neg,
  ones,
  reshape,
  type Scalar,
  slice,
  sqrt,
  square,
  stack,
  sub,
  sum,
  type Tensor1D,
  type Tensor2D,
  tensor1d,
  unstack,
  where,
} from '@tensorflow/tfjs-core';
import { backendInMemory } from '../../backend/in_memory.js';
import type { BoundaryPoints } from './boundary_points.js';

/** Tukey biweight scales of the refits, as fractions of the radius: coarse to fine. */
const SCALES = [0.25, 0.08, 0.025, 0.01];

/**
 * Fits a circle to boundary points: an unweighted Kåsa fit to start, then refits with Tukey's biweight at
 * shrinking scales (iteratively reweighted least squares), which drop what is not on the circle: the camera's
 * notch marker, flares, text in the surround, and a rim darkened by vignetting that the threshold cut inward.
 * Coordinates are centred on (`ox`, `oy`) and divided by `scale` (about ±1) so float32 holds the sums.
 * Returns (cx, cy, r) [3] in the points' coordinates. About 60 kernels per refit whatever the point count
 * (every sum is one matrix product); on the in-memory backends (cpu, wasm), where those kernels' dispatch
 * costs more than the arithmetic, the same fit runs in JS on the read points ({@link fitCircleValues}).
 * Call inside `tidy`.
 */
export function fitCircle(points: BoundaryPoints, ox: number, oy: number, scale: number): Tensor1D {
  if (backendInMemory()) {
    const [x, y, weight] = [points.x.dataSync(), points.y.dataSync(), points.weight.dataSync()];
    return tensor1d(fitCircleValues(x, y, weight, ox, oy, scale));
  }
  return fitCircleOps(points, ox, oy, scale);
}

/** {@link fitCircle} in tensor ops (no data read), whatever the backend. Call inside `tidy`. */
export function fitCircleOps(points: BoundaryPoints, ox: number, oy: number, scale: number): Tensor1D {
  const u = div(sub(points.x, ox), scale) as Tensor1D;
  const v = div(sub(points.y, oy), scale) as Tensor1D;
  const n = u.shape[0];
  // Design matrix rows [u, v, 1, u² + v²]: the circle u² + v² + D u + E v + F = 0 is linear in (D, E, F).
  const design = stack([u, v, ones([n]), add(square(u), square(v))], 1) as Tensor2D; // [P, 4]
  let fit = kasaFit(design, points.weight);
  const minScale = 1.5 / scale; // the edge's own noise: about a working pixel
  for (const fraction of SCALES) {
    const r = reshape(slice(fit, [2], [1]), []) as Scalar;
    const centre = slice(fit, [0], [2]);
    // (u − cx)² + (v − cy)² = [u, v, 1, u² + v²] · [−2cx, −2cy, cx² + cy², 1]
    const q = reshape(concat([mul(centre, -2), reshape(sum(square(centre)), [1]), ones([1])]), [4, 1]);
    const distance = sqrt(maximum(reshape(matMul(design, q as Tensor2D), [n]), 0));
    const residual = div(sub(distance, r), maximum(mul(r, fraction), minScale));
    const weight = mul(points.weight, square(maximum(sub(1, square(residual)), 0))) as Tensor1D;
    const next = kasaFit(design, weight);
    // Too few points left near the circle, or a degenerate system: keep the previous estimate.
    const keep = logicalAnd(greater(sum(weight), 8), lessEqual(reshape(slice(next, [2], [1]), []), 1e3));
    fit = where(keep, next, fit) as Tensor1D;
  }
  return add(mul(fit, tensor1d([scale, scale, scale])), tensor1d([ox, oy, 0])) as Tensor1D;
}

/** Flat indices into a 3×3 matrix for its cofactors: C = a[I1]·a[I2] − a[I3]·a[I4]. */
const COFACTOR_INDICES = (() => {
  const at = (i: number, j: number) => (i % 3) * 3 + (j % 3);
  const lists: number[][] = [[], [], [], []];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      lists[0]!.push(at(i + 1, j + 1));
      lists[1]!.push(at(i + 2, j + 2));
      lists[2]!.push(at(i + 1, j + 2));
      lists[3]!.push(at(i + 2, j + 1));
    }
  }
  return lists;
})();

/**
 * Kåsa's algebraic circle fit, weighted: minimises Σ wᵢ (uᵢ² + vᵢ² + D uᵢ + E vᵢ + F)². The normal equations
 * come from one product (designᵀ · diag(w) · design); the 3×3 system is solved by its adjugate, in tensor ops
 * (no data read). Exact for points on a circle, and unbiased enough when the points cover opposite arcs, as a
 * field of view's do even when the frame cuts it. Returns (cx, cy, r) [3].
 *
 * @see I. Kåsa, "A circle fitting procedure and its error analysis", IEEE Trans. Instrum. Meas. 25(1), 1976.
 */
function kasaFit(design: Tensor2D, weight: Tensor1D): Tensor1D {
  // Weight the columns one by one (same-shape products; a broadcast is slow on the cpu backend).
  const columns = unstack(design, 1).map((column) => mul(column, weight));
  const normal = matMul(stack(columns, 1) as Tensor2D, design, true); // [4, 4]
  const a = reshape(slice(normal, [0, 0], [3, 3]), [9]) as Tensor1D;
  const rhs = neg(slice(normal, [0, 3], [3, 1])) as Tensor2D; // [3, 1]
  const pick = (i: number) => gather(a, COFACTOR_INDICES[i]!);
  const cofactor = sub(mul(pick(0), pick(1)), mul(pick(2), pick(3))) as Tensor1D; // [9]
  const det = dot(slice(a, [0], [3]), slice(cofactor, [0], [3]));
  const solution = div(matMul(reshape(cofactor, [3, 3]) as Tensor2D, rhs, true), det); // A⁻¹ = Cᵀ / det
  const centre = mul(reshape(slice(solution, [0, 0], [2, 1]), [2]), -0.5);
  const f = reshape(slice(solution, [2, 0], [1, 1]), [1]);
  const r = sqrt(maximum(sub(sum(square(centre)), f), 0));
  return concat([centre, r]) as Tensor1D;
}

/**
 * {@link fitCircle} on read values, in float64: the same Kåsa start, Tukey refits at {@link SCALES} and
 * keep-the-previous rule. Returns [cx, cy, r] in the points' coordinates.
 */
export function fitCircleValues(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  weight: ArrayLike<number>,
  ox: number,
  oy: number,
  scale: number,
): [number, number, number] {
  const n = x.length;
  const u = Float64Array.from({ length: n }, (_, i) => (x[i]! - ox) / scale);
  const v = Float64Array.from({ length: n }, (_, i) => (y[i]! - oy) / scale);
  let fit = kasaFitValues(u, v, weight);
  const minScale = 1.5 / scale; // as fitCircleOps
  const w = new Float64Array(n);
  for (const fraction of SCALES) {
    const [cx, cy, r] = fit;
    const band = Math.max(r * fraction, minScale);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const residual = (Math.hypot(u[i]! - cx, v[i]! - cy) - r) / band;
      w[i] = weight[i]! * Math.max(1 - residual ** 2, 0) ** 2;
      total += w[i]!;
    }
    const next = kasaFitValues(u, v, w);
    if (total > 8 && next[2] <= 1e3) fit = next;
  }
  return [fit[0] * scale + ox, fit[1] * scale + oy, fit[2] * scale];
}

/** {@link kasaFit} on values: the weighted normal equations, solved by Cramer's rule (NaN when singular). */
function kasaFitValues(
  u: Float64Array,
  v: Float64Array,
  weight: ArrayLike<number>,
): [number, number, number] {
  // a = Σ w·[u, v, 1]ᵀ[u, v, 1] (3 × 3, row-major), rhs = −Σ w·[u, v, 1]·(u² + v²)
  const a = new Float64Array(9);
  const rhs = new Float64Array(3);
  for (let i = 0; i < u.length; i++) {
    const row = [u[i]!, v[i]!, 1];
    const wi = weight[i]!;
    const z = row[0]! ** 2 + row[1]! ** 2;
    for (let j = 0; j < 3; j++) {
      rhs[j]! -= wi * row[j]! * z;
      for (let k = 0; k < 3; k++) a[j * 3 + k]! += wi * row[j]! * row[k]!;
    }
  }
  const det = det3(a);
  const solve = (column: number) =>
    det3(a.map((value, k) => (k % 3 === column ? rhs[(k / 3) | 0]! : value))) / det;
  const [cx, cy, f] = [-0.5 * solve(0), -0.5 * solve(1), solve(2)];
  return [cx, cy, Math.sqrt(Math.max(cx * cx + cy * cy - f, 0))];
}

function det3(m: Float64Array): number {
  return (
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) -
    m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) +
    m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!)
  );
}
