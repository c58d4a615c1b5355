import type { Anatomy } from './anatomy.js';
import type { Lesion } from './lesions.js';
import { fbm } from './noise.js';
import { Rng } from './prng.js';
import { type Frame, gaussianBlur, stampBlob, stampCapsule } from './raster.js';
import { smoothField } from './smooth_field.js';
import type { Degradations } from './types.js';
import { LESION_TYPES, type MaskName } from './types.js';

/** A rendered photograph in plain arrays: RGB interleaved [H, W, 3] (integers 0-255) and 0/1 masks [H, W]. */
export interface Rendered {
  rgb: Float32Array;
  masks: Record<MaskName, Uint8Array>;
  /** The field-of-view circle in pixels (centre and radius) as drawn. */
  fov: { x: number; y: number; r: number };
}

/** Everything that decides a picture; `render` is a pure function of it. */
export interface RenderSpec {
  size: number;
  anatomy: Anatomy;
  lesions: readonly Lesion[];
  degradations: Required<Degradations>;
  /** Seed of the random directions of the degradations and of the sensor noise. */
  seed: number;
}

/**
 * Renders a fundus photograph on the CPU: albedo (pigment, texture, macula, disc, lesions, vessels) times
 * illumination (vignetting and the degradations), optics blur, sensor noise, then the field-of-view stop.
 * Everything is drawn in retina units, so one seed gives the same eye at every size.
 */
