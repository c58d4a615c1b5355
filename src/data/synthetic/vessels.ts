import type { Rng } from './prng.js';

/** One vessel as a polyline in retina units (unit = FOV radius), with its full width at each point. */
export interface Vessel {
  kind: 'artery' | 'vein';
  /** x0, y0, x1, y1, … */
  points: number[];
  widths: number[];
}

interface Point {
  x: number;
  y: number;
}

/** Where the vessels start and what they avoid. */
export interface VesselContext {
  /** Optic disc centre (vessels emerge from its cup). */
  disc: Point;
  /** Disc diameter. */
  dd: number;
  fovea: Point;
  /** +1: disc right of the fovea (right eye), −1: left. */
  side: 1 | -1;
}

const STEP = 0.012; // segment length; ≈ 3 px at 512 px
const MIN_WIDTH = 0.0032; // below ≈ 0.8 px at 512 px a vessel is invisible
const MAX_VESSELS = 420; // bound on the recursion so pathological seeds stay fast
const FAZ = 0.1; // foveal avascular zone radius: capillaries never reach the fovea

type Steer = ((p: Point, travelled: number) => number | null) | null;

interface Growth {
  kind: 'artery' | 'vein';
  width: number;
  heading: number;
  depth: number;
  /** Width lost per step (fraction). */
  taper: number;
  /** Std of the heading's random curvature per step (radians). */
  tortuosity: number;
  steer: Steer;
}

/**
 * Grows the retinal vascular tree: for each of the four arcades an artery and a vein leaving the disc,
 * the temporal pair arching around the macula, the nasal pair running to the periphery; small direct
 * macular and nasal vessels; each branching recursively (children narrower by Murray's-law-like factors,
 * alternating sides) until too thin, outside the field, or at the foveal avascular zone.
 */
export function growVascularTree(rng: Rng, ctx: VesselContext): Vessel[] {
  const out: Vessel[] = [];
  const { disc, fovea, side, dd } = ctx;
  const discAngleFromFovea = Math.atan2(disc.y - fovea.y, disc.x - fovea.x);
  for (const superior of [true, false]) {
    const up = superior ? -1 : 1;
    // Temporal arcades: circle the fovea at radius rho, drifting outward after ~75° of sweep.
    for (const kind of ['vein', 'artery'] as const) {
      const rho = rng.uniform(0.48, 0.64) + (kind === 'artery' ? rng.uniform(-0.05, 0.05) : 0);
      const sweepSign = superior ? -side : side;
      const start = offsetInCup(rng, disc, dd);
      const steer: Steer = (p, travelled) => {
        const qx = p.x - fovea.x;
        const qy = p.y - fovea.y;
        const phi = Math.atan2(qy, qx);
        const swept = Math.abs(wrap(phi - discAngleFromFovea));
        // Past the macula the arcades leave their circle for the periphery instead of meeting at the raphe.
        if (travelled > 0.05 && swept > 2.1) return null;
        const target = rho + 0.6 * Math.max(0, swept - 1.3);
        const r = Math.hypot(qx, qy);
        const tx = sweepSign * -Math.sin(phi) + (4 * (target - r) * qx) / r;
        const ty = sweepSign * Math.cos(phi) + (4 * (target - r) * qy) / r;
        return Math.atan2(ty, tx);
      };
      grow(rng, ctx, out, start, {
        kind,
        width: kind === 'vein' ? rng.uniform(0.021, 0.026) : rng.uniform(0.015, 0.019),
        heading: Math.atan2(up, -side * rng.uniform(0.05, 0.35)),
        depth: 0,
        taper: 0.0022,
        tortuosity: kind === 'vein' ? 0.012 : 0.009,
        steer,
      });
    }
    // Nasal arcades: up/down and away from the fovea.
    for (const kind of ['vein', 'artery'] as const) {
      grow(rng, ctx, out, offsetInCup(rng, disc, dd), {
        kind,
        width: (kind === 'vein' ? 0.017 : 0.013) * rng.uniform(0.85, 1.1),
        heading: Math.atan2(up * rng.uniform(0.6, 1.6), side),
        depth: 0,
        taper: 0.003,
        tortuosity: 0.012,
        steer: null,
      });
    }
  }
  // Small direct vessels: macular branches towards the fovea and short nasal ones.
  const small = rng.int(2, 4);
  for (let i = 0; i < small; i++) {
    const macular = i < 2;
    const base = macular ? Math.atan2(fovea.y - disc.y, fovea.x - disc.x) : Math.atan2(0, side);
    grow(rng, ctx, out, offsetInCup(rng, disc, dd), {
      kind: rng.chance(0.5) ? 'artery' : 'vein',
      width: rng.uniform(0.006, 0.01),
      heading: base + rng.uniform(-0.5, 0.5),
      depth: 1,
      taper: 0.006,
      tortuosity: 0.015,
      steer: null,
    });
  }
  return out;
}

