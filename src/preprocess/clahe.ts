import {
  add,
  any,
  cast,
  clipByValue,
  concat,
  cumsum,
  div,
  equal,
  floor,
  gather,
  isNaN as isNaNOp,
  less,
  logicalAnd,
  matMul,
  maximum,
  minimum,
  mul,
  oneHot,
  op,
  range,
  relu,
  reshape,
  round,
  slice,
  sub,
  sum,
  type Tensor,
  type Tensor3D,
  type Tensor4D,
  tensor4d,
  tidy,
  transpose,
  where,
} from '@tensorflow/tfjs-core';
import { invalid, positiveNumber } from './check_args.js';
import { imageBatch } from './image_batch.js';
import { labFToSrgb, lightness, srgbToLabF } from './lab.js';
import { padReflect101 } from './reflect_pad.js';

export interface ClaheArgs {
  /**
   * Contrast limit: each tile's histogram is clipped at `clipLimit · tilePixels / 256` (at least 1) and the
   * excess spread over all bins. `Infinity` disables clipping (plain adaptive equalisation). > 0.
   * @defaultValue 2 (OpenCV's `createCLAHE` default is 40; 2 is the usual choice for fundus photos)
   */
  clipLimit?: number;
  /**
   * Tiles as `[rows, columns]`, positive integers. (OpenCV's `tileGridSize` is (columns, rows).)
   * @defaultValue [8, 8]
   */
  tileGrid?: [number, number];
}

/** Pixels whose one-hot codes are built at once (2 × 16 floats each); bigger images go a band of tiles at a time. */
const PIXELS_PER_PASS = 1 << 18;

/**
 * Contrast-limited adaptive histogram equalisation, as OpenCV's `createCLAHE(clipLimit, tileGridSize).apply`:
 * per tile a 256-bin histogram, clipped, the excess redistributed (evenly, then the remainder one count per
 * bin at a regular step, exactly OpenCV's rule), its CDF as a look-up table; each pixel then blends the tables
 * of its four nearest tiles bilinearly. The image is padded at the bottom and right to a whole number of tiles
 * with BORDER_REFLECT_101, as OpenCV does. Runs as tensor ops on every backend (histograms as one-hot
 * products, look-ups as gathers); nothing is read back to the CPU.
 *
 * Grey input is equalised directly. RGB input is equalised on its lightness, the way OpenCV users do it: to
 * CIE L*a*b* (standard sRGB/D65 formulas), CLAHE on L scaled to 0-255 (as 8-bit LAB stores it), back to RGB
 * with a* and b* unchanged. Values are rounded to integers for the histograms; the output is not rounded
 * (round it to get OpenCV's 8-bit result, to which it is then equal for grey input).
 * NaN pixels are left out of the histograms and come out NaN (all channels).
 *
 * @param image Values 0-255 (clipped to it), [H, W, C] or [N, H, W, C], C = 1 (grey) or 3 (RGB).
 * @param args `clipLimit` (> 0, default 2) and `tileGrid` ([rows, columns], default [8, 8]).
 * @returns Values 0-255, same shape and rank, float32.
 * @example
 * ```ts
 * const enhanced = clahe(image, { clipLimit: 2, tileGrid: [8, 8] });
 * ```
 * @throws {@link ShapeError} when `image` is not rank 3 or 4 with 1 or 3 channels.
 * @throws {@link InvalidArgumentError} when `clipLimit` is not a positive number or `tileGrid` is not two
 * positive integers.
 * @see K. Zuiderveld, "Contrast Limited Adaptive Histogram Equalization", Graphics Gems IV, 1994;
 * OpenCV `cv::CLAHE` (modules/imgproc/src/clahe.cpp).
 */
