import type { Frame } from './raster.js';

/**
 * Evaluates slowly varying fields (texture mottling, illumination, sheen) on a coarse grid (every ~4 px
 * at 512) and interpolates bilinearly: they have no detail at that scale, and it cuts the per-pixel
 * noise evaluations ~16-fold.
 *
 * @param fn fills `out[0..channels)` with the fields' values at retina point (u, v).
 * @returns one plane per channel, size×size.
 */
export function smoothField(
  f: Frame,
  channels: number,
  fn: (u: number, v: number, out: Float64Array) => void,
): Float32Array[] {
  const S = f.size;
  const step = Math.max(1, Math.round(S / 128));
  const nodes = Math.ceil((S - 1) / step) + 1;
  const grid = Array.from({ length: channels }, () => new Float32Array(nodes * nodes));
  const value = new Float64Array(channels);
  for (let gy = 0; gy < nodes; gy++) {
    const v = (gy * step + 0.5 - f.cy) / f.r;
    for (let gx = 0; gx < nodes; gx++) {
      fn((gx * step + 0.5 - f.cx) / f.r, v, value);
      for (let c = 0; c < channels; c++) grid[c]![gy * nodes + gx] = value[c]!;
    }
  }
  if (step === 1) return grid;
  // Per-column cell index and weight, shared by every row and channel.
  const cell = new Int32Array(S);
  const frac = new Float32Array(S);
  for (let p = 0; p < S; p++) {
    cell[p] = Math.min(nodes - 2, Math.floor(p / step));
    frac[p] = p / step - cell[p]!;
  }
  return grid.map((g) => {
    const out = new Float32Array(S * S);
    for (let py = 0; py < S; py++) {
      const gy = cell[py]!;
      const ty = frac[py]!;
      const top = gy * nodes;
      const bottom = top + nodes;
      const row = py * S;
      for (let px = 0; px < S; px++) {
        const gx = cell[px]!;
        const tx = frac[px]!;
        const a = g[top + gx]! + (g[top + gx + 1]! - g[top + gx]!) * tx;
        const b = g[bottom + gx]! + (g[bottom + gx + 1]! - g[bottom + gx]!) * tx;
        out[row + px] = a + (b - a) * ty;
      }
    }
    return out;
  });
}
