import type { AugmentParams } from './sample_params.js';

/**
 * The `tf.image.transform` row (output pixel → input pixel) of flip, rotation, zoom and translation about
 * the image centre, composed so the image is resampled once.
 *
 * Forward (input → output), in pixel-index coordinates with c the centre:
 *   p_out = c + t + s · R(θ) · F · (p_in − c)
 * so the inverse that `transform` wants is
 *   p_in = c + F · R(−θ) · (p_out − c − t) / s.
 * R(θ) is counter-clockwise as displayed (y points down): [[cos θ, sin θ], [−sin θ, cos θ]].
 */
export function transformRow(p: AugmentParams, height: number, width: number): number[] {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const theta = (p.rotate * Math.PI) / 180;
  // Snap to exact values at multiples of 90° so right-angle rotations are exact permutations.
  const cos = snap(Math.cos(theta));
  const sin = snap(Math.sin(theta));
  const fx = p.flipH ? -1 : 1;
  const fy = p.flipV ? -1 : 1;
  // A = F · R(−θ) / s, with R(−θ) = [[cos, −sin], [sin, cos]].
  const a00 = (fx * cos) / p.zoom;
  const a01 = (fx * -sin) / p.zoom;
  const a10 = (fy * sin) / p.zoom;
  const a11 = (fy * cos) / p.zoom;
  const ox = cx + p.tx * width;
  const oy = cy + p.ty * height;
  // p_in = A · p_out + (c − A · (c + t))
  return [a00, a01, cx - a00 * ox - a01 * oy, a10, a11, cy - a10 * ox - a11 * oy, 0, 0];
}

/** True when the row is the identity (nothing to resample). */
export function isIdentityRow(row: readonly number[]): boolean {
  const id = [1, 0, 0, 0, 1, 0, 0, 0];
  return row.every((v, i) => Math.abs(v - id[i]!) < 1e-12);
}

function snap(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-12 ? r : x;
}
