import {
  add,
  cast,
  clipByValue,
  concat,
  div,
  gather,
  greaterEqual,
  less,
  lessEqual,
  logicalAnd,
  max,
  maximum,
  min,
  minimum,
  mul,
  reshape,
  sub,
  type Tensor1D,
  type Tensor2D,
  tensor1d,
  transpose,
  where,
} from '@tensorflow/tfjs-core';
import { columnIndex } from './grids.js';

/** Boundary points as parallel arrays: coordinates (working-copy pixels) and 0/1 weights (1 = a real point). */
export interface BoundaryPoints {
  x: Tensor1D;
  y: Tensor1D;
  weight: Tensor1D;
}

/**
 * The outermost boundary points of a mask: in every row its first and last inside pixel, in every column its
 * top and bottom one, each paired with its outside neighbour. Only the outermost transitions count, so holes
 * in the field of view (a dark macula, lesions, an underexposed patch) never produce points; a line whose mask
 * touches the frame produces none at that end, so a frame that cuts the circle is not mistaken for its edge.
 * Each point sits where `feature` crosses `threshold` between the pair, by linear interpolation: sub-pixel
 * positions, so a circle fitted on a 256-pixel working copy lands within a pixel or two at full resolution.
 * 2·(h + w) candidate points whatever the image size; the ends come from min/max reductions (cheap on GPUs,
 * unlike scans), all four sides handled in one pass. All [h, w]; call inside `tidy`.
 */
export function boundaryPoints(mask: Tensor2D, feature: Tensor2D, threshold: Tensor2D): BoundaryPoints {
  const [h, w] = mask.shape;
  const far = 4 * Math.max(h, w); // pushes outside pixels beyond any index
  // First and last inside index of each line: min/max of the index where inside, ±far where outside.
  const ends = (m: Tensor2D, lines: number, length: number) => {
    const index = columnIndex(lines, length);
    const away = mul(sub(1, m), far);
    return [min(add(index, away), 1), max(sub(index, away), 1)] as Tensor1D[];
  };
  const [rowFirst, rowLast] = ends(mask, h, w);
  const [colFirst, colLast] = ends(transpose(mask) as Tensor2D, w, h);
  // Per-point constants of the four segments (row starts, row ends, column starts, column ends): the line index,
  // the last index along the line, which way the outside neighbour lies, and the flat-index strides in [h, w].
  const segments = [
    { lines: h, length: w, sign: 1, lineStride: w, step: 1 },
    { lines: h, length: w, sign: -1, lineStride: w, step: 1 },
    { lines: w, length: h, sign: 1, lineStride: 1, step: w },
    { lines: w, length: h, sign: -1, lineStride: 1, step: w },
  ];
  const constant = (f: (s: (typeof segments)[number], line: number) => number) =>
    tensor1d(segments.flatMap((s) => Array.from({ length: s.lines }, (_, line) => f(s, line))));
  const lineIndex = constant((_, line) => line);
  const last = constant((s) => s.length - 1);
  const sign = constant((s) => s.sign);
  const lineStart = constant((s, line) => line * s.lineStride);
  const stride = constant((s) => s.step);
  const isRow = cast(
    constant((s) => (s.step === 1 ? 1 : 0)),
    'bool',
  );
  const inside = concat([rowFirst!, rowLast!, colFirst!, colLast!]) as Tensor1D;
  const outside = sub(inside, sign) as Tensor1D;
  // A real transition: both pixels on the line (an empty line's ends lie ±far away; a line that starts inside
  // at the frame has its outside neighbour off the frame).
  const onLine = (p: Tensor1D) => logicalAnd(greaterEqual(p, 0), lessEqual(p, last));
  const weight = cast(logicalAnd(onLine(inside), onLine(outside)), 'float32') as Tensor1D;
  const features = reshape(feature, [-1]) as Tensor1D;
  const thresholds = reshape(threshold, [-1]) as Tensor1D;
  const at = (values: Tensor1D, index: Tensor1D) =>
    gather(values, cast(add(lineStart, mul(minimum(maximum(index, 0), last), stride)), 'int32')) as Tensor1D;
  const fIn = at(features, inside);
  const fOut = at(features, outside);
  const t = div(add(at(thresholds, inside), at(thresholds, outside)), 2);
  const step = sub(fIn, fOut);
  const flatStep = less(step, 1e-6); // not rising into the mask: no crossing to find, take the midpoint
  const frac = where(flatStep, 0.5, clipByValue(div(sub(t, fOut), where(flatStep, 1, step)), 0, 1));
  const along = add(outside, mul(frac, sub(inside, outside))); // from the outside pixel towards the inside one
  return {
    x: where(isRow, along, lineIndex) as Tensor1D,
    y: where(isRow, lineIndex, along) as Tensor1D,
    weight,
  };
}