function clahe_<T extends Tensor3D | Tensor4D>(image: T, args: ClaheArgs = {}): T {
  const fn = 'clahe';
  const clipLimit = positiveNumber(fn, 'clipLimit', args.clipLimit ?? 2, true);
  const grid = args.tileGrid ?? [8, 8];
  if (!Array.isArray(grid) || grid.length !== 2 || !grid.every((g) => Number.isInteger(g) && g > 0)) {
    throw invalid(fn, 'tileGrid', '[rows, columns] of positive integers', grid);
  }
  return tidy(() => {
    const { batch, restore } = imageBatch(fn, image, [1, 3]);
    const x = cast(batch, 'float32');
    const missing = any(isNaNOp(x), -1, true);
    let out: Tensor;
    if (batch.shape[3] === 1) {
      out = equalise(x, grid[0], grid[1], clipLimit);
    } else {
      // CLAHE on L (as 0-255, like 8-bit LAB), a* and b* kept: shift all of F by ΔL / 116 (see lab.ts).
      const f = srgbToLabF(x);
      const l = lightness(f);
      const equalised = mul(equalise(mul(l, 255 / 100) as Tensor4D, grid[0], grid[1], clipLimit), 100 / 255);
      out = labFToSrgb(add(f, div(sub(equalised, l), 116)) as Tensor4D);
    }
    return restore<T>(where(missing, Number.NaN, out as Tensor4D));
  });
}

/** CLAHE of one channel [N, H, W, 1] of 0-255 values (NaN allowed) → [N, H, W, 1]. */
function equalise(v: Tensor4D, tilesY: number, tilesX: number, clipLimit: number): Tensor4D {
  const [n, h, w] = v.shape;
  // Table positions are computed in float32 (below), exact up to 2^24: split very large batches.
  const perCall = Math.floor(2 ** 24 / (tilesY * tilesX * 256));
  if (n > perCall) {
    const parts: Tensor4D[] = [];
    for (let i = 0; i < n; i += perCall) {
      const part = slice(v, [i, 0, 0, 0], [Math.min(perCall, n - i), -1, -1, -1]);
      parts.push(equalise(part, tilesY, tilesX, clipLimit));
    }
    return concat(parts, 0);
  }
  const nan = isNaNOp(v);
  const level = clipByValue(round(v), 0, 255);
  // OpenCV pads only when a side is not a multiple of its tile count, but then pads both sides by
  // tiles − size % tiles (a whole extra tile row or column when that side was a multiple): same here.
  const needsPad = h % tilesY !== 0 || w % tilesX !== 0;
  const padH = needsPad ? tilesY - (h % tilesY) : 0;
  const padW = needsPad ? tilesX - (w % tilesX) : 0;
  // −1 marks NaN: its one-hot code is all zeros, so it is counted in no bin.
  const binned = padReflect101(padReflect101(where(nan, -1, level as Tensor4D), 1, 0, padH), 2, 0, padW);
  const th = (h + padH) / tilesY;
  const tw = (w + padW) / tilesX;
  const tilePixels = th * tw;

  const rowsPerPass = Math.max(1, Math.floor(PIXELS_PER_PASS / (n * th * (w + padW))));
  const bands: Tensor[] = [];
  for (let r = 0; r < tilesY; r += rowsPerPass) {
    const rows = Math.min(rowsPerPass, tilesY - r);
    bands.push(
      tidy(() => histograms(slice(binned, [0, r * th, 0, 0], [n, rows * th, -1, 1]), rows, th, tilesX, tw)),
    );
  }
  let hist = reshape(bands.length === 1 ? bands[0]! : concat(bands, 1), [n * tilesY * tilesX, 256]);
  if (Number.isFinite(clipLimit)) {
    hist = clipHistograms(hist, Math.max(Math.floor((clipLimit * tilePixels) / 256), 1));
  }
  const lut = reshape(round(mul(cumsum(hist, 1), Math.fround(255 / tilePixels))), [-1]);
  return interpolate(lut, where(nan, 0, level as Tensor4D), tilesY, tilesX, th, tw);
}

/** [N, rows·th, tilesX·tw, 1] bins (−1 = none) → [N, rows, tilesX, 256] counts: hist[16·hi + lo] = Σ onehot(hi) ⊗ onehot(lo). */
function histograms(band: Tensor4D, rows: number, th: number, tilesX: number, tw: number): Tensor {
  const n = band.shape[0];
  const tiles = reshape(transpose(reshape(band, [n, rows, th, tilesX, tw]), [0, 1, 3, 2, 4]), [
    n * rows * tilesX,
    th * tw,
  ]);
  // Two 16-way one-hot codes instead of one 256-way code: 8× less memory; their product restores the 256 bins.
  const hi = floor(div(tiles, 16));
  const lo = sub(tiles, mul(hi, 16));
  // oneHot's int32 default, then cast: tfjs-backend-wasm 4.22's OneHot ignores dtype 'float32' (writes int bits).
  const code = (t: Tensor) => cast(oneHot(cast(t, 'int32'), 16), 'float32');
  const counts = matMul(code(hi), code(lo), true);
  return reshape(counts, [n, rows, tilesX, 256]);
}

