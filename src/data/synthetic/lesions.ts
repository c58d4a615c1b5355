import type { Anatomy } from './anatomy.js';
import type { Rng } from './prng.js';
import type { DrGrade, LesionCounts, LesionType } from './types.js';

/** One ellipse of a lesion, in retina units; `soft` is the edge width relative to the smaller radius. */
export interface LesionBlob {
  x: number;
  y: number;
  rx: number;
  ry: number;
  angle: number;
  wobble: number[];
  phase: number[];
  soft: number;
}

/** One lesion: a union of blobs (MA, HE, EX, SE) or a tuft of fine vessels (NV), with its peak opacity. */
export interface Lesion {
  type: LesionType;
  x: number;
  y: number;
  blobs: LesionBlob[];
  /** NV only: polylines (x0, y0, x1, y1, …) and their width. */
  strands: { points: number[]; width: number }[];
  opacity: number;
}

/**
 * Lesion counts for a target grade (see `drGrade` for the rule they satisfy): 0 none; 1 a few MA;
 * 2 MA plus some HE (< 20), often EX, sometimes SE; 3 ≥ 20 HE (spread over the 4 quadrants by
 * `placeLesions`); 4 any of those plus 1-3 NV tufts.
 */
export function sampleLesionCounts(rng: Rng, grade: DrGrade): LesionCounts {
  const c: LesionCounts = { MA: 0, HE: 0, EX: 0, SE: 0, NV: 0 };
  if (grade === 0) return c;
  if (grade === 1) {
    c.MA = rng.int(1, 8);
    return c;
  }
  const severe = grade === 3 || (grade === 4 && rng.chance(0.5));
  c.MA = severe ? rng.int(10, 40) : rng.int(3, 25);
  c.HE = severe ? rng.int(20, 36) : rng.chance(0.8) ? rng.int(1, 12) : 0;
  c.EX = rng.chance(severe ? 0.8 : 0.65) ? rng.int(2, severe ? 14 : 9) : 0;
  c.SE = rng.chance(severe ? 0.6 : 0.35) ? rng.int(1, severe ? 6 : 3) : 0;
  if (c.HE + c.EX + c.SE === 0) c.HE = rng.int(1, 6);
  if (grade === 4) c.NV = rng.int(1, 3);
  return c;
}

/**
 * Places and shapes `counts` lesions on the eye. Haemorrhages go round-robin over the four quadrants
 * around the fovea, so 20 or more of them meet the severe rule's "5 in every quadrant".
 */
export function placeLesions(rng: Rng, counts: LesionCounts, eye: Anatomy): Lesion[] {
  const out: Lesion[] = [];
  for (let i = 0; i < counts.MA; i++) out.push(microaneurysm(rng, eye));
  const firstQuadrant = rng.int(0, 3);
  for (let i = 0; i < counts.HE; i++) out.push(haemorrhage(rng, eye, (firstQuadrant + i) % 4));
  const ring = exudateRing(rng, eye);
  for (let i = 0; i < counts.EX; i++) out.push(exudateCluster(rng, eye, ring, i, counts.EX));
  for (let i = 0; i < counts.SE; i++) out.push(cottonWoolSpot(rng, eye));
  for (let i = 0; i < counts.NV; i++) out.push(neovascularTuft(rng, eye, i === 0 && rng.chance(0.5)));
  return out;
}

/** Quadrant (0-3) of a point around the fovea, by the signs of its offsets. */
export function quadrantOf(eye: Anatomy, x: number, y: number): number {
  const dx = x - eye.fovea.x;
  const dy = y - eye.fovea.y;
  return dy < 0 ? (dx >= 0 ? 0 : 1) : dx < 0 ? 2 : 3;
}

/** Haemorrhages per quadrant around the fovea. */
export function haemorrhagesPerQuadrant(
  eye: Anatomy,
  lesions: readonly Lesion[],
): [number, number, number, number] {
  const q: [number, number, number, number] = [0, 0, 0, 0];
  for (const l of lesions) if (l.type === 'HE') q[quadrantOf(eye, l.x, l.y)]!++;
  return q;
}

/** A point of the posterior pole: inside the field (with margin), off the disc. */
function posteriorPoint(
  rng: Rng,
  eye: Anatomy,
  make: () => { x: number; y: number },
): { x: number; y: number } {
  for (let tries = 0; tries < 50; tries++) {
    const p = make();
    const inField = p.x * p.x + p.y * p.y < 0.86 * 0.86 && Math.abs(p.y) < eye.fov.cut - 0.08;
    const offDisc = Math.hypot(p.x - eye.disc.x, p.y - eye.disc.y) > eye.dd * 0.75;
    if (inField && offDisc) return p;
  }
  return { x: eye.fovea.x + rng.uniform(-0.1, 0.1), y: eye.fovea.y + rng.uniform(-0.1, 0.1) };
}

