import type { Rng } from './prng.js';
import { growVascularTree, type Vessel } from './vessels.js';

/**
 * The healthy eye and camera of one synthetic photograph, in retina units (unit = field-of-view radius,
 * origin = its centre, y down). Sizes follow a 45° macula-centred photograph: disc diameter about a quarter
 * of the FOV radius, fovea 2.3-2.7 disc diameters temporal to the disc and slightly below it.
 */
export interface Anatomy {
  /** Right eye: disc on the right of the image. */
  eye: 'left' | 'right';
  side: 1 | -1;
  fovea: { x: number; y: number };
  /** Disc diameter. */
  dd: number;
  disc: {
    x: number;
    y: number;
    rx: number;
    ry: number;
    angle: number;
    cup: number;
    cupX: number;
    cupY: number;
  };
  /** FOV radius as a fraction of the image side; horizontal cut (|y| ≤ cut, 1 = none); notch on the rim. */
  fov: { radius: number; cut: number; notch: { angle: number; r: number } | null };
  /** Fundus albedo (0-255 per channel) before illumination. */
  colour: [number, number, number];
  /** Radial illumination fall-off: 1 − strength·ρ^power. */
  vignette: { strength: number; power: number; x: number; y: number };
  /** Greyish nerve-fibre sheen of young eyes, 0-1. */
  sheen: number;
  /** Visible choroidal pattern (tigroid fundus), 0-1. */
  choroid: number;
  maculaDark: number;
  /** Seeds of the texture fields. */
  textureSeed: number;
  vessels: Vessel[];
}

/** Samples an eye. Uses its own stream so lesions and quality settings never change the anatomy. */
export function sampleAnatomy(rng: Rng, eye?: 'left' | 'right'): Anatomy {
  const chosenEye = eye ?? (rng.chance(0.5) ? 'right' : 'left');
  const side = chosenEye === 'right' ? 1 : -1;
  const dd = rng.uniform(0.23, 0.29);
  const fovea = { x: -side * rng.uniform(0.0, 0.12), y: rng.uniform(-0.03, 0.06) };
  const discX = fovea.x + side * dd * rng.uniform(2.3, 2.7);
  const discY = fovea.y - dd * rng.uniform(0.05, 0.35);
  const rx = (dd / 2) * rng.uniform(0.9, 1.0);
  const cup = rng.uniform(0.25, 0.55);
  const disc = {
    x: discX,
    y: discY,
    rx,
    ry: rx * rng.uniform(1.03, 1.15),
    angle: rng.uniform(-0.2, 0.2),
    cup,
    cupX: discX - side * dd * rng.uniform(0.02, 0.1),
    cupY: discY + dd * rng.uniform(-0.05, 0.05),
  };
  const cut = rng.chance(0.3) ? rng.uniform(0.82, 0.93) : 1;
  const fov = {
    radius: cut < 1 ? rng.uniform(0.47, 0.495) : rng.uniform(0.43, 0.48),
    cut,
    notch: rng.chance(0.6)
      ? { angle: -Math.PI / 2 + rng.uniform(0.5, 0.9), r: rng.uniform(0.02, 0.03) }
      : null,
  };
  // Pigmentation: mostly orange-red, some dark red-brown (heavily pigmented), some pale grey-pink (young
  // eyes with a strong nerve-fibre reflex); green and blue follow red at fundus-like ratios, blue < green.
  const type = rng.weighted([0.6, 0.25, 0.15]);
  const red = [rng.uniform(175, 245), rng.uniform(125, 175), rng.uniform(160, 205)][type]!;
  const green = red * [rng.uniform(0.42, 0.56), rng.uniform(0.45, 0.6), rng.uniform(0.66, 0.8)][type]!;
  const blue = green * [rng.uniform(0.45, 0.65), rng.uniform(0.55, 0.75), rng.uniform(0.8, 0.92)][type]!;
  const colour: [number, number, number] = [red, green, blue];
  const vessels = growVascularTree(rng, { disc: { x: discX, y: discY }, dd, fovea, side });
  return {
    eye: chosenEye,
    side,
    fovea,
    dd,
    disc,
    fov,
    colour,
    vignette: {
      strength: rng.uniform(0.45, 0.75),
      power: rng.uniform(2, 3.2),
      x: rng.uniform(-0.1, 0.1),
      y: rng.uniform(-0.1, 0.1),
    },
    sheen: type === 2 || rng.chance(0.2) ? rng.uniform(0.15, 0.45) : rng.uniform(0, 0.08),
    choroid: rng.chance(0.25) ? rng.uniform(0.3, 1) : 0,
    maculaDark: rng.uniform(0.25, 0.5),
    textureSeed: rng.int(0, 2 ** 31 - 1),
    vessels,
  };
}