export function render(spec: RenderSpec): Rendered {
  const { size: S, anatomy: eye, lesions, degradations: q } = spec;
  const n = S * S;
  const rng = new Rng(spec.seed);
  const rPx = eye.fov.radius * S;
  const offAngle = rng.uniform(0, 2 * Math.PI);
  const frame: Frame = {
    size: S,
    cx: S / 2 + Math.cos(offAngle) * q.offCentre * 0.42 * rPx,
    cy: S / 2 + Math.sin(offAngle) * q.offCentre * 0.42 * rPx,
    r: rPx,
  };

  // Shapes first: each into its own opacity plane (and mask), touching only its bounding box.
  const plane = () => new Float32Array(n);
  const masks = Object.fromEntries([...LESION_TYPES, 'OD'].map((k) => [k, new Uint8Array(n)])) as Record<
    MaskName,
    Uint8Array
  >;
  const discA = plane();
  const cupA = plane();
  drawDisc(eye, frame, discA, cupA, masks.OD);
  const red = plane();
  const exA = plane();
  const seA = plane();
  const nvA = plane();
  for (const l of lesions)
    drawLesion(l, frame, { MA: red, HE: red, EX: exA, SE: seA, NV: nvA }[l.type], masks);
  const veins = plane();
  const arteries = plane();
  for (const v of eye.vessels)
    drawPolyline(v.points, v.widths, frame, v.kind === 'vein' ? veins : arteries, v.kind);

  const occDir = (rng.chance(0.5) ? -1 : 1) * Math.PI * 0.5 + rng.uniform(-0.5, 0.5);
  const [mulR, mulG, mulB, sheen, illum, haze] = slowFields(eye, frame, q, rng, occDir);
  const lashes = q.occlusion > 0.15 ? eyelashes(frame, q.occlusion, occDir, rng) : null;

  const R = plane();
  const G = plane();
  const B = plane();
  const [cR, cG, cB] = eye.colour;
  const k = cR / 210; // exudate and cotton-wool brightness follow the eye's overall pigmentation
  const rimR = Math.min(255, cR * 1.25 + 20);
  const rimG = Math.min(255, cG * 1.35 + 45);
  const rimB = Math.min(255, cB * 1.4 + 35);
  const [cupR, cupG, cupB] = [
    rimR + (255 - rimR) * 0.6,
    rimG + (245 - rimG) * 0.6,
    rimB + (215 - rimB) * 0.6,
  ];
  const seed = eye.textureSeed;
  const pit2 = 2 * (0.1 * eye.dd) ** 2;
  for (let py = 0; py < S; py++) {
    const v = (py + 0.5 - frame.cy) / rPx;
    for (let px = 0; px < S; px++) {
      const u = (px + 0.5 - frame.cx) / rPx;
      const i = py * S + px;
      // Pigment with low-frequency mottling (slow fields) and fine choroidal grain.
      const grain = fbm(u * 30, v * 30, seed + 1, 2);
      let r = cR * mulR![i]! * (1 + 0.03 * grain);
      let g = cG * mulG![i]! * (1 + 0.045 * grain);
      let b = cB * mulB![i]! * (1 + 0.05 * grain);
      // Foveal pit: small and dark, so evaluated per pixel near the fovea only.
      const df = (u - eye.fovea.x) ** 2 + (v - eye.fovea.y) ** 2;
      if (df < 12 * pit2) {
        const pit = 0.6 * eye.maculaDark * Math.exp(-df / pit2);
        r *= 1 - 0.3 * pit;
        g *= 1 - 0.5 * pit;
        b *= 1 - 0.4 * pit;
      }
      // Greyish nerve-fibre sheen of young eyes over the posterior pole.
      const sh = sheen![i]!;
      if (sh > 0) {
        r += (190 - r) * sh;
        g += (170 - g) * sh;
        b += (165 - b) * sh;
      }
      // Optic disc: a rim brighter and yellower than the fundus around it, a paler cup.
      const da = discA[i]!;
      if (da > 0) {
        r += (rimR - r) * da;
        g += (rimG - g) * da;
        b += (rimB - b) * da;
        const ca = cupA[i]!;
        r += (cupR - r) * ca;
        g += (cupG - g) * ca;
        b += (cupB - b) * ca;
      }
      const ex = exA[i]!;
      if (ex > 0) {
        r += (Math.min(255, 262 * k) - r) * ex;
        g += (235 * k - g) * ex;
        b += (115 * k - b) * ex;
      }
      const rd = red[i]!;
      if (rd > 0) {
        r *= 1 - 0.35 * rd;
        g *= 1 - 0.62 * rd;
        b *= 1 - 0.55 * rd;
      }
      const ve = veins[i]!;
      const ar = arteries[i]!;
      // Blood absorbs green and blue far more than red: vessels are dark red, and still red on the disc.
      r *= (1 - 0.3 * ve) * (1 - 0.14 * ar);
      g *= (1 - 0.58 * ve) * (1 - 0.4 * ar);
      b *= (1 - 0.55 * ve) * (1 - 0.38 * ar);
      const se = seA[i]!;
      if (se > 0) {
        r += (Math.min(255, 245 * k) - r) * se;
        g += (212 * k - g) * se;
        b += (180 * k - b) * se;
      }
      const nv = nvA[i]!;
      if (nv > 0) {
        r *= 1 - 0.25 * nv;
        g *= 1 - 0.55 * nv;
        b *= 1 - 0.5 * nv;
      }
      const L = illum![i]! * (lashes ? 1 - 0.85 * lashes[i]! : 1);
      // Whitish-cyan haze at the rim (reflections off cornea and lens) comes with strong uneven illumination.
      const hz = haze![i]!;
      R[i] = r * L + 110 * hz;
      G[i] = g * L + 150 * hz;
      B[i] = b * L + 150 * hz;
    }
  }

  exposure(R, G, B, q.exposure);
  // Camera optics are never perfectly sharp; defocus (the blur degradation) adds to it.
  const sigma = ((0.55 + 7 * q.blur) * S) / 512;
  for (const p of [R, G, B]) gaussianBlur(p, S, sigma);

  const rgb = new Float32Array(n * 3);
  const noise = 1.2 + 3 * Math.max(0, -q.exposure);
  const fov = fovAlpha(eye, frame);
  for (let i = 0; i < n; i++) {
    const a = fov[i]!;
    if (a <= 0) continue;
    const common = (rng.next() + rng.next() - 1) * noise;
    rgb[3 * i] = quantise(a * (R[i]! + common + (rng.next() - 0.5) * noise));
    rgb[3 * i + 1] = quantise(a * (G[i]! + common + (rng.next() - 0.5) * noise));
    rgb[3 * i + 2] = quantise(a * (B[i]! + common + (rng.next() - 0.5) * noise));
  }
  for (const m of Object.values(masks)) for (let i = 0; i < n; i++) if (fov[i]! < 0.5) m[i] = 0;
  return { rgb, masks, fov: { x: frame.cx, y: frame.cy, r: rPx } };
}

function quantise(x: number): number {
  return Math.min(255, Math.max(0, Math.round(x)));
}

export function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

function drawDisc(eye: Anatomy, f: Frame, discA: Float32Array, cupA: Float32Array, od: Uint8Array): void {
  const d = eye.disc;
  const px = (x: number) => f.cx + x * f.r;
  const py = (y: number) => f.cy + y * f.r;
  const soft = Math.max(1, 0.07 * eye.dd * f.r);
  stampBlob(
    discA,
    od,
    f.size,
    { x: px(d.x), y: py(d.y), rx: d.rx * f.r, ry: d.ry * f.r, angle: d.angle, soft },
    0.95,
  );
  const cr = d.cup * d.rx * f.r;
  stampBlob(
    cupA,
    null,
    f.size,
    { x: px(d.cupX), y: py(d.cupY), rx: cr, ry: cr * 1.1, angle: d.angle, soft: Math.max(1, 1.6 * cr) },
    0.95,
  );
}

