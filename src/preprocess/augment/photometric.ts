import {
  add,
  concat,
  depthwiseConv2d,
  exp,
  getBackend,
  greater,
  log,
  matMul,
  maximum,
  mean,
  minimum,
  mirrorPad,
  mul,
  reshape,
  scalar,
  split,
  sub,
  type Tensor4D,
  tensor2d,
  tensor3d,
  tensor4d,
  transpose,
  where,
  zerosLike,
} from '@tensorflow/tfjs-core';

/** Rec. 601 luma weights, as tf.image.rgbToGrayscale and torchvision use. */
export const LUMA = [0.299, 0.587, 0.114] as const;

/** A per-image factor as a [N, 1, 1, 1] tensor, to broadcast over one image each. */
export function perImage(values: readonly number[]): Tensor4D {
  return tensor4d([...values], [values.length, 1, 1, 1], 'float32');
}

/**
 * Grey level per pixel, [N, H, W, 1]: Rec. 601 luma for RGB, the channel mean otherwise (the image itself
 * with one channel).
 */
export function grey(x: Tensor4D): Tensor4D {
  const [n, h, w, c] = x.shape;
  if (c === 1) return x;
  const weights = c === 3 ? [...LUMA] : Array<number>(c).fill(1 / c);
  if (elementwiseMix()) return weightedSum(split(x, c, -1) as Tensor4D[], weights);
  return reshape(matMul(reshape(x, [n * h * w, c]), tensor2d(weights, [c, 1])), [n, h, w, 1]);
}

/**
 * How to mix channels with a small matrix. A [P, C] × [C, K] matMul is fast on cpu, wasm (XNNPACK) and
 * WebGL, but WebGPU's matMul (and its channel-axis reduction) is 20-40× slower for K ≤ 3 than splitting the
 * channels and combining them elementwise, while splitting the last axis is ~40× slower on wasm. Both
 * paths compute the same sums.
 */
function elementwiseMix(): boolean {
  return getBackend() === 'webgpu';
}

/** Σ weights[k] · parts[k], with scalar or per-image ([N, 1, 1, 1]) weights. */
function weightedSum(parts: Tensor4D[], weights: readonly (number | Tensor4D)[]): Tensor4D {
  const term = (k: number): Tensor4D => {
    const w = weights[k]!;
    return mul(parts[k]!, typeof w === 'number' ? scalar(w) : w);
  };
  let acc = term(0);
  for (let k = 1; k < parts.length; k++) acc = add(acc, term(k));
  return acc;
}

/** out = x · b. */
export function adjustBrightness(x: Tensor4D, factors: readonly number[]): Tensor4D {
  return mul(x, perImage(factors));
}

/** out = (x − m) · c + m, m the image's mean grey level. */
export function adjustContrast(x: Tensor4D, factors: readonly number[]): Tensor4D {
  const m = mean(grey(x), [1, 2, 3], true);
  return add(mul(sub(x, m), perImage(factors)), m);
}

/** out = g + (x − g) · s, g the pixel's grey level. RGB only. */
export function adjustSaturation(x: Tensor4D, factors: readonly number[]): Tensor4D {
  const g = grey(x);
  return add(g, mul(sub(x, g), perImage(factors)));
}

/** RGB → YIQ (NTSC); its exact inverse is computed, so a zero rotation is the identity to float precision. */
const RGB_TO_YIQ = [
  [0.299, 0.587, 0.114],
  [0.596, -0.274, -0.322],
  [0.211, -0.523, 0.312],
];

/**
 * Rotates each pixel's chroma (I, Q) by `turns`·2π about the grey axis, keeping luma: RGB only.
 * Half a turn maps a colour to its complement about its grey level, 2·Y − RGB.
 */
