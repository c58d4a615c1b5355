import { ShapeError } from '../errors.js';
import { kappaFromMatrix } from '../metrics/cohen_kappa.js';
import { invalid } from '../preprocess/check_args.js';
import { checkCutPoints } from './apply_cut_points.js';
import { readMatrix, type Values2D } from './read_values.js';

/** Options of {@link optimiseCutPoints}. */
export interface OptimiseCutPointsArgs {
  /** Number of grades K (≥ 2). @defaultValue the largest grade + 1 */
  classes?: number;
  /** Starting cut-points (K − 1, non-decreasing). @defaultValue `[0.5, 1.5, …, K − 1.5]` (rounding) */
  initial?: readonly number[];
  /** Most passes over the cut-points. @defaultValue 100 */
  maxSweeps?: number;
}

/** Result of {@link optimiseCutPoints}. */
export interface CutPointsResult {
  /** K − 1 non-decreasing cut-points; use with {@link applyCutPoints}. */
  cutPoints: number[];
  /** Quadratic weighted kappa they reach on the data. */
  kappa: number;
  /** Kappa of the initial cut-points (rounding by default). */
  initialKappa: number;
  /** Passes made over the cut-points. */
  sweeps: number;
}

/**
 * Chooses the cut-points that turn a regression head's outputs into grades so as to maximise the quadratic
 * weighted kappa against the true grades (the usual step of Kaggle DR solutions). Coordinate ascent: each
 * cut-point in turn moves to its best position between its neighbours, tried exactly at every gap between
 * consecutive distinct predictions (the confusion matrix updated incrementally, O(N log N + N·K²) per pass),
 * until a pass changes nothing. The result is a local optimum where no single cut-point can do better; kappa
 * never decreases from the start.
 *
 * @param predictions `[N]` or `[N, 1]` continuous outputs (tensor or array).
 * @param grades `[N]` integer grades 0 … K − 1.
 * @param args See {@link OptimiseCutPointsArgs}.
 * @returns See {@link CutPointsResult}.
 * @example
 * ```ts
 * const { cutPoints, kappa } = await optimiseCutPoints(model.predict(valImages) as tf.Tensor, valGrades);
 * const testGrades = applyCutPoints(model.predict(testImages) as tf.Tensor2D, cutPoints);
 * ```
 * @throws {@link ShapeError} when the two inputs differ in length or are not vectors.
 * @throws {@link InvalidArgumentError} when a grade is not an integer in 0 … K − 1, a prediction is not finite,
 * there are no samples, or `classes`, `initial` or `maxSweeps` is invalid.
 * @see J. Cohen, "Weighted kappa", Psychological Bulletin 70(4), 1968 (the metric).
 */