function drawLesion(l: Lesion, f: Frame, target: Float32Array, masks: Record<MaskName, Uint8Array>): void {
  const mask = l.type === 'NV' ? null : masks[l.type];
  for (const b of l.blobs) {
    const rx = b.rx * f.r;
    const ry = b.ry * f.r;
    stampBlob(
      target,
      mask,
      f.size,
      {
        x: f.cx + b.x * f.r,
        y: f.cy + b.y * f.r,
        rx: Math.max(rx, 0.5),
        ry: Math.max(ry, 0.5),
        angle: b.angle,
        wobble: b.wobble,
        phase: b.phase,
        soft: Math.max(1, b.soft * Math.min(rx, ry)),
      },
      l.opacity,
    );
  }
  for (const s of l.strands) {
    drawPolyline(
      s.points,
      s.points.map(() => s.width),
      f,
      target,
      'nv',
      l.opacity,
      masks.NV,
    );
  }
}

function drawPolyline(
  points: readonly number[],
  widths: readonly number[],
  f: Frame,
  target: Float32Array,
  kind: 'artery' | 'vein' | 'nv',
  opacity = 1,
  mask: Uint8Array | null = null,
): void {
  for (let k = 0; k + 3 < points.length; k += 2) {
    const wa = widths[k / 2]!;
    const ha = (wa * f.r) / 2;
    const hb = (widths[k / 2 + 1]! * f.r) / 2;
    // Absorption grows with the blood column: thin vessels are fainter (Beer-Lambert), at any image size.
    const absorb = opacity * (1 - Math.exp(-wa / 0.008));
    stampCapsule(
      target,
      f.size,
      f.cx + points[k]! * f.r,
      f.cy + points[k + 1]! * f.r,
      f.cx + points[k + 2]! * f.r,
      f.cy + points[k + 3]! * f.r,
      ha,
      hb,
      absorb,
      kind === 'artery' ? 0.45 : kind === 'vein' ? 0.15 : 0,
      mask,
    );
  }
}

