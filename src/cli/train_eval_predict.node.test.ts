import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCliOutput } from '../../test/support/cli_io.js';
import { setupBackend } from '../backend/setup_backend.js';
import { syntheticFundus } from '../data/synthetic/fundus.js';
import { registerHeadLayers } from '../heads/register_head_layers.js';
import { loadModel } from '../io/node/model_save.js';
import { readImage } from '../io/node/read_image.js';
import { accuracy } from '../metrics/accuracy.js';
import { fundusPipeline } from '../preprocess/fundus_pipeline.js';
import { readModelCard } from './node/model_card_file.js';
import { runCli } from './run_cli.js';

// Small synthetic photos written as PNG files with a labels CSV: the commands run end to end on real files.
const N = 20;
const SIZE = 32;
const QUALITY = ['good', 'usable', 'reject'] as const;

let tmp: string;
let csv: string;
const rows: { file: string; quality: string; split: string }[] = [];

beforeAll(async () => {
  await setupBackend({ prefer: 'wasm' });
  tmp = await mkdtemp(join(tmpdir(), 'fundus-train-'));
  await mkdir(join(tmp, 'photos'));
  for (let i = 0; i < N; i++) {
    const quality = QUALITY[i % 3]!;
    const sample = syntheticFundus({ size: 64, seed: 100 + i, quality });
    const bytes = tf.tidy(() => tf.cast(tf.clipByValue(tf.round(sample.image), 0, 255), 'int32'));
    const data = Uint8Array.from(await bytes.data());
    tf.dispose([bytes, sample.image, ...Object.values(sample.masks)]);
    const file = `photos/p${i}.png`;
    await sharp(Buffer.from(data), { raw: { width: 64, height: 64, channels: 3 } })
      .png()
      .toFile(join(tmp, file));
    rows.push({ file, quality, split: i < 14 ? 'train' : 'val' });
  }
  csv = join(tmp, 'labels.csv');
  await writeFile(
    csv,
    `image,quality,split\n${rows.map((r) => `${r.file},${r.quality},${r.split}`).join('\n')}\n`,
  );
}, 60_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const JOINT = [
  '--task',
  'binary',
  '--label-column',
  'quality',
  '--positive',
  'usable,reject',
  '--negative',
  'good',
  '--classes',
  'good,poor',
  '--split-column',
  'split',
  '--backbones',
  'resnet18,vgg16',
  '--width',
  '0.0625',
  '--size',
  String(SIZE),
  '--epochs',
  '2',
  '--batch-size',
  '7',
  '--backend',
  'wasm',
];

/** The model's output-0 probabilities for photos prepared independently of the CLI (pipeline, then / 255). */
async function referenceProbabilities(modelDir: string, files: readonly string[]): Promise<number[][]> {
  registerHeadLayers();
  const model = await loadModel(modelDir);
  const prepare = fundusPipeline({ size: SIZE, colour: 'original', crop: true, margin: 0, mask: false });
  const out: number[][] = [];
  for (const file of files) {
    const photo = await readImage(join(tmp, file));
    const { image } = await prepare(photo);
    const p = tf.tidy(() => {
      const y = model.predict(tf.expandDims(tf.div(image, 255), 0));
      return (Array.isArray(y) ? y[0]! : y) as tf.Tensor2D;
    });
    out.push(Array.from(await p.data()));
    tf.dispose([photo, image, p]);
  }
  model.dispose();
  return out;
}

describe('fundus-kit train / eval / predict / explain', () => {
  const jointDir = () => join(tmp, 'joint');
  const valRows = () => rows.filter((r) => r.split === 'val');

  it('train: joint fine-tuning saves the model, a card whose held-out scores are the model’s, and its history', async () => {
    const before = tf.memory().numTensors;
    const io = captureCliOutput();
    const code = await runCli(['train', csv, jointDir(), ...JOINT, '--quiet'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect((await readdir(tmp)).filter((f) => f.includes('partial'))).toEqual([]);
    expect((await readdir(jointDir())).sort()).toEqual([
      'fundus-kit.json',
      'model.json',
      'training.json',
      'weights.bin',
    ]);
    const card = await readModelCard(jointDir());
    expect(card).toMatchObject({
      task: 'binary',
      classes: ['good', 'poor'],
      backbones: ['resnet18', 'vgg16'],
      inputSize: [SIZE, SIZE, 3],
      preprocessing: { size: SIZE, colour: 'original', crop: true, margin: 0, mask: false },
    });
    expect(card.training).toMatchObject({ trainPhotos: 14, heldOutPhotos: 6, labelColumn: 'quality' });
    // The card's held-out accuracy, recomputed from the saved model on independently prepared photos.
    const p = await referenceProbabilities(
      jointDir(),
      valRows().map((r) => r.file),
    );
    const truth = valRows().map((r) => (r.quality === 'good' ? 0 : 1));
    const expected = accuracy(
      truth,
      p.map((r) => (r[0]! > 0.5 ? 1 : 0)),
    );
    expect(card.metrics?.accuracy).toBeCloseTo(expected, 9);
    expect(Object.keys(card.metrics ?? {})).toEqual(
      expect.arrayContaining(['accuracy', 'resnet18.accuracy', 'vgg16.accuracy']),
    );
    const record = JSON.parse(await readFile(join(jointDir(), 'training.json'), 'utf8'));
    expect(record.outputs).toEqual(['fused', 'resnet18', 'vgg16']);
    expect(record.history.loss).toHaveLength(2);
    expect(record.history.val_accuracy[record.bestEpoch - 1]).toBeCloseTo(expected, 9);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('eval: scores the held-out split as train did, for the model and each branch, and writes a report', async () => {
    const card = await readModelCard(jointDir());
    const io = captureCliOutput();
    const json = join(tmp, 'eval.json');
    const html = join(tmp, 'eval.html');
    const code = await runCli(
      [
        'eval',
        jointDir(),
        csv,
        '--split-column',
        'split',
        '--json',
        json,
        '--report',
        html,
        '--gallery',
        '2',
        '-q',
      ],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const data = JSON.parse(await readFile(json, 'utf8'));
    const scores = data.tables[0];
    expect(scores.rows.map((r: { label: string }) => r.label)).toEqual(['fused', 'resnet18', 'vgg16']);
    expect(scores.rows[0].values[0]).toBeCloseTo(card.metrics!.accuracy!, 9);
    expect(scores.rows[1].values[0]).toBeCloseTo(card.metrics!['resnet18.accuracy']!, 9);
    const counts: number[][] = data.confusionMatrix.counts;
    expect(counts.flat().reduce((a, b) => a + b, 0)).toBe(6);
    expect((counts[0]![0]! + counts[1]![1]!) / 6).toBeCloseTo(card.metrics!.accuracy!, 9);
    expect(data.gallery.photos).toHaveLength(2);
    expect(data.training.history.loss).toHaveLength(2);
    const page = await readFile(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).toContain('data:image/png;base64,');
    expect(io.out()).toContain('Confusion matrix');
  }, 60_000);

  it('predict: one CSV row per photo with the model’s probabilities; a corrupt file is listed, exit code 1', async () => {
    const folder = join(tmp, 'to-predict');
    await mkdir(folder);
    const picks = valRows().slice(0, 3);
    for (const r of picks)
      await writeFile(join(folder, r.file.split('/')[1]!), await readFile(join(tmp, r.file)));
    await writeFile(join(folder, 'broken.jpg'), 'this is not a JPEG');
    const io = captureCliOutput();
    const code = await runCli(['predict', jointDir(), folder, '-q'], io);
    expect(code).toBe(1);
    expect(io.err()).toMatch(/1 of 4 photos failed:\n.*broken\.jpg/);
    const lines = io.out().trim().split('\n');
    expect(lines[0]).toBe('file,predicted,score,p_poor');
    const expected = await referenceProbabilities(
      jointDir(),
      picks.map((r) => r.file),
    );
    const byName = new Map(lines.slice(1).map((l) => [l.split(',')[0]!, l.split(',')]));
    for (const [i, r] of picks.entries()) {
      const row = byName.get(r.file.split('/')[1]!)!;
      const p = expected[i]![0]!;
      expect(Number(row[3])).toBeCloseTo(p, 5);
      expect(row[1]).toBe(p > 0.5 ? 'poor' : 'good');
    }
  }, 60_000);

  it('explain: writes a Grad-CAM overlay per photo at the model’s input size, and explain.csv', async () => {
    const out = join(tmp, 'cams');
    const io = captureCliOutput();
    const code = await runCli(
      ['explain', jointDir(), join(tmp, rows[0]!.file), out, '-q', '--output', '1'],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const meta = await sharp(join(out, 'p0.png')).metadata();
    expect([meta.width, meta.height]).toEqual([SIZE, SIZE]);
    const table = (await readFile(join(out, 'explain.csv'), 'utf8')).trim().split('\n');
    expect(table).toHaveLength(2);
    expect(table[1]).toMatch(/^p0\.png,(good|poor),/);
  }, 60_000);

  it('train --explore keeps the best candidate; eval --held-out finds the same seeded ratio split', async () => {
    const dir = join(tmp, 'explored');
    const io = captureCliOutput();
    const argv = ['train', csv, dir, '--label-column', 'quality', '--val-ratio', '0.3', '--seed', '7'];
    argv.push('--backbones', 'resnet18,vgg16', '--explore', '--top', '1', '--width', '0.0625');
    argv.push('--size', String(SIZE), '--epochs', '1', '--batch-size', '7', '--backend', 'wasm');
    const code = await runCli(argv, io);
    expect(code).toBe(0);
    expect(io.err()).toMatch(
      /exploring resnet18, vgg16[\s\S]*\[1\/2\] resnet18[\s\S]*\[2\/2\] vgg16[\s\S]*keeping/,
    );
    const card = await readModelCard(dir);
    expect(card.task).toBe('multiclass');
    expect(card.classes).toEqual(['good', 'reject', 'usable']);
    expect(card.backbones).toHaveLength(1);
    const record = JSON.parse(await readFile(join(dir, 'training.json'), 'utf8'));
    expect(record.selection.map((s: { backbone: string }) => s.backbone).sort()).toEqual([
      'resnet18',
      'vgg16',
    ]);
    expect(record.selection[0].backbone).toBe(card.backbones[0]);
    expect(card.training).toMatchObject({ heldOutPhotos: 6, trainPhotos: 14, valRatio: 0.3, seed: 7 });
    const json = join(tmp, 'explored.json');
    expect(
      await runCli(
        ['eval', dir, csv, '--held-out', '--json', json, '--gallery', '0', '-q'],
        captureCliOutput(),
      ),
    ).toBe(0);
    const data = JSON.parse(await readFile(json, 'utf8'));
    expect(data.summary.photos).toBe(6);
    expect(data.tables[0].rows[0].values[0]).toBeCloseTo(card.metrics!.accuracy!, 9);
  }, 120_000);

  it('refuses bad command lines with the fix, before any work', async () => {
    const cases: [string[], RegExp][] = [
      [['train', csv, jointDir(), ...JOINT], /already exists and is not empty.*--overwrite/],
      [
        ['train', csv, join(tmp, 'x'), '--backbones', 'resnet81'],
        /unknown backbone 'resnet81'. Did you mean 'resnet18'\?/,
      ],
      [
        ['train', csv, join(tmp, 'x'), '--weights', 'a.h5', '--backbones', 'vgg16,resnet18'],
        /'name=path' pairs/,
      ],
      [['eval', join(tmp, 'nowhere'), csv], /<model> '.*nowhere' does not exist/],
      [['predict', jointDir(), join(tmp, 'labels.txt')], /does not exist/],
      [['explain', jointDir(), csv, join(tmp, 'c'), '--class', 'good'], /--class applies to multiclass/],
      [['eval', jointDir(), csv, '--report', 'r.pdf'], /--report must name an \.html file/],
    ];
    for (const [argv, message] of cases) {
      const io = captureCliOutput();
      expect(await runCli(argv, io)).toBe(2);
      expect(io.err()).toMatch(message);
    }
  }, 60_000);

  it('a CSV with a bad row: train stops naming the line; with --skip-bad-rows it trains, lists it, exit code 1', async () => {
    const bad = join(tmp, 'bad.csv');
    await writeFile(bad, `${await readFile(csv, 'utf8')}photos/missing.png,good,train\n`);
    const args = [...JOINT.map((a) => (a === 'resnet18,vgg16' ? 'resnet18' : a === '2' ? '1' : a)), '-q'];
    const io = captureCliOutput();
    expect(await runCli(['train', bad, join(tmp, 'bad1'), ...args], io)).toBe(1);
    expect(io.err()).toMatch(/line 22.*missing\.png/);
    await expect(readdir(join(tmp, 'bad1'))).rejects.toThrow();
    const io2 = captureCliOutput();
    expect(await runCli(['train', bad, join(tmp, 'bad2'), ...args, '--skip-bad-rows'], io2)).toBe(1);
    expect(io2.err()).toMatch(/1 skipped: line 22 .*missing\.png/);
    expect((await readdir(join(tmp, 'bad2'))).sort()).toContain('model.json');
  }, 60_000);

  it('Ctrl-C during training exits 130 and leaves no model folder, not even a partial one', async () => {
    const out = join(tmp, 'interrupted');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'train', csv, out, ...JOINT.map((a) => (a === '2' ? '50' : a))],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && /epoch 1\/50: held-out|epoch 1\/50: loss|epoch 2\/50/.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(sent).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toContain('Interrupted: cleaning up');
    const left = await readdir(tmp);
    expect(left.filter((f) => f.includes('interrupted'))).toEqual([]);
  }, 120_000);
});
