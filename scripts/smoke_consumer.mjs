// `npm run smoke` (after `npm run build`): installs the packed package into a throwaway CommonJS project
// with tfjs-core, tfjs-layers and tfjs-backend-wasm from the registry, as a user would, then checks that
// both `import` and `require` of fundus-kit set up wasm and can take a conv filter gradient there
// (Conv2DBackpropFilter, a kernel TF.js's wasm backend lacks and fundus-kit registers), and that the Node
// entry's readImage decodes a PNG.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const TFJS = '4.22.0';
const root = resolve(import.meta.dirname, '..');

function sh(cmd, args, cwd, capture = false) {
  const r = spawnSync(cmd, args, {
    cwd,
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
  });
  if (r.status !== 0)
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal}) in ${cwd}`);
  return r.stdout;
}

// The consumer's code: the same checks through `import` (.mjs) and `require` (.cjs).
const check = (load) => `${load}
async function main() {
  const info = await setupBackend({ prefer: 'wasm' });
  if (info.name !== 'wasm' || tf.getBackend() !== 'wasm') throw new Error('expected wasm, got ' + info.name);
  if (!info.addedKernels.includes('Conv2DBackpropFilter')) throw new Error('Conv2DBackpropFilter not registered');
  // d/dw sum(conv2d(x, w, valid)) at w[a][b][c][o] = sum of x over the output window shifted by (a, b), channel c.
  const [H, W, C, K, O] = [5, 6, 2, 3, 4];
  const xs = Array.from({ length: H * W * C }, (_, i) => ((i * 7) % 11) / 10 - 0.5);
  const x = tf.tensor4d(xs, [1, H, W, C]);
  const w = tf.randomNormal([K, K, C, O]);
  const grad = tf.grad((w) => tf.sum(tf.conv2d(x, w, 1, 'valid')))(w);
  const got = await grad.data();
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) for (let c = 0; c < C; c++) {
    let want = 0;
    for (let i = 0; i <= H - K; i++) for (let j = 0; j <= W - K; j++) want += xs[((i + a) * W + (j + b)) * C + c];
    for (let o = 0; o < O; o++) {
      const g = got[((a * K + b) * C + c) * O + o];
      if (Math.abs(g - want) > 1e-4) throw new Error('dL/dw[' + [a, b, c, o] + '] = ' + g + ', expected ' + want);
    }
  }
  // Node entry: readImage decodes through sharp (an optional dependency installed with the package).
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAD0lEQVQImWP4z8DAwPAfAAcAAf/89wURAAAAAElFTkSuQmCC', 'base64');
  const image = await readImage(png);
  const pixels = Array.from(await image.data());
  if (image.shape.join() !== '1,2,3' || pixels.join() !== '255,0,0,0,0,255') throw new Error('readImage gave ' + image.shape + ' ' + pixels);
  // preparePhotos starts its worker thread from the installed package (dist/prepare_worker.js) and gives
  // back what fundusPipeline gives on this thread; a file that is not a photo comes back as a failure.
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const folder = mkdtempSync(join(tmpdir(), 'smoke-photos-'));
  const eye = synthetic.fundus({ size: 128, seed: 3 });
  await writeImage(join(folder, 'eye.png'), eye.image);
  writeFileSync(join(folder, 'bad.jpg'), 'not a photo');
  const results = [];
  for await (const r of preparePhotos([join(folder, 'eye.png'), join(folder, 'bad.jpg')], { workers: 1, pipeline: { size: 64 } })) results.push(r);
  const here = await fundusPipeline({ size: 64 })(await readImage(join(folder, 'eye.png')));
  const gap = tf.max(tf.abs(tf.sub(results[0].image, here.image))).dataSync()[0];
  if (!(gap < 1e-3) || results[1].error?.name !== 'ImageDecodeError') throw new Error('preparePhotos gave ' + gap + ', ' + results[1].error);
  console.log('OK ' + __FILE + ': backend ' + info.name + ', conv filter gradient matches, readImage decodes a PNG, preparePhotos runs its worker');
}
main().catch((e) => { console.error(e); process.exit(1); });
`;
const esm = `import * as tf from '@tensorflow/tfjs-core';\nimport { fundusPipeline, preparePhotos, readImage, setupBackend, synthetic, writeImage } from 'fundus-kit';\nconst __FILE = 'esm.mjs';`;
const cjs = `const tf = require('@tensorflow/tfjs-core');\nconst { fundusPipeline, preparePhotos, readImage, setupBackend, synthetic, writeImage } = require('fundus-kit');\nconst __FILE = 'cjs.cjs';`;

const started = Date.now();
const dir = mkdtempSync(join(tmpdir(), 'fundus-kit-smoke-'));
const results = [];
try {
  if (!existsSync(join(root, 'dist/index.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  // --ignore-scripts: packing needs no lifecycle scripts, and their banners would spoil the JSON.
  const [packed] = JSON.parse(
    sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root, true),
  );
  console.log(`packed ${packed.filename} (${packed.entryCount} files, ${packed.size} bytes) into ${dir}`);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'smoke', private: true, type: 'commonjs' }),
  );
  const deps = ['core', 'layers', 'data', 'backend-wasm'].map((p) => `@tensorflow/tfjs-${p}@${TFJS}`);
  sh(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--save-exact',
      join(dir, packed.filename),
      ...deps,
    ],
    dir,
  );
  writeFileSync(join(dir, 'esm.mjs'), check(esm));
  writeFileSync(join(dir, 'cjs.cjs'), check(cjs));
  for (const file of ['esm.mjs', 'cjs.cjs']) {
    const r = spawnSync(process.execPath, [file], { cwd: dir, stdio: 'inherit' });
    results.push({ file, ok: r.status === 0 });
  }
} catch (e) {
  console.error(`smoke: ${e.message}`);
  results.push({ file: 'setup', ok: false });
}

const failed = results.filter((r) => !r.ok);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`smoke: ${results.map((r) => `${r.file} ${r.ok ? 'OK' : 'FAILED'}`).join(', ')} (${seconds}s)`);
if (failed.length > 0) {
  console.error(`smoke: FAILED; the consumer project is kept in ${dir}`);
  process.exit(1);
}
rmSync(dir, { recursive: true, force: true });
