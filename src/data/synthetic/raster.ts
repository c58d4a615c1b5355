/**
 * CPU rasterisation into float planes (one Float32Array of size×size per quantity). The generator draws
 * hundreds of small shapes; touching only each shape's bounding box is far cheaper than a full-frame tensor
 * op per shape, and plain JS arithmetic gives the same bits on every TF.js backend.
 */

/** Maps retina coordinates (unit = field-of-view radius, origin = its centre, y down) to pixels. */
export interface Frame {
  /** Image side in pixels. */
  size: number;
  /** Pixel position of the retina origin (the field-of-view centre). */
  cx: number;
  cy: number;
  /** Pixels per retina unit (the field-of-view radius in pixels). */
  r: number;
}

/** A filled ellipse with an optionally wavy outline, in pixels. */
export interface BlobShape {
  x: number;
  y: number;
  rx: number;
  ry: number;
  /** Rotation of the x radius, radians. */
  angle: number;
  /** Outline waviness: amplitude of harmonic k = i + 2 (relative radius change). */
  wobble?: readonly number[];
  /** Phase of each wobble harmonic. */
  phase?: readonly number[];
  /** Width of the soft edge in pixels (at least 1 for anti-aliasing). */
  soft: number;
}

/**
 * Draws `shape` into `plane` with peak value `opacity` (combined by max, so overlapping lesions do not
 * stack into unnatural darkness). Marks `mask` (0/1) where the pixel centre lies inside the outline, and
 * always the pixel holding the shape's centre, so a sub-pixel lesion still has a label.
 */
export function stampBlob(
  plane: Float32Array,
  mask: Uint8Array | null,
  size: number,
  shape: BlobShape,
  opacity: number,
): void {
  const { x, y, rx, ry, angle, soft } = shape;
  const wobble = shape.wobble ?? [];
  const phase = shape.phase ?? [];
  const maxWobble = wobble.reduce((a, b) => a + Math.abs(b), 0);
  const reach = Math.max(rx, ry) * (1 + maxWobble) + soft + 1;
  const x0 = Math.max(0, Math.floor(x - reach));
  const x1 = Math.min(size - 1, Math.ceil(x + reach));
  const y0 = Math.max(0, Math.floor(y - reach));
  const y1 = Math.min(size - 1, Math.ceil(y + reach));
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const rx2 = rx * rx;
  const ry2 = ry * ry;
  for (let py = y0; py <= y1; py++) {
    for (let px = x0; px <= x1; px++) {
      const dx = px + 0.5 - x;
      const dy = py + 0.5 - y;
      const ex = dx * cos + dy * sin;
      const ey = -dx * sin + dy * cos;
      const q = Math.sqrt((ex * ex) / rx2 + (ey * ey) / ry2);
      let outline = 1;
      if (wobble.length > 0) {
        const phi = Math.atan2(ey / ry, ex / rx);
        for (let k = 0; k < wobble.length; k++)
          outline += wobble[k]! * Math.cos((k + 2) * phi + (phase[k] ?? 0));
      }
      // First-order signed distance to the outline in pixels: (outline − q) / |∇q|.
      const grad = q > 1e-6 ? Math.sqrt((ex / rx2) ** 2 + (ey / ry2) ** 2) / q : 1 / Math.min(rx, ry);
      const s = (outline - q) / grad;
      const a = Math.min(1, Math.max(0, s / soft + 0.5));
      const i = py * size + px;
      if (a > 0 && opacity * a > plane[i]!) plane[i] = opacity * a;
      if (mask && s >= 0) mask[i] = 1;
    }
  }
  const ci = Math.floor(y);
  const cj = Math.floor(x);
  if (mask && ci >= 0 && ci < size && cj >= 0 && cj < size) mask[ci * size + cj] = 1;
}

/**
 * Draws a tapered capsule (a vessel segment) from a to b with half-widths ha, hb (pixels) into `plane`,
 * by max. The profile is darkest on the axis (a vessel is a cylinder of blood); `reflex` > 0 carves the
 * bright central stripe of arteries. Marks `mask` where the pixel centre is within max(half-width, ½ px)
 * of the axis, so even a sub-pixel vessel is labelled.
 */