/** Field-of-view stop: anti-aliased circle, optionally cut top and bottom, with the camera's small notch. */
function fovAlpha(eye: Anatomy, f: Frame): Float32Array {
  const S = f.size;
  const out = new Float32Array(S * S);
  const { cut, notch } = eye.fov;
  const nx = notch ? Math.cos(notch.angle) * (1 + notch.r * 0.3) : 0;
  const ny = notch ? Math.sin(notch.angle) * (1 + notch.r * 0.3) : 0;
  for (let py = 0; py < S; py++) {
    const dy = py + 0.5 - f.cy;
    for (let px = 0; px < S; px++) {
      const dx = px + 0.5 - f.cx;
      let a = clamp01(f.r - Math.sqrt(dx * dx + dy * dy) + 0.5);
      if (cut < 1) a *= clamp01(cut * f.r - Math.abs(dy) + 0.5);
      if (notch) {
        const dn = Math.sqrt((dx - nx * f.r) ** 2 + (dy - ny * f.r) ** 2);
        a = Math.max(a, clamp01(notch.r * f.r - dn + 0.5));
      }
      out[py * S + px] = a;
    }
  }
  return out;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/**
 * The slowly varying fields: albedo multipliers per channel (mottling, tigroid choroid, macular darkening),
 * nerve-fibre sheen weight, illumination (vignetting, faint unevenness, and the illumination, occlusion and
 * off-centre degradations) and rim haze.
 */
function slowFields(
  eye: Anatomy,
  f: Frame,
  q: Required<Degradations>,
  rng: Rng,
  occDir: number,
): Float32Array[] {
  const { strength, power, x: vx, y: vy } = eye.vignette;
  const unevenDir = rng.uniform(0, 2 * Math.PI);
  const crescentDir = rng.uniform(0, 2 * Math.PI);
  const hazeDir = rng.uniform(0, 2 * Math.PI);
  const haze = Math.max(0, (q.illumination - 0.35) / 0.65);
  const edge = 1 - 1.3 * q.occlusion;
  const seed = eye.textureSeed;
  const mac2 = 2 * (0.5 * eye.dd) ** 2;
  return smoothField(f, 6, (u, v, out) => {
    const t1 = fbm(u * 3, v * 3, seed, 3);
    const tc = fbm(u * 4 + 7, v * 4, seed + 2, 2);
    let r = 1 + 0.07 * t1;
    let g = 1 + 0.08 * t1 + 0.06 * tc;
    let b = 1 + 0.07 * t1 + 0.06 * tc;
    const rho = Math.sqrt(u * u + v * v);
    if (eye.choroid > 0) {
      // Tigroid fundus: orange choroidal vessels with darker interspaces, towards the periphery.
      const ridge = 1 - Math.abs(fbm(u * 6, v * 6, seed + 3, 2));
      const d = eye.choroid * 0.22 * (1 - ridge * ridge) * smoothstep(0.3, 0.95, rho);
      r *= 1 - 0.7 * d;
      g *= 1 - d;
      b *= 1 - 0.9 * d;
    }
    const df = (u - eye.fovea.x) ** 2 + (v - eye.fovea.y) ** 2;
    const mac = eye.maculaDark * Math.exp(-df / mac2);
    out[0] = r * (1 - 0.3 * mac);
    out[1] = g * (1 - 0.5 * mac);
    out[2] = b * (1 - 0.4 * mac);
    out[3] =
      eye.sheen > 0
        ? 0.5 * eye.sheen * (0.55 + 0.45 * fbm(u * 9, v * 9, seed + 4, 2)) * Math.exp(-(rho * rho) / 0.5)
        : 0;
    let L =
      Math.max(0.08, 1 - strength * Math.hypot(u - vx, v - vy) ** power) *
      (1 + 0.05 * fbm(u * 1.5, v * 1.5, seed + 11, 2));
    if (q.illumination > 0) {
      const along = u * Math.cos(unevenDir) + v * Math.sin(unevenDir);
      L *= 1 - 0.85 * q.illumination * smoothstep(-0.7, 0.9, along);
    }
    if (q.occlusion > 0) {
      const w = u * Math.cos(occDir) + v * Math.sin(occDir) + 0.06 * fbm(u * 2, v * 2, seed + 12, 2);
      L *= 1 - 0.9 * smoothstep(edge - 0.3, edge + 0.3, w);
    }
    if (q.offCentre > 0) {
      const w = u * Math.cos(crescentDir) + v * Math.sin(crescentDir);
      L *= 1 - 0.75 * q.offCentre * smoothstep(0.45, 1, w);
    }
    out[4] = L;
    out[5] =
      haze > 0 ? Math.max(0, Math.cos(Math.atan2(v, u) - hazeDir)) ** 2 * smoothstep(0.35, 1, rho) * haze : 0;
  });
}

/** Out-of-focus eyelashes: dark curved strokes reaching in from the occluded rim, heavily blurred. */
function eyelashes(f: Frame, severity: number, dir: number, rng: Rng): Float32Array {
  const S = f.size;
  const out = new Float32Array(S * S);
  const count = Math.round(2 + 6 * severity);
  const edge = 1 - 1.3 * severity;
  const [ax, ay] = [Math.cos(dir), Math.sin(dir)];
  for (let k = 0; k < count; k++) {
    // Start in the shadow, along the lid edge, and point into the field.
    const across = rng.uniform(-0.9, 0.9);
    let x = ax * (edge + 0.25) - ay * across;
    let y = ay * (edge + 0.25) + ax * across;
    let heading = dir + Math.PI + rng.uniform(-0.5, 0.5);
    const bend = rng.uniform(-0.05, 0.05);
    const width = rng.uniform(0.012, 0.025) * f.r;
    const steps = rng.int(6, 14);
    for (let s = 0; s < steps; s++) {
      const nx = x + 0.03 * Math.cos(heading);
      const ny = y + 0.03 * Math.sin(heading);
      stampCapsule(
        out,
        S,
        f.cx + x * f.r,
        f.cy + y * f.r,
        f.cx + nx * f.r,
        f.cy + ny * f.r,
        width,
        width * 0.8,
        0.8,
        0,
      );
      x = nx;
      y = ny;
      heading += bend;
    }
  }
  gaussianBlur(out, S, 0.02 * f.r);
  return out;
}

/** Under-exposure darkens with a steeper tone curve; over-exposure brightens and washes out towards white. */
function exposure(R: Float32Array, G: Float32Array, B: Float32Array, e: number): void {
  if (e === 0) return;
  const gain = e < 0 ? 1 + 0.78 * e : 1 + 1.1 * e;
  const gamma = e < 0 ? 1 - 0.4 * e : 1;
  const wash = e > 0 ? 0.35 * e : 0;
  for (const [p, white] of [
    [R, 255],
    [G, 245],
    [B, 235],
  ] as const) {
    for (let i = 0; i < p.length; i++) {
      let x = Math.max(0, p[i]! * gain) / 255;
      if (gamma !== 1) x **= gamma;
      x = Math.min(1, x);
      p[i] = (x + (white / 255 - x) * wash) * 255;
    }
  }
}
