import {
  add,
  any,
  cast,
  concat,
  greater,
  greaterEqual,
  isFinite as isFiniteOp,
  isNaN as isNaNOp,
  logicalAnd,
  maximum,
  mul,
  reshape,
  type Scalar,
  slice,
  stack,
  sub,
  type Tensor1D,
  type Tensor2D,
  type Tensor4D,
  tensor1d,
  unstack,
  where,
} from '@tensorflow/tfjs-core';
import { boundaryPoints } from './boundary_points.js';
import { fitCircle } from './circle_fit.js';
import type { FovSettings } from './fov_args.js';
import { frameExtent } from './frame_bands.js';
import { maxFilter, open } from './morphology.js';
import { otsuSplit } from './otsu_threshold.js';
import { surroundDistance } from './surround_distance.js';
import { workingCopy } from './working_copy.js';

/**
 * What the detector found for each image of a batch, as one [N, 9] float32 tensor on the device (no data read):
 * columns (cx, cy, r) in input pixels (pixel centres at integers), the extent (top, bottom, left, right) — the
 * first and last input row and column that can be inside the field of view — then `found` and `hasNaN` as 0/1.
 * A NaN image gets a NaN circle.
 */
export type FovDetection = Tensor2D;

/** Column indices of {@link FovDetection}. */
export const DETECTION = {
  cx: 0,
  cy: 1,
  r: 2,
  top: 3,
  bottom: 4,
  left: 5,
  right: 6,
  found: 7,
  hasNaN: 8,
} as const;

/** Where the edge sits between the surround and the plateau just inside it (0.5 would be the half-level point). */
const EDGE_LEVEL = 0.4;
/** Surround noise multiple a field-of-view pixel must exceed. */
const NOISE_MULTIPLE = 4;
/** Share of the surround-to-field-of-view contrast a field-of-view pixel must exceed. */
const CONTRAST_SHARE = 0.1;
/** Window (working pixels) of the local plateau level the edge threshold follows. */
const PLATEAU_WINDOW = 5;

/**
 * The field-of-view detector, in tensor ops only, one image at a time (per-image values stay scalars, which
 * every backend broadcasts cheaply):
 * 1. box-average to the working size;
 * 2. measure each pixel's colour distance from the surround (the corners' median colour);
 * 3. threshold it: above the surround's noise (4σ) and 10 % of the surround-to-FOV contrast (Otsu's class means),
 *    and above 40 % of the way from the surround to the local plateau (a 5×5 maximum), which follows vignetting
 *    and puts the edge just outside the half-level point of the rim's blur, as hand-drawn FOV masks do;
 * 4. clean the mask: a 3×3 opening removes specks (JPEG noise, text strokes) a row's outermost transition would
 *    otherwise stop at (gaps at the rim need no closing: the robust fit drops the few points they move);
 * 5. take the outermost transition of every row and column, sub-pixel, and fit a circle robustly;
 * 6. look for a black band cutting the circle flat inside the frame;
 * 7. map back to input pixels.
 * Call inside `tidy`.
 */
export function detectFov(batch: Tensor4D, settings: FovSettings): FovDetection {
  const [, height, width, channels] = batch.shape;
  const images =
    batch.shape[0] === 1 ? [batch] : unstack(batch).map((i) => reshape(i, [1, height, width, channels]));
  const rows = images.map((one) => {
    const { small, factor } = workingCopy(one as Tensor4D, settings.workingSize);
    const [, h, w] = small.shape;
    // The working copy averages whole k × k blocks: the last rows / columns past them are checked on their own.
    const [rowsLeft, colsLeft] = [height - h * factor, width - w * factor];
    const edges = [small];
    if (rowsLeft > 0)
      edges.push(reshape(slice(one, [0, h * factor, 0, 0], [1, rowsLeft, width, channels]), [1, 1, -1, 1]));
    if (colsLeft > 0)
      edges.push(reshape(slice(one, [0, 0, w * factor, 0], [1, height, colsLeft, channels]), [1, 1, -1, 1]));
    const hasNaN = edges.length === 1 ? any(isNaNOp(small)) : any(stack(edges.map((e) => any(isNaNOp(e)))));
    const { distance, raw, level, noise } = surroundDistance(small);
    const { high } = otsuSplit(distance);
    const contrast = sub(high, level) as Scalar;
    const floor = add(level, maximum(mul(noise, NOISE_MULTIPLE), mul(contrast, CONTRAST_SHARE))) as Scalar;
    const plateau = maxFilter(distance, PLATEAU_WINDOW);
    const threshold = maximum(floor, add(level, mul(sub(plateau, level), EDGE_LEVEL))) as Tensor4D;
    const mask = open(cast(greater(distance, threshold), 'float32') as Tensor4D, 3);
    const flat = (t: Tensor4D) => reshape(t, [h, w]) as Tensor2D;
    const points = boundaryPoints(flat(mask), flat(distance), flat(threshold));
    const circle = fitCircle(points, (w - 1) / 2, (h - 1) / 2, Math.max(h, w) / 2);
    const extent = frameExtent(flat(raw), circle, level, floor, factor, height, width);
    // Working pixel centre j ↦ input pixel j·k + (k − 1)/2; radii scale by k.
    const offset = (factor - 1) / 2;
    const inputCircle = add(mul(circle, factor), tensor1d([offset, offset, 0]));
    const r = reshape(slice(inputCircle, [2], [1]), []);
    const found = logicalAnd(
      logicalAnd(greaterEqual(contrast, settings.minContrast), isFiniteOp(r)),
      greater(r, 2 * factor),
    );
    const flags = cast(stack([found, hasNaN]), 'float32') as Tensor1D;
    return concat([where(hasNaN, NaN, inputCircle), extent, flags]) as Tensor1D;
  });
  return stack(rows) as Tensor2D;
}
