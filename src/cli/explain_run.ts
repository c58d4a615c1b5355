import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { dispose } from '@tensorflow/tfjs-core';
import type { CamMethod } from '../explain/cam_map.js';
import type { ColormapName } from '../explain/colormaps.js';
import { readImage } from '../io/node/read_image.js';
import { writeImage } from '../io/node/write_image.js';
import type { ParsedArgs } from './args_parser.js';
import type { CommandContext } from './command.js';
import { explainPhoto } from './explain_photo.js';
import { commandInputs, csvField } from './list_inputs.js';
import { loadTrainedModel } from './load_trained_model.js';
import type { ModelCard } from './model_card.js';
import { ProgressBar } from './progress_bar.js';
import { startBackend } from './start_backend.js';
import { UsageError } from './usage_error.js';

const NAME = 'explain';

/** Runs `fundus-kit explain` (the spec is in explain_command.ts) and resolves to its exit code. */
export async function runExplain(args: ParsedArgs, context: CommandContext): Promise<number> {
  const [modelDir, input, out] = args.positionals as [string, string, string];
  const quiet = args.boolean('quiet')!;
  const inputs = await commandInputs(context, input, {
    command: NAME,
    imageColumn: args.string('image-column')!,
    root: args.string('root'),
    exclude: out,
    anyPath: true,
  });
  if (inputs === undefined) return 1;
  const { list, total, failures } = inputs;
  const info = await startBackend(args);
  const { model, card, outputs } = await loadTrainedModel(NAME, modelDir);
  const outAbs = resolve(out);
  const rows = [['file', 'predicted', 'score', 'overlay'].join(',')];
  try {
    const output = args.number('output')!;
    if (output >= outputs.length) {
      throw new UsageError(
        `${NAME}: --output ${output} does not exist; this model has outputs 0-${outputs.length - 1} (${outputs.join(', ')}).`,
        NAME,
        output,
      );
    }
    const target = classTarget(card, args.string('class'));
    if (!quiet) {
      context.stderr.write(
        `${NAME}: ${list.files.length} photos → ${out} (${args.string('method')} on output ${output}, ${outputs[output]}); backend ${info.name}\n`,
      );
    }
    await mkdir(outAbs, { recursive: true });
    const progress = quiet
      ? undefined
      : new ProgressBar({ total: list.files.length, label: NAME, stream: context.stderr });
    for (const file of list.files) {
      try {
        const overlayFile = join(
          outAbs,
          `${file.relativePath.slice(0, file.relativePath.length - extname(file.relativePath).length)}.png`,
        );
        if (!overlayFile.startsWith(`${outAbs}${sep}`))
          throw new Error(`its output would fall outside ${out}; use a CSV with relative paths.`);
        const photo = await readImage(file.path);
        try {
          const explained = await explainPhoto(model, card, photo, {
            method: args.string('method') as CamMethod,
            ...(args.string('layer') === undefined ? {} : { layer: args.string('layer')! }),
            ...(target === undefined ? {} : { target }),
            output,
            colormap: args.string('colormap') as ColormapName,
            alpha: args.number('alpha')!,
          });
          try {
            await mkdir(dirname(overlayFile), { recursive: true });
            const partial = `${overlayFile}.partial.png`;
            const release = context.interrupt.register(() => rm(partial, { force: true }));
            try {
              await writeImage(partial, explained.overlay);
              await rename(partial, overlayFile);
            } finally {
              release();
            }
            rows.push(
              [
                file.relativePath,
                explained.label,
                explained.score.toFixed(6),
                overlayFile.slice(outAbs.length + 1),
              ]
                .map(csvField)
                .join(','),
            );
          } finally {
            dispose([explained.photo, explained.overlay]);
          }
        } finally {
          photo.dispose();
        }
      } catch (e) {
        failures.add(file.path, e);
      }
      progress?.tick(1, file.relativePath);
    }
    progress?.done();
  } finally {
    model.dispose();
  }
  await writeFile(join(outAbs, 'explain.csv'), `${rows.join('\n')}\n`);
  context.stdout.write(`${NAME}: wrote ${rows.length - 1} of ${total} overlays to ${out}\n`);
  const summary = failures.summary(total, 'photos');
  if (summary !== '') context.stderr.write(summary);
  return failures.exitCode;
}

/** `--class` as an output unit: its index among the classes (binary: only the positive unit exists). */
function classTarget(card: ModelCard, name: string | undefined): number | undefined {
  if (name === undefined) return undefined;
  if (card.task === 'binary' || card.task === 'grade') {
    throw new UsageError(
      `${NAME}: --class applies to multiclass and multilabel models; this one is ${card.task} (its single score is explained).`,
      NAME,
      name,
    );
  }
  const index = card.classes.indexOf(name);
  if (index === -1) {
    throw new UsageError(
      `${NAME}: --class '${name}' is not one of the model's classes (${card.classes.join(', ')}).`,
      NAME,
      name,
    );
  }
  return index;
}