export async function optimiseCutPoints(
  predictions: Values2D,
  grades: Values2D,
  args: OptimiseCutPointsArgs = {},
): Promise<CutPointsResult> {
  const fn = 'optimiseCutPoints';
  const p = await readMatrix(fn, 'predictions', predictions);
  const g = await readMatrix(fn, 'grades', grades);
  if (p.cols !== 1 || g.cols !== 1 || p.rows !== g.rows) {
    throw new ShapeError(
      `${fn}: predictions [${p.rows},${p.cols}] and grades [${g.rows},${g.cols}] must be [N] or [N, 1] of one length.`,
      [p.rows, p.cols],
    );
  }
  const n = p.rows;
  if (n === 0) throw invalid(fn, 'predictions', 'at least one sample', []);
  let maxGrade = 0;
  for (let i = 0; i < n; i++) {
    const v = g.values[i]!;
    if (!Number.isInteger(v) || v < 0) throw invalid(fn, 'grades', 'integers ≥ 0', v);
    if (!Number.isFinite(p.values[i]!)) throw invalid(fn, 'predictions', 'finite numbers', p.values[i]);
    maxGrade = Math.max(maxGrade, v);
  }
  const k = args.classes ?? Math.max(2, maxGrade + 1);
  if (!Number.isInteger(k) || k < 2 || k <= maxGrade) {
    throw invalid(fn, 'classes', `an integer ≥ 2 above the largest grade (${maxGrade})`, args.classes);
  }
  const cuts =
    args.initial === undefined
      ? Array.from({ length: k - 1 }, (_, i) => i + 0.5)
      : checkCutPoints(fn, args.initial);
  if (cuts.length !== k - 1) throw invalid(fn, 'initial', `${k - 1} cut-points`, args.initial);
  const maxSweeps = args.maxSweeps ?? 100;
  if (!Number.isInteger(maxSweeps) || maxSweeps < 1)
    throw invalid(fn, 'maxSweeps', 'a positive integer', maxSweeps);

  // Samples sorted by prediction.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p.values[a]! - p.values[b]!);
  const value = Float64Array.from(order, (i) => p.values[i]!);
  const grade = Int32Array.from(order, (i) => g.values[i]!);
  const classOf = (v: number) => cuts.reduce((s, c) => s + (v >= c ? 1 : 0), 0);
  const counts = Array.from({ length: k }, () => new Float64Array(k));
  for (let i = 0; i < n; i++) counts[grade[i]!]![classOf(value[i]!)]! += 1;
  const initialKappa = quadraticKappa(counts);
  let kappa = initialKappa;

  let sweeps = 0;
  for (let changed = true; changed && sweeps < maxSweeps; sweeps++) {
    changed = false;
    for (let j = 0; j < k - 1; j++) {
      const lower = j > 0 ? cuts[j - 1]! : Number.NEGATIVE_INFINITY;
      const upper = j < k - 2 ? cuts[j + 1]! : Number.POSITIVE_INFINITY;
      // Samples in [lower, upper) are grade j below cut j and j + 1 at or above it.
      let start = 0;
      while (start < n && value[start]! < lower) start++;
      let end = start;
      while (end < n && value[end]! < upper) end++;
      if (end === start) continue;
      // Start with all of them at j + 1 (cut at or below the first), then move them to j one value at a time.
      for (let i = start; i < end; i++) {
        const from = value[i]! >= cuts[j]! ? j + 1 : j;
        counts[grade[i]!]![from]! -= 1;
        counts[grade[i]!]![j + 1]! += 1;
      }
      const first = value[start]!;
      let bestT = Number.isFinite(lower) ? (lower + first) / 2 : first - 0.5;
      if (bestT < lower) bestT = lower;
      let best = quadraticKappa(counts);
      const current = cuts[j]!;
      const candidates: [number, number][] = [[bestT, best]];
      for (let i = start; i < end; i++) {
        counts[grade[i]!]![j + 1]! -= 1;
        counts[grade[i]!]![j]! += 1;
        if (i + 1 < end && value[i + 1] === value[i]) continue;
        const t =
          i + 1 < end
            ? (value[i]! + value[i + 1]!) / 2
            : Number.isFinite(upper)
              ? (value[i]! + upper) / 2
              : value[i]! + 0.5;
        candidates.push([t, quadraticKappa(counts)]);
      }
      // Keep the current cut unless a candidate is strictly better (so the search ends).
      best = kappa;
      bestT = current;
      for (const [t, kc] of candidates) {
        if (kc > best + 1e-12) {
          best = kc;
          bestT = t;
        }
      }
      // Put the samples back in the classes the chosen cut gives.
      for (let i = start; i < end; i++) {
        counts[grade[i]!]![j]! -= 1;
        counts[grade[i]!]![value[i]! >= bestT ? j + 1 : j]! += 1;
      }
      if (bestT !== current) {
        cuts[j] = bestT;
        kappa = best;
        changed = true;
      }
    }
  }
  return { cutPoints: cuts, kappa, initialKappa, sweeps };
}

/** The cut-point search's objective: quadratic weighted kappa, 0 (not NaN) when only one grade occurs. */
function quadraticKappa(counts: readonly Float64Array[]): number {
  const kappa = kappaFromMatrix(counts, 'quadratic');
  return Number.isNaN(kappa) ? 0 : kappa;
}
