import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { add, clipByValue, dispose, type Tensor3D, tidy } from '@tensorflow/tfjs-core';
import { preparePhotos } from '../data/node/prepare_photos.js';
import { writeImage } from '../io/node/write_image.js';
import type { ParsedArgs } from './args_parser.js';
import type { CommandContext } from './command.js';
import { commandInputs, csvField, type InputFile } from './list_inputs.js';
import { settingsFromArgs } from './preprocess_options.js';
import { type PreprocessSettings, pipelineArgs } from './preprocess_settings.js';
import { ProgressBar } from './progress_bar.js';
import { startBackend } from './start_backend.js';
import { UsageError } from './usage_error.js';
import { FUNDUS_KIT_VERSION } from './version.js';

/** File written in the output folder recording how its images were made. */
export const PREPROCESS_RECORD_FILE = 'preprocess.json';

const NAME = 'preprocess';

/** Runs `fundus-kit preprocess` (the spec is in preprocess_command.ts) and resolves to its exit code. */
export async function runPreprocess(args: ParsedArgs, context: CommandContext): Promise<number> {
  const [input, output] = args.positionals as [string, string];
  const settings = settingsFromArgs(args);
  const format = args.string('format') as 'png' | 'jpg';
  const quality = args.number('quality')!;
  const quiet = args.boolean('quiet')!;
  const workers = args.number('workers') ?? Math.min(availableParallelism(), 4);
  const inputAbs = resolve(input);
  const outputAbs = resolve(output);
  if (inputAbs === outputAbs || inputAbs.startsWith(`${outputAbs}${sep}`)) {
    throw new UsageError(
      `${NAME}: <out> must not be <in> or a folder around it; choose a new folder.`,
      NAME,
      output,
    );
  }
  const inputs = await commandInputs(context, input, {
    command: NAME,
    imageColumn: args.string('image-column')!,
    root: args.string('root'),
    exclude: output,
  });
  if (inputs === undefined) return 1;
  const { list, total, failures } = inputs;

  const info = await startBackend(args);
  await mkdir(outputAbs, { recursive: true });
  if (!quiet) {
    context.stderr.write(
      `${NAME}: ${list.files.length} photos → ${output} (${settings.size} px, ${settings.colour}` +
        `${settings.crop ? ', cropped' : ''}${settings.mask ? ', masked' : ''}, ${format}; ` +
        `${workers === 0 ? `backend ${info.name}` : `${workers} worker threads`})\n`,
    );
  }

  const progress = quiet
    ? undefined
    : new ProgressBar({ total: list.files.length, label: NAME, stream: context.stderr });
  const written = new Map<InputFile, string>();
  const targets = new Map<string, string>();
  const jobs: { file: InputFile; target: string }[] = [];
  for (const file of list.files) {
    const target = join(outputAbs, replaceExtension(file.relativePath, `.${format}`));
    const clash = targets.get(target);
    if (clash === undefined) {
      targets.set(target, file.path);
      jobs.push({ file, target });
      continue;
    }
    failures.add(
      file.path,
      new Error(`its output ${target} is also ${clash}'s (same name, other extension); rename one.`),
    );
    progress?.tick(1, file.relativePath);
  }
  const photos = preparePhotos(
    jobs.map((j) => j.file.path),
    { pipeline: pipelineArgs(settings), workers, backend: info.name === 'cpu' ? 'cpu' : 'wasm' },
  );
  let next = 0;
  for await (const prepared of photos) {
    const { file, target } = jobs[next++]!;
    try {
      if ('error' in prepared) throw prepared.error;
      await writePrepared(prepared.image, target, settings, quality, context);
      written.set(file, target);
    } catch (e) {
      failures.add(file.path, e);
    }
    progress?.tick(1, file.relativePath);
  }
  progress?.done();

  if (list.kind === 'csv' && list.csv !== undefined) {
    const csvOut = join(outputAbs, input.split(/[\\/]/).pop()!);
    const lines = [list.csv.header.map(csvField).join(',')];
    for (const [file, target] of written) {
      const fields = [...file.record!.fields];
      fields[list.csv.column] = relative(outputAbs, target).split(sep).join('/');
      lines.push(fields.map(csvField).join(','));
    }
    await writeFile(csvOut, `${lines.join('\n')}\n`);
  }
  const record = {
    fundusKitVersion: FUNDUS_KIT_VERSION,
    createdAt: new Date().toISOString(),
    input: inputAbs,
    preprocessing: settings,
    format,
    written: written.size,
    failed: failures.failures.length,
  };
  await writeFile(join(outputAbs, PREPROCESS_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);

  context.stdout.write(`${NAME}: wrote ${written.size} of ${total} images to ${output}\n`);
  const summary = failures.summary(total);
  if (summary !== '') context.stderr.write(summary);
  return failures.exitCode;
}

/** Writes one prepared image (to a hidden partial file renamed at the end), and disposes it. */
async function writePrepared(
  prepared: Tensor3D,
  target: string,
  settings: PreprocessSettings,
  quality: number,
  context: CommandContext,
): Promise<void> {
  let pixels: Tensor3D | undefined;
  try {
    // 'vgg' is zero-centred (BGR minus the ImageNet mean): shift it into 0-255 for an 8-bit file.
    pixels = tidy(
      () => clipByValue(settings.colour === 'vgg' ? add(prepared, 128) : prepared, 0, 255) as Tensor3D,
    );
    await mkdir(dirname(target), { recursive: true });
    const partial = join(dirname(target), `.${baseName(target)}.partial${extname(target)}`);
    const image = pixels;
    const saving = (async () => {
      await writeImage(partial, image, { quality });
      await rename(partial, target);
    })();
    // On Ctrl-C, let a write in progress finish first: removing the file under it would leave it written after.
    const release = context.interrupt.register(async () => {
      await saving.catch(() => undefined);
      await rm(partial, { force: true });
    });
    try {
      await saving;
    } catch (e) {
      await rm(partial, { force: true });
      throw e;
    } finally {
      release();
    }
  } finally {
    dispose([prepared, ...(pixels === undefined ? [] : [pixels])]);
  }
}

function baseName(path: string): string {
  const name = path.split(/[\\/]/).pop()!;
  return name.slice(0, name.length - extname(name).length);
}

function replaceExtension(path: string, extension: string): string {
  return path.slice(0, path.length - extname(path).length) + extension;
}