export function stampCapsule(
  plane: Float32Array,
  size: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  ha: number,
  hb: number,
  opacity: number,
  reflex: number,
  mask: Uint8Array | null = null,
): void {
  const reach = Math.max(ha, hb) + 1.5;
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - reach));
  const x1 = Math.min(size - 1, Math.ceil(Math.max(ax, bx) + reach));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - reach));
  const y1 = Math.min(size - 1, Math.ceil(Math.max(ay, by) + reach));
  const vx = bx - ax;
  const vy = by - ay;
  const len2 = vx * vx + vy * vy || 1e-9;
  for (let py = y0; py <= y1; py++) {
    for (let px = x0; px <= x1; px++) {
      const wx = px + 0.5 - ax;
      const wy = py + 0.5 - ay;
      const t = Math.min(1, Math.max(0, (wx * vx + wy * vy) / len2));
      const dx = wx - t * vx;
      const dy = wy - t * vy;
      const d = Math.sqrt(dx * dx + dy * dy);
      const h = ha + (hb - ha) * t;
      const i = py * size + px;
      if (mask && d <= Math.max(h, 0.5)) mask[i] = 1;
      // Coverage of the pixel by the vessel (1 px anti-aliasing), thin vessels get proportionally fainter.
      const cover = Math.min(1, Math.max(0, h + 0.5 - d)) * Math.min(1, 2 * h);
      if (cover <= 0) continue;
      const rel = Math.min(1, d / Math.max(h, 0.5));
      let v = opacity * cover * (1 - 0.35 * rel * rel);
      if (reflex > 0 && h > 1.2) v *= 1 - reflex * Math.exp(-((rel / 0.22) ** 2));
      if (v > plane[i]!) plane[i] = v;
    }
  }
}

/**
 * In-place Gaussian blur of a plane with clamped borders: a direct separable kernel for small sigmas,
 * three box passes per axis (linear time whatever the sigma) for large ones.
 */
export function gaussianBlur(plane: Float32Array, size: number, sigma: number): void {
  if (sigma < 0.3) return;
  const tmp = new Float32Array(plane.length);
  if (sigma < 2) {
    const radius = Math.ceil(3 * sigma);
    const kernel = new Float64Array(2 * radius + 1);
    let sum = 0;
    for (let k = -radius; k <= radius; k++)
      sum += kernel[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
    for (let k = 0; k < kernel.length; k++) kernel[k]! /= sum;
    convolvePass(plane, tmp, size, kernel, true);
    convolvePass(tmp, plane, size, kernel, false);
    return;
  }
  // Box widths whose three-fold convolution has variance sigma² (Kovesi's recipe).
  const n = 3;
  const wIdeal = Math.sqrt((12 * sigma * sigma) / n + 1);
  let wl = Math.floor(wIdeal);
  if (wl % 2 === 0) wl--;
  const wu = wl + 2;
  const m = Math.round((12 * sigma * sigma - n * wl * wl - 4 * n * wl - 3 * n) / (-4 * wl - 4));
  for (let k = 0; k < n; k++) {
    const radius = ((k < m ? wl : wu) - 1) / 2;
    boxPass(plane, tmp, size, radius, true);
    boxPass(tmp, plane, size, radius, false);
  }
}

/** One pass of a symmetric 1-D kernel along rows or columns, clamping at the borders. */
function convolvePass(
  src: Float32Array,
  dst: Float32Array,
  size: number,
  kernel: Float64Array,
  horizontal: boolean,
): void {
  const radius = (kernel.length - 1) / 2;
  const step = horizontal ? 1 : size;
  const lineStep = horizontal ? size : 1;
  const padded = new Float64Array(size + 2 * radius);
  const taps = kernel.length;
  for (let line = 0; line < size; line++) {
    const base = line * lineStep;
    const first = src[base]!;
    const last = src[base + (size - 1) * step]!;
    for (let k = 0; k < radius; k++) {
      padded[k] = first;
      padded[radius + size + k] = last;
    }
    for (let k = 0; k < size; k++) padded[radius + k] = src[base + k * step]!;
    for (let k = 0; k < size; k++) {
      let acc = 0;
      for (let t = 0; t < taps; t++) acc += kernel[t]! * padded[k + t]!;
      dst[base + k * step] = acc;
    }
  }
}

/** One running-sum box filter along rows (horizontal) or columns, clamping at the borders. */
function boxPass(
  src: Float32Array,
  dst: Float32Array,
  size: number,
  radius: number,
  horizontal: boolean,
): void {
  const norm = 1 / (2 * radius + 1);
  const step = horizontal ? 1 : size;
  const lineStep = horizontal ? size : 1;
  // The line with `radius` clamped copies at each end, so the sliding window needs no bounds checks.
  const padded = new Float64Array(size + 2 * radius + 1);
  for (let line = 0; line < size; line++) {
    const base = line * lineStep;
    const first = src[base]!;
    const last = src[base + (size - 1) * step]!;
    for (let k = 0; k < radius; k++) padded[k] = first;
    for (let k = 0; k < size; k++) padded[radius + k] = src[base + k * step]!;
    for (let k = radius + size; k < padded.length; k++) padded[k] = last;
    let acc = 0;
    for (let k = 0; k < 2 * radius + 1; k++) acc += padded[k]!;
    for (let k = 0; k < size; k++) {
      dst[base + k * step] = acc * norm;
      acc += padded[k + 2 * radius + 1]! - padded[k]!;
    }
  }
}
