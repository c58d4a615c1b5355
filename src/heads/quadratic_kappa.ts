/**
 * Quadratic weighted kappa from a K × K confusion matrix `counts[true][predicted]`:
 * `κ = 1 − Σ w_ij O_ij / Σ w_ij E_ij`, `w_ij = (i − j)² / (K − 1)²`, `E = outer(row sums, column sums) / N`.
 * 0 when the expected disagreement is 0 (one grade only). Internal to the cut-point search.
 * @see J. Cohen, "Weighted kappa", Psychological Bulletin 70(4), 1968.
 */
export function kappaFromCounts(counts: readonly Float64Array[], total: number): number {
  const k = counts.length;
  const rows = new Float64Array(k);
  const cols = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      rows[i]! += counts[i]![j]!;
      cols[j]! += counts[i]![j]!;
    }
  }
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = (i - j) * (i - j);
      observed += w * counts[i]![j]!;
      expected += (w * rows[i]! * cols[j]!) / total;
    }
  }
  return expected === 0 ? 0 : 1 - observed / expected;
}
