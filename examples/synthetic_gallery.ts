/**
 * `npx tsx examples/synthetic_gallery.ts [outDir]`: a gallery of synthetic fundus photographs.
 *
 * Writes `synthetic_gallery.png` (12 images across DR grades and quality problems, captioned) and
 * `synthetic_overlays.png` (the same images dimmed, with their lesion masks painted on: MA green, HE blue,
 * EX yellow, SE cyan, NV magenta, optic disc white) into outDir (default `./synthetic_gallery`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { type SyntheticFundusArgs, setupBackend, syntheticFundus } from '../src/index.js';

const TILE = 256;
const COLUMNS = 4;

/** Grades 0-4 on good photos, then one of each quality problem. */
const SPECS: SyntheticFundusArgs[] = [
  { seed: 11, grade: 0, quality: 'good' },
  { seed: 12, grade: 1, quality: 'good' },
  { seed: 13, grade: 2, quality: 'good' },
  { seed: 14, grade: 3, quality: 'good' },
  { seed: 15, grade: 4, quality: 'good' },
  { seed: 16, grade: 2, quality: 'good' },
  { seed: 17, grade: 0, quality: { blur: 0.7 } },
  { seed: 18, grade: 2, quality: { illumination: 0.75 } },
  { seed: 19, grade: 0, quality: { exposure: -0.6 } },
  { seed: 20, grade: 1, quality: { exposure: 0.5 } },
  { seed: 21, grade: 2, quality: { occlusion: 0.6 } },
  { seed: 22, grade: 0, quality: { offCentre: 0.8 } },
];

const MASK_COLOURS: Record<string, [number, number, number]> = {
  OD: [255, 255, 255],
  SE: [0, 255, 255],
  EX: [255, 235, 0],
  HE: [40, 110, 255],
  MA: [0, 255, 60],
  NV: [255, 0, 255],
};

async function main(): Promise<void> {
  const outDir = process.argv[2] ?? 'synthetic_gallery';
  mkdirSync(outDir, { recursive: true });
  const backend = await setupBackend();
  const images: Buffer[] = [];
  const overlays: Buffer[] = [];
  const captions: string[] = [];
  for (const spec of SPECS) {
    const start = performance.now();
    const f = syntheticFundus({ ...spec, size: 512 });
    const ms = performance.now() - start;
    const rgb = Buffer.from(Uint8ClampedArray.from(await f.image.data()));
    const over = Buffer.from(rgb.map((v) => v * 0.45));
    for (const [name, colour] of Object.entries(MASK_COLOURS)) {
      const m = await f.masks[name as keyof typeof f.masks].data();
      for (let i = 0; i < m.length; i++) {
        if (m[i] === 0) continue;
        if (name === 'OD' && !isEdge(m, i, 512)) continue; // disc as an outline, lesions filled
        for (let c = 0; c < 3; c++) over[3 * i + c] = colour[c]!;
      }
    }
    images.push(await tile(rgb));
    overlays.push(await tile(over));
    const quality = f.quality + (f.degradations.length ? ` (${f.degradations.join(', ')})` : '');
    captions.push(`grade ${f.grade} · ${quality}`);
    console.log(
      `seed ${f.seed}: grade ${f.grade}, ${quality}, lesions ${JSON.stringify(f.lesionCounts)}, ${ms.toFixed(0)} ms on ${backend.name}`,
    );
    f.dispose();
  }
  await grid(images, captions, join(outDir, 'synthetic_gallery.png'));
  await grid(overlays, captions, join(outDir, 'synthetic_overlays.png'));
  console.log(`wrote ${join(outDir, 'synthetic_gallery.png')} and ${join(outDir, 'synthetic_overlays.png')}`);
}

function isEdge(m: ArrayLike<number>, i: number, size: number): boolean {
  const x = i % size;
  const y = (i - x) / size;
  if (x === 0 || y === 0 || x === size - 1 || y === size - 1) return true;
  return m[i - 1] === 0 || m[i + 1] === 0 || m[i - size] === 0 || m[i + size] === 0;
}

async function tile(rgb: Buffer): Promise<Buffer> {
  return sharp(rgb, { raw: { width: 512, height: 512, channels: 3 } })
    .resize(TILE, TILE, { kernel: 'lanczos3' })
    .png()
    .toBuffer();
}

async function grid(tiles: Buffer[], captions: string[], path: string): Promise<void> {
  const rows = Math.ceil(tiles.length / COLUMNS);
  const captionHeight = 18;
  const cellH = TILE + captionHeight;
  const text = captions
    .map((c, i) => {
      const x = (i % COLUMNS) * TILE + TILE / 2;
      const y = Math.floor(i / COLUMNS) * cellH + TILE + 13;
      return `<text x="${x}" y="${y}" font-family="sans-serif" font-size="11" fill="#ddd" text-anchor="middle">${c}</text>`;
    })
    .join('');
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${COLUMNS * TILE}" height="${rows * cellH}">${text}</svg>`,
  );
  await sharp({ create: { width: COLUMNS * TILE, height: rows * cellH, channels: 3, background: '#000' } })
    .composite([
      ...tiles.map((input, i) => ({
        input,
        left: (i % COLUMNS) * TILE,
        top: Math.floor(i / COLUMNS) * cellH,
      })),
      { input: svg, left: 0, top: 0 },
    ])
    // A 256-colour palette (dithered) keeps the grid around 200 KB with no visible banding.
    .png({ palette: true, quality: 90, dither: 1, compressionLevel: 9, effort: 10 })
    .toFile(path);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
