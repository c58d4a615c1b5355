/**
 * Colormaps as 256-entry RGB lookup tables (values 0-1), generated from their published definitions:
 * - `jet`: MATLAB's jet as the piecewise-linear ramps r = 1.5 − |4x − 3|, g = 1.5 − |4x − 2|, b = 1.5 − |4x − 1|,
 *   clipped to [0, 1] (dark blue → blue → cyan → yellow → red → dark red).
 * - `turbo`: Google's Turbo (A. Mikhailov, "Turbo, An Improved Rainbow Colormap for Visualization", Google AI
 *   Blog, 2019), by the degree-5 polynomial fit published with it (R. Du's shader approximation).
 * - `viridis`: matplotlib's default (S. van der Walt, N. Smith, 2015), by the degree-6 polynomial fit published by
 *   M. Zucker (Shadertoy "viridis approximation", 2019); within 4 of 255 levels of matplotlib's table.
 */

/** Colormaps {@link overlay} draws with. */
export type ColormapName = 'jet' | 'turbo' | 'viridis';

/** Valid {@link ColormapName}s. */
export const COLORMAPS: readonly ColormapName[] = ['jet', 'turbo', 'viridis'];

type Rgb = [number, number, number];

const clip01 = (v: number) => Math.min(1, Math.max(0, v));

function jet(x: number): Rgb {
  return [
    clip01(1.5 - Math.abs(4 * x - 3)),
    clip01(1.5 - Math.abs(4 * x - 2)),
    clip01(1.5 - Math.abs(4 * x - 1)),
  ];
}

/** Horner evaluation of c[0] + c[1]·x + … */
function poly(c: readonly number[], x: number): number {
  return c.reduceRight((acc, coefficient) => acc * x + coefficient, 0);
}

const TURBO: readonly (readonly number[])[] = [
  [0.13572138, 4.6153926, -42.66032258, 132.13108234, -152.94239396, 59.28637943],
  [0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604],
  [0.1066733, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973],
];

const VIRIDIS: readonly (readonly number[])[] = [
  [
    0.2777273272234177, 0.1050930431085774, -0.3308618287255563, -4.634230498983486, 6.228269936347081,
    4.776384997670288, -5.435455855934631,
  ],
  [
    0.005407344544966578, 1.404613529898575, 0.214847559468213, -5.799100973351585, 14.17993336680509,
    -13.74514537774601, 4.645852612178535,
  ],
  [
    0.3340998053353061, 1.384590162594685, 0.09509516302823659, -19.33244095627987, 56.69055260068105,
    -65.35303263337234, 26.3124352495832,
  ],
];

function fromPolynomials(coefficients: readonly (readonly number[])[], x: number): Rgb {
  return coefficients.map((c) => clip01(poly(c, x))) as Rgb;
}

const cache = new Map<ColormapName, Float32Array>();

/**
 * The colormap as a [256 × 3] table, row i the colour of value i / 255, channels 0-1.
 */
export function colormapTable(name: ColormapName): Float32Array {
  let table = cache.get(name);
  if (table === undefined) {
    table = new Float32Array(256 * 3);
    for (let i = 0; i < 256; i++) {
      const x = i / 255;
      const rgb = name === 'jet' ? jet(x) : fromPolynomials(name === 'turbo' ? TURBO : VIRIDIS, x);
      table.set(rgb, i * 3);
    }
    cache.set(name, table);
  }
  return table;
}
