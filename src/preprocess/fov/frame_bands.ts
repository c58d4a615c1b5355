import {
  add,
  cast,
  clipByValue,
  cumprod,
  div,
  dot,
  equal,
  greaterEqual,
  less,
  lessEqual,
  logicalAnd,
  logicalNot,
  logicalOr,
  max,
  maximum,
  mul,
  neg,
  range,
  reshape,
  round,
  type Scalar,
  slice,
  square,
  stack,
  sub,
  sum,
  type Tensor1D,
  type Tensor2D,
  transpose,
  where,
} from '@tensorflow/tfjs-core';
import { outerSum } from './grids.js';
import { cumulativeFromEnd } from './reverse_cumulative.js';

/**
 * Some cameras cut the field of view flat with a black band inside the frame (a dark strip along the bottom of
 * the picture, across the circle) rather than at the frame's edge; the circle alone would count that band as
 * field of view. A line (row or column of the working copy) is band when the circle's chord across it is long
 * (at least r) yet its mean colour distance along the chord is at surround level (below `floor`). The cut
 * follows the last band line of the run that starts at the frame's edge; lines the circle barely crosses
 * neither break the run nor count as band, so an uncut circle's cap is never trimmed. The first line past the
 * band is usually part dark: its dark share, from its mean against the next line's, places the cut within
 * about a working pixel.
 *
 * @param distance Unsmoothed colour distance from the surround [h, w].
 * @param circle (cx, cy, r) [3] in working-copy pixels.
 * @param level The surround's own distance level; `floor`: below it a line is surround.
 * @returns [4] = (top, bottom, left, right): the first and last input row and column that can be inside the
 * field of view, (0, H − 1, 0, W − 1) when nothing is cut. Call inside `tidy`.
 */
export function frameExtent(
  distance: Tensor2D,
  circle: Tensor1D,
  level: Scalar,
  floor: Scalar,
  factor: number,
  inputHeight: number,
  inputWidth: number,
): Tensor1D {
  const [h, w] = distance.shape;
  const part = (i: number) => reshape(slice(circle, [i], [1]), []) as Scalar;
  const [cx, cy, r] = [part(0), part(1), part(2)];
  const [top, bottom] = bandCuts(distance, { centre: cy, across: cx, r, level, floor });
  const [left, right] = bandCuts(transpose(distance) as Tensor2D, {
    centre: cx,
    across: cy,
    r,
    level,
    floor,
  });
  // Working line i covers input lines i·k … i·k + k − 1 (the box average dropped the last (size mod k) ones).
  const first = (cut: Scalar) => round(mul(cut, factor));
  const last = (cut: Scalar, lines: number, inputLines: number) =>
    where(greaterEqual(cut, 0.5), sub(round(mul(sub(lines, cut), factor)), 1), inputLines - 1);
  return stack([
    first(top),
    last(bottom, h, inputHeight),
    first(left),
    last(right, w, inputWidth),
  ]) as Tensor1D;
}

interface LineGeometry {
  /** The circle's coordinate along the line axis. */
  centre: Scalar;
  /** The circle's coordinate along the lines. */
  across: Scalar;
  r: Scalar;
  level: Scalar;
  floor: Scalar;
}

/**
 * For lines [L, M] (line ℓ, position m along it): how many lines (fractional) a band cuts off at the start and at
 * the end of the line axis; 0 when none.
 */
function bandCuts(lines: Tensor2D, g: LineGeometry): [Scalar, Scalar] {
  const [l, m] = lines.shape;
  const index = range(0, l);
  const half2 = sub(square(g.r), square(sub(index, g.centre))) as Tensor1D; // chord half-length², < 0: no chord
  // Pixels of each line's chord: (m − across)² ≤ half², an outer sum (see outerSum) compared with 0.
  const onChord = cast(lessEqual(outerSum(neg(half2), square(sub(range(0, m), g.across))), 0), 'float32');
  const chordMean = div(sum(mul(lines, onChord), 1), maximum(sum(onChord, 1), 1)) as Tensor1D;
  const long = greaterEqual(mul(half2, 4), square(g.r)); // chord ≥ r
  const band = logicalAnd(long, less(chordMean, g.floor));
  const passable = cast(logicalOr(band, logicalNot(long)), 'float32');
  const isBand = cast(band, 'float32');
  const cut = (fromEnd: boolean) => {
    const inRun = fromEnd ? cumulativeFromEnd(passable, 0, 'prod') : cumprod(passable, 0);
    // Lines from this edge up to and including ℓ; the count up to the last band line of the run.
    const fromEdge = fromEnd ? sub(l, index) : add(index, 1);
    const count = max(mul(mul(inRun, isBand), fromEdge)) as Scalar;
    // The part-dark first line past the band (index `count` from the edge) against the one after it.
    const line = (offset: number) =>
      dot(
        chordMean,
        cast(equal(index, fromEnd ? sub(l - 1 - offset, count) : add(count, offset)), 'float32'),
      );
    const next = line(1);
    const dark = clipByValue(div(sub(next, line(0)), maximum(sub(next, g.level), 1e-3)), 0, 1);
    return where(greaterEqual(count, 1), add(count, dark), 0) as Scalar;
  };
  return [cut(false), cut(true)];
}