function grow(rng: Rng, ctx: VesselContext, out: Vessel[], start: Point, g: Growth): void {
  if (out.length >= MAX_VESSELS) return;
  const vessel: Vessel = { kind: g.kind, points: [start.x, start.y], widths: [g.width] };
  out.push(vessel);
  let { x, y } = start;
  let { heading, width } = g;
  let curvature = 0;
  let travelled = 0;
  let nextBranch = branchGap(rng, g.depth);
  let branchSide = rng.chance(0.5) ? 1 : -1;
  for (let step = 0; step < 300; step++) {
    // Curvature is a slowly varying random process: gentle bends, no kinks.
    curvature = 0.7 * curvature + rng.normal(0, g.tortuosity);
    heading += curvature;
    const desired = g.steer?.({ x, y }, travelled) ?? null;
    if (desired !== null) heading += (g.depth === 0 ? 0.3 : 0.03) * wrap(desired - heading);
    x += STEP * Math.cos(heading);
    y += STEP * Math.sin(heading);
    travelled += STEP;
    width *= 1 - g.taper;
    vessel.points.push(x, y);
    vessel.widths.push(width);
    if (x * x + y * y > 1.1 * 1.1 || width < MIN_WIDTH) return;
    if (Math.hypot(x - ctx.fovea.x, y - ctx.fovea.y) < FAZ + 4 * width) return;
    if (travelled >= nextBranch && g.depth < 3 && travelled > ctx.dd * 0.4) {
      nextBranch = travelled + branchGap(rng, g.depth);
      const childWidth = width * rng.uniform(0.45, 0.8);
      if (childWidth < MIN_WIDTH * 1.2) continue;
      width *= rng.uniform(0.86, 0.95);
      const angle = rng.uniform(0.5, 1.15);
      grow(
        rng,
        ctx,
        out,
        { x, y },
        {
          kind: g.kind,
          width: childWidth,
          heading: heading + branchSide * angle,
          depth: g.depth + 1,
          taper: 0.012 + 0.01 * g.depth,
          tortuosity: 0.02 + 0.006 * g.depth,
          steer: radialSteer(ctx.disc),
        },
      );
      heading -= branchSide * angle * 0.15; // the parent bends away from its branch
      branchSide = -branchSide;
    }
  }
}

function branchGap(rng: Rng, depth: number): number {
  return depth === 0 ? rng.uniform(0.08, 0.2) : rng.uniform(0.12, 0.3);
}

/** Branches drift towards the radial direction from the disc, as retinal vessels fan out from it. */
function radialSteer(disc: Point): Steer {
  return (p) => Math.atan2(p.y - disc.y, p.x - disc.x);
}

/** Vessels leave the disc from its cup, slightly spread. */
function offsetInCup(rng: Rng, disc: Point, dd: number): Point {
  return { x: disc.x + rng.uniform(-0.12, 0.12) * dd, y: disc.y + rng.uniform(-0.1, 0.1) * dd };
}

/** Angle wrapped into (−π, π]. */
function wrap(a: number): number {
  return a - 2 * Math.PI * Math.round(a / (2 * Math.PI));
}
