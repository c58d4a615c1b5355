import { InvalidArgumentError } from '../../errors.js';

/** Detection settings shared by {@link fovMask}, {@link fovCircle}, {@link fovCircleTensor} and {@link cropToFov}. */
export interface FovArgs {
  /**
   * Longest side (pixels) of the working copy the circle is detected on. The image is box-averaged by the
   * smallest integer factor k that brings its longest side to this size or below; edges are then located to a
   * fraction of a working pixel, so the circle lands within about k/4 input pixels. Smaller is faster: on a
   * 1024-px photo in Node, 256 takes ~15-20 ms on wasm and ~70-90 ms on cpu, 128 about half that, within ~2 px.
   * @defaultValue 256
   */
  workingSize?: number;
  /**
   * Smallest colour distance (0-255 units) between the field of view and its surround for a field of view to
   * count as found. Below it {@link fovMask} returns an all-zero mask and {@link fovCircle} throws.
   * @defaultValue 10
   */
  minContrast?: number;
}

/** The validated settings, defaults filled in. */
export interface FovSettings {
  workingSize: number;
  minContrast: number;
}

const DEFAULTS: FovSettings = { workingSize: 256, minContrast: 10 };

/**
 * Checks `args` (an object, or undefined for the defaults) and fills in defaults.
 *
 * @throws {@link InvalidArgumentError} naming `fn`, the argument and the received value.
 */
export function fovSettings(fn: string, args: FovArgs | undefined): FovSettings {
  if (args === undefined) return DEFAULTS;
  if (args === null || typeof args !== 'object') {
    throw new InvalidArgumentError('args', `${fn}: args must be an object, but got ${String(args)}.`, args);
  }
  const workingSize = args.workingSize ?? DEFAULTS.workingSize;
  if (!Number.isInteger(workingSize) || workingSize < 16) {
    throw new InvalidArgumentError(
      'workingSize',
      `${fn}: workingSize must be an integer ≥ 16, but got ${String(workingSize)}.`,
      workingSize,
    );
  }
  const minContrast = args.minContrast ?? DEFAULTS.minContrast;
  if (typeof minContrast !== 'number' || !Number.isFinite(minContrast) || minContrast <= 0) {
    throw new InvalidArgumentError(
      'minContrast',
      `${fn}: minContrast must be a positive number, but got ${String(minContrast)}.`,
      minContrast,
    );
  }
  return { workingSize, minContrast };
}