function wobbly(rng: Rng, amount: number, harmonics = 3): { wobble: number[]; phase: number[] } {
  const wobble = Array.from({ length: harmonics }, (_, k) => (rng.uniform(0.3, 1) * amount) / (k + 1));
  const phase = Array.from({ length: harmonics }, () => rng.uniform(0, 2 * Math.PI));
  return { wobble, phase };
}

function lesion(type: LesionType, blobs: LesionBlob[], opacity: number): Lesion {
  return { type, x: blobs[0]!.x, y: blobs[0]!.y, blobs, strands: [], opacity };
}

/** Small round dark-red dot (≈ 25-60 µm: 1-2 px at 512), clustered around the macula. */
function microaneurysm(rng: Rng, eye: Anatomy): Lesion {
  const p = posteriorPoint(rng, eye, () => {
    const r = Math.abs(rng.normal(0, 0.35));
    const a = rng.uniform(0, 2 * Math.PI);
    return { x: eye.fovea.x + r * Math.cos(a), y: eye.fovea.y + r * Math.sin(a) };
  });
  const r = rng.uniform(0.0035, 0.0075);
  return lesion(
    'MA',
    [{ ...p, rx: r, ry: r, angle: 0, wobble: [], phase: [], soft: 0.2 }],
    rng.uniform(0.75, 0.95),
  );
}

/** Dot-blot haemorrhage (irregular, several lobes) or, near the disc, a flame along the nerve fibres. */
function haemorrhage(rng: Rng, eye: Anatomy, quadrant: number): Lesion {
  const p = posteriorPoint(rng, eye, () => {
    // An angle strictly inside the quadrant, so `quadrantOf` gives it back.
    const a = rng.uniform(0.05, 0.95) * (Math.PI / 2);
    const r = rng.uniform(0.12, 0.8);
    const sx = [1, -1, -1, 1][quadrant]!;
    const sy = [-1, -1, 1, 1][quadrant]!;
    return { x: eye.fovea.x + sx * r * Math.cos(a), y: eye.fovea.y + sy * r * Math.sin(a) };
  });
  const nearDisc = Math.hypot(p.x - eye.disc.x, p.y - eye.disc.y) < eye.dd * 2.5;
  if (nearDisc && rng.chance(0.5)) {
    const along = Math.atan2(p.y - eye.disc.y, p.x - eye.disc.x);
    const len = rng.uniform(0.022, 0.05);
    return lesion(
      'HE',
      [{ ...p, rx: len, ry: len * rng.uniform(0.22, 0.38), angle: along, ...wobbly(rng, 0.08), soft: 0.6 }],
      rng.uniform(0.6, 0.85),
    );
  }
  const r = rng.uniform(0.008, 0.028);
  const blobs: LesionBlob[] = [
    {
      ...p,
      rx: r,
      ry: r * rng.uniform(0.7, 1),
      angle: rng.uniform(0, Math.PI),
      ...wobbly(rng, 0.12),
      soft: 0.45,
    },
  ];
  const lobes = rng.int(0, 3);
  for (let i = 0; i < lobes; i++) {
    const a = rng.uniform(0, 2 * Math.PI);
    const lr = r * rng.uniform(0.4, 0.8);
    blobs.push({
      x: p.x + Math.cos(a) * r * 0.8,
      y: p.y + Math.sin(a) * r * 0.8,
      rx: lr,
      ry: lr * rng.uniform(0.7, 1),
      angle: rng.uniform(0, Math.PI),
      ...wobbly(rng, 0.1),
      soft: 0.35,
    });
  }
  return lesion('HE', blobs, rng.uniform(0.7, 0.92));
}

interface Ring {
  x: number;
  y: number;
  r: number;
  start: number;
  arc: number;
}

/** Hard exudates often form a (partial) circinate ring around the macula. */
function exudateRing(rng: Rng, eye: Anatomy): Ring | null {
  if (!rng.chance(0.6)) return null;
  return {
    x: eye.fovea.x + rng.uniform(-0.12, 0.12),
    y: eye.fovea.y + rng.uniform(-0.12, 0.12),
    r: rng.uniform(0.14, 0.32),
    start: rng.uniform(0, 2 * Math.PI),
    arc: rng.uniform(2, 2 * Math.PI),
  };
}

