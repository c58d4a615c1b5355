import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCliOutput } from '../../test/support/cli_io.js';
import { dataPath } from '../../test/support/shared_data.js';
import { setupBackend } from '../backend/setup_backend.js';
import { readImage } from '../io/node/read_image.js';
import { fundusPipeline } from '../preprocess/fundus_pipeline.js';
import { runCli } from './run_cli.js';

const PHOTOS = ['10_left.jpg', '10_right.jpg', '114_left.jpg'];
const photo = (name: string) => dataPath(`eyepacs/images/${name}`);

async function listAll(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(folder.length + 1))
    .sort();
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'fundus-cli-'));
  await setupBackend({ prefer: 'wasm' }); // what the commands below ask for, so each test also runs alone
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('fundus-kit preprocess', () => {
  it('mirrors a folder tree, writes what the pipeline computes, and lists a corrupt file with exit code 1', async () => {
    const input = join(tmp, 'tree');
    await mkdir(join(input, 'a'), { recursive: true });
    await mkdir(join(input, 'b', 'c'), { recursive: true });
    await copyFile(photo(PHOTOS[0]!), join(input, 'a', PHOTOS[0]!));
    await copyFile(photo(PHOTOS[1]!), join(input, PHOTOS[1]!));
    await copyFile(photo(PHOTOS[2]!), join(input, 'b', 'c', PHOTOS[2]!));
    await writeFile(join(input, 'broken.jpg'), new Uint8Array(0));
    await writeFile(join(input, 'notes.txt'), 'not an image');
    const output = join(tmp, 'tree-out');

    const io = captureCliOutput();
    const argv = [
      'preprocess',
      input,
      output,
      '--size',
      '128',
      '--colour',
      'benGraham',
      '--backend',
      'wasm',
      '-q',
    ];
    expect(await runCli(argv, io)).toBe(1);
    expect(await listAll(output)).toEqual([
      '10_right.png',
      'a/10_left.png',
      'b/c/114_left.png',
      'preprocess.json',
    ]);
    expect(io.out()).toBe(`preprocess: wrote 3 of 4 images to ${output}\n`);
    const brokenPath = join(input, 'broken.jpg');
    expect(io.err()).toBe(
      `1 of 4 files failed:\n  ${brokenPath}: readImage: ${brokenPath} is empty (0 bytes).\n`,
    );
    const record = JSON.parse(await readFile(join(output, 'preprocess.json'), 'utf8'));
    expect(record.preprocessing).toEqual({
      size: 128,
      colour: 'benGraham',
      crop: true,
      margin: 0,
      mask: true,
    });
    expect([record.written, record.failed]).toEqual([3, 1]);

    // Independent of the command's plumbing: the same photo through fundusPipeline, rounded as an 8-bit PNG stores it.
    const before = tf.memory().numTensors;
    const original = await readImage(photo(PHOTOS[2]!));
    const { image: expected } = await fundusPipeline({ size: 128, colour: 'benGraham' })(original);
    const written = await readImage(join(output, 'b', 'c', '114_left.png'));
    expect(written.shape).toEqual([128, 128, 3]);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(written, tf.clipByValue(tf.round(expected), 0, 255)))));
    expect((await diff.data())[0]).toBeLessThanOrEqual(1);
    // benGraham's mask: the corner (outside 0.9 r) is exactly 128 in every channel.
    const corner = tf.slice(written, [0, 0, 0], [1, 1, 3]);
    expect(Array.from(await corner.data())).toEqual([128, 128, 128]);
    tf.dispose([original, expected, written, diff, corner]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takes a CSV (on the main thread, --workers 0): bad rows are listed, and the copied CSV points at the new files (quoted where needed)', async () => {
    const input = join(tmp, 'csv');
    await mkdir(join(input, 'images'), { recursive: true });
    await copyFile(photo(PHOTOS[0]!), join(input, 'images', 'x.jpg'));
    await copyFile(photo(PHOTOS[1]!), join(input, 'images', 'my, photo.jpg'));
    const csv = join(input, 'labels.csv');
    await writeFile(csv, 'grade,image\n0,images/x.jpg\n1,"images/my, photo.jpg"\n2,images/missing.jpg\n3,\n');
    const output = join(tmp, 'csv-out');

    const io = captureCliOutput();
    const argv = [
      'preprocess',
      csv,
      output,
      '-s',
      '64',
      '-c',
      'greyscale',
      '-f',
      'jpg',
      '-b',
      'wasm',
      '--workers',
      '0',
      '-q',
    ];
    const before = tf.memory().numTensors;
    expect(await runCli(argv, io)).toBe(1);
    expect(tf.memory().numTensors, 'tensors left by the command').toBe(before);
    const missing = join(input, 'images', 'missing.jpg');
    expect(io.err()).toBe(
      '2 of 4 files failed:\n' +
        `  ${csv}:5: line 5 has no image path in column 'image'.\n` +
        `  ${missing}: readImage: cannot read ${missing}: no such file.\n`,
    );
    expect(await listAll(output)).toEqual([
      'images/my, photo.jpg',
      'images/x.jpg',
      'labels.csv',
      'preprocess.json',
    ]);
    expect(await readFile(join(output, 'labels.csv'), 'utf8')).toBe(
      'grade,image\n0,images/x.jpg\n1,"images/my, photo.jpg"\n',
    );
    const grey = await readImage(join(output, 'images', 'x.jpg'));
    expect(grey.shape).toEqual([64, 64, 3]);
    const [r, g, b] = tf.unstack(grey, 2);
    const spread = tf.tidy(() => tf.mean(tf.add(tf.abs(tf.sub(r!, g!)), tf.abs(tf.sub(g!, b!)))));
    expect((await spread.data())[0]).toBeLessThan(1); // grey in JPEG: channels equal up to chroma rounding
    tf.dispose([grey, r!, g!, b!, spread]);
  });

  it('refuses to write into its own input, and names a missing CSV column (exit code 2)', async () => {
    let io = captureCliOutput();
    expect(await runCli(['preprocess', tmp, tmp, '-q'], io)).toBe(2);
    expect(io.err()).toContain('<out> must not be <in>');
    const csv = join(tmp, 'cols.csv');
    await writeFile(csv, 'path,label\na.jpg,0\n');
    io = captureCliOutput();
    expect(await runCli(['preprocess', csv, join(tmp, 'cols-out'), '-q'], io)).toBe(2);
    expect(io.err()).toBe(
      `preprocess: ${csv} has no column 'image'; its columns are path, label. Choose one with --image-column.\n`,
    );
  });

  it('Ctrl-C stops a run with code 130 and leaves only whole files (subprocess)', async () => {
    const input = join(tmp, 'many');
    await mkdir(input, { recursive: true });
    const names = (await readdir(dataPath('eyepacs/images'))).filter((n) => n.endsWith('.jpg')).slice(0, 12);
    for (const name of names) await copyFile(photo(name), join(input, name));
    const output = join(tmp, 'many-out');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'preprocess',
        input,
        output,
        '--size',
        '256',
        '--backend',
        'wasm',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // After the second photo is done: interrupt while the third is being prepared or written.
      if (!sent && /preprocess: 2\/12/.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(sent).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toContain('Interrupted: cleaning up');
    const left = await listAll(output);
    expect(left.filter((f) => f.includes('.partial'))).toEqual([]);
    expect(left.length).toBeGreaterThanOrEqual(2);
    expect(left.length).toBeLessThan(names.length);
    for (const file of left) {
      // A full decode: a truncated file fails here.
      const { info } = await sharp(join(output, file), { failOn: 'warning' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels]).toEqual([256, 256, 3]);
    }
  });
});