/** OpenCV's clipping: cap at `limit`, add ⌊excess/256⌋ to every bin, then 1 to `excess mod 256` bins at step ⌊256/that⌋ from bin 0. */
function clipHistograms(hist: Tensor, limit: number): Tensor {
  const excess = sum(relu(sub(hist, limit)), 1, true);
  const perBin = floor(div(excess, 256));
  const residual = sub(excess, mul(perBin, 256));
  // Exact integer division in floats: +0.5 keeps floor() off a boundary a GPU's inexact division could miss.
  const step = maximum(floor(div(256.5, maximum(residual, 1))), 1);
  const bin = range(0, 256);
  const multiple = floor(div(add(bin, 0.5), step));
  const bonus = logicalAnd(equal(bin, mul(multiple, step)), less(multiple, residual));
  return add(add(minimum(hist, limit), perBin), cast(bonus, 'float32'));
}

/**
 * Bilinear blend of the four nearest tiles' tables at each pixel, with OpenCV's float32 coordinates
 * (tile centres at (i + 0.5)·tileSize, clamped at the borders), computed per row and column up front.
 * `lut` is the flat [N · tiles · 256] table; `level` holds each pixel's bin as a float.
 */
function interpolate(
  lut: Tensor,
  level: Tensor4D,
  tilesY: number,
  tilesX: number,
  th: number,
  tw: number,
): Tensor4D {
  const [n, h, w] = level.shape;
  const rows = axisWeights(h, th, tilesY);
  const cols = axisWeights(w, tw, tilesX);
  const perRow = (v: Float32Array) => tensor4d(v, [1, h, 1, 1]);
  const perColumn = (v: Float32Array) => tensor4d(v, [1, 1, w, 1]);
  // Table positions are added in float32 (exact: below 2^24) and cast once: int32 broadcasting adds are slow
  // on wasm. (A per-image gather with batchDims would avoid the image offset, but wasm's GatherV2 gets
  // batchDims wrong in tfjs 4.22.)
  const image = tensor4d(
    Float32Array.from({ length: n }, (_, i) => i * tilesY * tilesX * 256),
    [n, 1, 1, 1],
  );
  const base = add(level, image);
  const rowOffset = (tiles: Int32Array) => perRow(Float32Array.from(tiles, (t) => t * tilesX * 256));
  const columnOffset = (tiles: Int32Array) => perColumn(Float32Array.from(tiles, (t) => t * 256));
  const [row1, row2] = [rowOffset(rows.first), rowOffset(rows.second)];
  const [col1, col2] = [columnOffset(cols.first), columnOffset(cols.second)];
  const look = (r: Tensor, c: Tensor) => gather(lut, cast(add(add(base, r), c), 'int32'));
  const [xa, xa1] = [perColumn(cols.weight), perColumn(cols.rest)];
  const [ya, ya1] = [perRow(rows.weight), perRow(rows.rest)];
  const top = add(mul(look(row1, col1), xa1), mul(look(row1, col2), xa));
  const bottom = add(mul(look(row2, col1), xa1), mul(look(row2, col2), xa));
  return add(mul(top, ya1), mul(bottom, ya)) as Tensor4D;
}

/** Per pixel along an axis: the two tile indices and the second one's weight, in OpenCV's float32 arithmetic. */
function axisWeights(size: number, tileSize: number, tiles: number) {
  const inv = Math.fround(1 / tileSize);
  const first = new Int32Array(size);
  const second = new Int32Array(size);
  const weight = new Float32Array(size);
  const rest = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const t = Math.fround(Math.fround(i * inv) - 0.5);
    const t1 = Math.floor(t);
    weight[i] = Math.fround(t - t1);
    rest[i] = Math.fround(1 - weight[i]!);
    first[i] = Math.max(t1, 0);
    second[i] = Math.min(t1 + 1, tiles - 1);
  }
  return { first, second, weight, rest };
}

export const clahe = op({ clahe_ });