/** A cluster of small, sharp, waxy yellow deposits, sometimes with a larger plaque. */
function exudateCluster(rng: Rng, eye: Anatomy, ring: Ring | null, i: number, n: number): Lesion {
  const centre = posteriorPoint(rng, eye, () => {
    if (ring) {
      const a = ring.start + ring.arc * ((i + rng.uniform(0, 1)) / n);
      const r = ring.r * rng.uniform(0.85, 1.15);
      return { x: ring.x + r * Math.cos(a), y: ring.y + r * Math.sin(a) };
    }
    const r = rng.uniform(0.05, 0.55);
    const a = rng.uniform(0, 2 * Math.PI);
    return { x: eye.fovea.x + r * Math.cos(a), y: eye.fovea.y + r * Math.sin(a) };
  });
  const spread = rng.uniform(0.01, 0.035);
  const dots = rng.int(2, 14);
  const blobs: LesionBlob[] = [];
  for (let k = 0; k < dots; k++) {
    const big = k === 0 && rng.chance(0.25);
    const r = big ? rng.uniform(0.012, 0.025) : rng.uniform(0.0035, 0.01);
    blobs.push({
      x: centre.x + (k === 0 ? 0 : rng.normal(0, spread)),
      y: centre.y + (k === 0 ? 0 : rng.normal(0, spread)),
      rx: r,
      ry: r * rng.uniform(0.6, 1),
      angle: rng.uniform(0, Math.PI),
      ...wobbly(rng, 0.15),
      soft: 0.15,
    });
  }
  return lesion('EX', blobs, rng.uniform(0.75, 0.95));
}

/** Pale, fluffy, feathery-edged spot (a quarter to half a disc diameter), near the disc and arcades. */
function cottonWoolSpot(rng: Rng, eye: Anatomy): Lesion {
  const p = posteriorPoint(rng, eye, () => {
    const a = (rng.chance(0.5) ? -1 : 1) * rng.uniform(0.6, 2.2) + (eye.side > 0 ? Math.PI : 0);
    const r = eye.dd * rng.uniform(0.9, 2.8);
    return { x: eye.disc.x + r * Math.cos(a), y: eye.disc.y + r * Math.sin(a) };
  });
  const r = eye.dd * rng.uniform(0.12, 0.24);
  return lesion(
    'SE',
    [
      {
        ...p,
        rx: r,
        ry: r * rng.uniform(0.55, 0.9),
        angle: rng.uniform(0, Math.PI),
        ...wobbly(rng, 0.22, 5),
        soft: 1.3,
      },
    ],
    rng.uniform(0.6, 0.8),
  );
}

/** A tuft of fine tortuous new vessels on the disc (NVD) or along an arcade (NVE). */
function neovascularTuft(rng: Rng, eye: Anatomy, onDisc: boolean): Lesion {
  let c = {
    x: eye.disc.x + rng.uniform(-0.3, 0.3) * eye.dd,
    y: eye.disc.y + rng.uniform(-0.3, 0.3) * eye.dd,
  };
  if (!onDisc) {
    const a =
      (rng.chance(0.5) ? -1 : 1) * rng.uniform(1.2, 2) +
      Math.atan2(eye.disc.y - eye.fovea.y, eye.disc.x - eye.fovea.x);
    const r = rng.uniform(0.4, 0.6);
    c = { x: eye.fovea.x + r * Math.cos(a), y: eye.fovea.y + r * Math.sin(a) };
  }
  const extent = rng.uniform(0.04, 0.08);
  const strands: Lesion['strands'] = [];
  const n = rng.int(8, 14);
  for (let s = 0; s < n; s++) {
    let x = c.x + rng.normal(0, extent / 3);
    let y = c.y + rng.normal(0, extent / 3);
    let heading = rng.uniform(0, 2 * Math.PI);
    const points = [x, y];
    const steps = rng.int(10, 22);
    const turn = rng.uniform(0.25, 0.5) * (rng.chance(0.5) ? 1 : -1);
    for (let k = 0; k < steps; k++) {
      heading += turn + rng.normal(0, 0.25);
      x += 0.006 * Math.cos(heading);
      y += 0.006 * Math.sin(heading);
      points.push(x, y);
    }
    strands.push({ points, width: rng.uniform(0.005, 0.008) });
  }
  return { type: 'NV', x: c.x, y: c.y, blobs: [], strands, opacity: rng.uniform(0.85, 1) };
}
