import { UndefinedMetricError } from './metric_errors.js';

/**
 * Cumulative counts at every distinct score, highest first: predicting "positive" for score ≥
 * `thresholds[i]` gives `tps[i]` true and `fps[i]` false positives. The last entry is the lowest score
 * (everything positive).
 */
export interface BinaryCounts {
  thresholds: number[];
  tps: number[];
  fps: number[];
  positives: number;
  negatives: number;
}

/** Counts of {@link BinaryCounts} from 0/1 targets and scores of the same length. */
export function binaryCounts(y: ArrayLike<number>, s: ArrayLike<number>): BinaryCounts {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => s[b]! - s[a]!);
  const thresholds: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r]!;
    if (y[i] === 1) tp++;
    else fp++;
    // Close a threshold after the last sample holding this score.
    if (r === n - 1 || s[order[r + 1]!] !== s[i]) {
      thresholds.push(s[i]!);
      tps.push(tp);
      fps.push(fp);
    }
  }
  return { thresholds, tps, fps, positives: tp, negatives: fp };
}

/** Throws {@link UndefinedMetricError} unless both classes are present. */
export function requireBothClasses(
  metric: string,
  counts: BinaryCounts,
  label: number | undefined,
  needs: 'both' | 'positives' = 'both',
): void {
  const where = label === undefined ? 'yTrue' : `label ${label} of yTrue`;
  if (counts.positives === 0) {
    throw new UndefinedMetricError(
      metric,
      `${metric}: ${where} has no positive sample, so the metric is undefined (it divides by the number of positives).`,
      label,
    );
  }
  if (needs === 'both' && counts.negatives === 0) {
    throw new UndefinedMetricError(
      metric,
      `${metric}: ${where} has no negative sample, so the metric is undefined (it divides by the number of negatives).`,
      label,
    );
  }
}
