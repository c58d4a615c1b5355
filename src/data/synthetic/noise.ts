/**
 * Seeded value noise in continuous coordinates, for retina texture, illumination fields and fluffy edges.
 * Pure integer hashing (no tables), so any coordinate and seed give the same value on every platform.
 */

/** Lattice value in [-1, 1] for integer (ix, iy) and a seed. */
function lattice(ix: number, iy: number, seed: number): number {
  let h = (Math.imul(ix, 0x27d4eb2d) ^ Math.imul(iy, 0x165667b1) ^ seed) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2147483648 - 1;
}

/** Smooth value noise at (x, y), in [-1, 1], one lattice cell per unit. */
export function valueNoise(x: number, y: number, seed: number): number {
  const ix = Math.floor(x);
  const iy = Math.floor(y);
  const fx = x - ix;
  const fy = y - iy;
  // Quintic fade: continuous second derivative, so no lattice-aligned creases in the texture.
  const sx = fx * fx * fx * (fx * (fx * 6 - 15) + 10);
  const sy = fy * fy * fy * (fy * (fy * 6 - 15) + 10);
  const a = lattice(ix, iy, seed);
  const b = lattice(ix + 1, iy, seed);
  const c = lattice(ix, iy + 1, seed);
  const d = lattice(ix + 1, iy + 1, seed);
  const top = a + (b - a) * sx;
  const bottom = c + (d - c) * sx;
  return top + (bottom - top) * sy;
}

/** Fractal sum of `octaves` noise layers, each twice the frequency and `gain` the amplitude; about [-1, 1]. */
export function fbm(x: number, y: number, seed: number, octaves: number, gain = 0.5): number {
  let sum = 0;
  let amp = 1;
  let norm = 0;
  let f = 1;
  for (let o = 0; o < octaves; o++) {
    sum += amp * valueNoise(x * f, y * f, (seed + Math.imul(o, 0x9e3779b1)) | 0);
    norm += amp;
    amp *= gain;
    f *= 2;
  }
  return sum / norm;
}
