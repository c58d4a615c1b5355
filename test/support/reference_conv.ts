/**
 * Direct float64 loops for the two convolution gradients, straight from their definitions, as an
 * independent reference for the composite kernels (no TF.js code involved). NHWC, dilation 1.
 *
 * Forward: y[b, oh, ow, co] = Σ_{kh, kw, ci} x[b, oh·s + kh − top, ow·s + kw − left, ci] · w[kh, kw, ci, co].
 */
export interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number | [number, number];
  pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
}

export interface Geometry {
  outH: number;
  outW: number;
  top: number;
  left: number;
  sh: number;
  sw: number;
}

/** Output size and leading padding, by TensorFlow's rules ('same': pad split with the extra at the end). */
export function geometry({ x, filter, stride, pad }: ConvCase): Geometry {
  const [sh, sw] = typeof stride === 'number' ? [stride, stride] : stride;
  const axis = (size: number, k: number, s: number, explicit?: [number, number]) => {
    if (explicit)
      return { out: Math.floor((size + explicit[0] + explicit[1] - k) / s) + 1, before: explicit[0] };
    if (pad === 'valid') return { out: Math.ceil((size - k + 1) / s), before: 0 };
    const out = Math.ceil(size / s);
    return { out, before: Math.floor(Math.max((out - 1) * s + k - size, 0) / 2) };
  };
  const h = axis(x[1], filter[0], sh, Array.isArray(pad) ? pad[1] : undefined);
  const w = axis(x[2], filter[1], sw, Array.isArray(pad) ? pad[2] : undefined);
  return { outH: h.out, outW: w.out, top: h.before, left: w.before, sh, sw };
}

/** Calls `visit(xIndex, wIndex, yIndex)` for every product term of the forward convolution. */
function forEachTerm(c: ConvCase, visit: (xi: number, wi: number, yi: number) => void): void {
  const [B, H, W, Ci] = c.x;
  const [KH, KW, , Co] = c.filter;
  const g = geometry(c);
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < g.outH; oh++)
      for (let ow = 0; ow < g.outW; ow++)
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * g.sh + kh - g.top;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * g.sw + kw - g.left;
            if (iw < 0 || iw >= W) continue;
            for (let ci = 0; ci < Ci; ci++) {
              const xi = ((b * H + ih) * W + iw) * Ci + ci;
              for (let co = 0; co < Co; co++) {
                visit(xi, ((kh * KW + kw) * Ci + ci) * Co + co, ((b * g.outH + oh) * g.outW + ow) * Co + co);
              }
            }
          }
        }
}

/** dL/dw given x and dL/dy. */
export function referenceFilterGrad(c: ConvCase, x: Float32Array, dy: Float32Array): Float64Array {
  const dw = new Float64Array(c.filter.reduce((a, b) => a * b, 1));
  forEachTerm(c, (xi, wi, yi) => {
    dw[wi]! += x[xi]! * dy[yi]!;
  });
  return dw;
}

/** dL/dx given w and dL/dy. */
export function referenceInputGrad(c: ConvCase, w: Float32Array, dy: Float32Array): Float64Array {
  const dx = new Float64Array(c.x.reduce((a, b) => a * b, 1));
  forEachTerm(c, (xi, wi, yi) => {
    dx[xi]! += w[wi]! * dy[yi]!;
  });
  return dx;
}

/**
 * ‖a − b‖ / max(‖b‖, floor). The floor keeps tensors whose true value is (near) zero — e.g. the bias of
 * a conv followed by batch-norm, whose gradient vanishes — from turning rounding noise into a huge ratio.
 */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 0): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < expected.length; i++) {
    diff += (actual[i]! - expected[i]!) ** 2;
    norm += expected[i]! ** 2;
  }
  const scale = Math.max(Math.sqrt(norm), floor);
  return scale === 0 ? Math.sqrt(diff) : Math.sqrt(diff) / scale;
}

/** Deterministic pseudo-random values in [-1, 1) (mulberry32), so failures reproduce. */
export function seededValues(count: number, seed: number): Float32Array {
  let t = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    out[i] = (((r ^ (r >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}