export function adjustHue(x: Tensor4D, turns: readonly number[]): Tensor4D {
  const [n, h, w] = x.shape;
  const inv = invert3(RGB_TO_YIQ);
  const matrices = turns.map((t) => {
    const cos = Math.cos(2 * Math.PI * t);
    const sin = Math.sin(2 * Math.PI * t);
    const rot = [
      [1, 0, 0],
      [0, cos, -sin],
      [0, sin, cos],
    ];
    return mul3(inv, mul3(rot, RGB_TO_YIQ));
  });
  if (elementwiseMix()) {
    // out_c = Σ_j m[c][j] · in_j with per-image [N, 1, 1, 1] coefficients.
    const rgb = split(x, 3, -1) as Tensor4D[];
    const channel = (c: number) =>
      weightedSum(
        rgb,
        [0, 1, 2].map((j) => perImage(matrices.map((m) => m[c]![j]!))),
      );
    return concat([channel(0), channel(1), channel(2)], -1);
  }
  // Row vectors times Mᵀ, one 3×3 per image: out[p] = M · in[p].
  const rows = matrices.flatMap((m) => [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => m[j]![i]!)));
  return reshape(matMul(reshape(x, [n, h * w, 3]), tensor3d(rows, [n, 3, 3])), [n, h, w, 3]);
}

/** out = 255 · (x / 255)^γ, on x clipped to [0, 255]. */
export function adjustGamma(x: Tensor4D, gammas: readonly number[]): Tensor4D {
  const unit = minimum(maximum(mul(x, scalar(1 / 255)), scalar(0)), scalar(1));
  // exp(γ·ln u) rather than pow: wasm's broadcasting Pow is ~2-4× slower. ln 0 is not portable (GLSL leaves
  // it undefined), so 0 maps to 0 explicitly.
  const powered = exp(mul(log(unit), perImage(gammas)));
  return mul(where(greater(unit, scalar(0)), powered, zerosLike(powered)), scalar(255));
}

/**
 * Gaussian blur with a sigma per image (0: untouched), separable, borders reflected, the whole batch in
 * two depthwise convolutions: images are moved into the channel axis ([1, H, W, N·C]) so each
 * (image, channel) gets its own taps. One kernel radius, ⌈3·maxSigma⌉ (capped so reflection stays inside
 * the image; the Gaussian is then truncated there and renormalised), serves every call with the same
 * range, so GPU backends compile the shaders once.
 */
export function gaussianBlur(x: Tensor4D, sigmas: readonly number[], maxSigma: number): Tensor4D {
  const [n, h, w, c] = x.shape;
  // 'reflect' padding must stay below the side length minus one.
  const radius = Math.min(Math.ceil(3 * maxSigma), h - 2, w - 2);
  if (radius < 1) return x;
  const taps: number[][] = sigmas.map((s) => (s < 0.05 ? delta(radius) : gaussianKernel(s, radius)));
  // Filter [k, 1, N·C, 1] (or [1, k, …]): tap t of channel (i, ch) is image i's kernel at t.
  const filter: number[] = [];
  for (let t = 0; t < 2 * radius + 1; t++)
    for (let i = 0; i < n; i++) for (let ch = 0; ch < c; ch++) filter.push(taps[i]![t]!);
  const stacked = reshape(transpose(x, [1, 2, 0, 3]), [1, h, w, n * c]) as Tensor4D;
  const padded = mirrorPad(
    stacked,
    [
      [0, 0],
      [radius, radius],
      [radius, radius],
      [0, 0],
    ],
    'reflect',
  );
  const rows = depthwiseConv2d(padded, tensor4d(filter, [1, 2 * radius + 1, n * c, 1]), 1, 'valid');
  const both = depthwiseConv2d(rows, tensor4d(filter, [2 * radius + 1, 1, n * c, 1]), 1, 'valid');
  return transpose(reshape(both, [h, w, n, c]), [2, 0, 1, 3]) as Tensor4D;
}

function delta(radius: number): number[] {
  return Array.from({ length: 2 * radius + 1 }, (_, i) => (i === radius ? 1 : 0));
}

export function gaussianKernel(sigma: number, radius: number): number[] {
  const k = Array.from({ length: 2 * radius + 1 }, (_, i) =>
    Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)),
  );
  const total = k.reduce((a, b) => a + b, 0);
  return k.map((v) => v / total);
}

function mul3(a: number[][], b: number[][]): number[][] {
  return a.map((row) =>
    [0, 1, 2].map((j) => row[0]! * b[0]![j]! + row[1]! * b[1]![j]! + row[2]! * b[2]![j]!),
  );
}

function invert3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m as [
    [number, number, number],
    [number, number, number],
    [number, number, number],
  ];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
}
