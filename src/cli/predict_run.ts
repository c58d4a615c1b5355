import * as tf from '@tensorflow/tfjs-core';
import { readImage } from '../io/node/read_image.js';
import type { ParsedArgs } from './args_parser.js';
import type { CommandContext } from './command.js';
import { describePrediction } from './explain_photo.js';
import { commandInputs, csvField } from './list_inputs.js';
import { loadTrainedModel } from './load_trained_model.js';
import type { ModelCard } from './model_card.js';
import { modelInputTransform } from './model_input.js';
import { ProgressBar } from './progress_bar.js';
import { startBackend } from './start_backend.js';
import { UsageError } from './usage_error.js';
import { writeTextAtomically } from './write_text_atomically.js';

const NAME = 'predict';

/** Runs `fundus-kit predict` (the spec is in predict_command.ts) and resolves to its exit code. */
export async function runPredict(args: ParsedArgs, context: CommandContext): Promise<number> {
  const [modelDir, input] = args.positionals as [string, string];
  const outFile = args.string('out');
  if (outFile !== undefined && !/\.csv$/i.test(outFile)) {
    throw new UsageError(`${NAME}: --out must name a .csv file, but got '${outFile}'.`, NAME, outFile);
  }
  const quiet = args.boolean('quiet')!;
  const inputs = await commandInputs(context, input, {
    command: NAME,
    imageColumn: args.string('image-column')!,
    root: args.string('root'),
    anyPath: true,
  });
  if (inputs === undefined) return 1;
  const { list, total, failures } = inputs;
  const info = await startBackend(args);
  const { model, card } = await loadTrainedModel(NAME, modelDir);
  const lines = [header(card).map(csvField).join(',')];
  try {
    if (!quiet) {
      context.stderr.write(
        `${NAME}: ${list.files.length} photos, model ${modelDir} (${card.task}); backend ${info.name}\n`,
      );
    }
    const prepare = modelInputTransform(card.preprocessing);
    const progress = quiet
      ? undefined
      : new ProgressBar({ total: list.files.length, label: NAME, stream: context.stderr });
    for (const file of list.files) {
      try {
        const photo = await readImage(file.path);
        let values: number[];
        try {
          const { image } = await prepare(photo);
          const p = tf.tidy(() => {
            const out = model.predict(tf.expandDims(image, 0));
            return (Array.isArray(out) ? out[0]! : out) as tf.Tensor2D;
          });
          image.dispose();
          values = Array.from(await p.data());
          p.dispose();
        } finally {
          photo.dispose();
        }
        const answer = describePrediction(card, values);
        lines.push(
          [file.relativePath, answer.label, answer.score.toFixed(6), ...values.map((v) => v.toFixed(6))]
            .map(csvField)
            .join(','),
        );
      } catch (e) {
        failures.add(file.path, e);
      }
      progress?.tick(1, file.relativePath);
    }
    progress?.done();
  } finally {
    model.dispose();
  }
  const csv = `${lines.join('\n')}\n`;
  if (outFile === undefined) {
    context.stdout.write(csv);
  } else {
    await writeTextAtomically(context, outFile, csv);
    context.stdout.write(`${NAME}: wrote ${lines.length - 1} predictions to ${outFile}\n`);
  }
  const summary = failures.summary(total, 'photos');
  if (summary !== '') context.stderr.write(summary);
  return failures.exitCode;
}

/** The CSV header: file, predicted, score, then one column per output value. */
function header(card: ModelCard): string[] {
  const columns =
    card.task === 'binary'
      ? [`p_${card.classes[1]}`]
      : card.task === 'grade'
        ? card.classes.slice(1).map((g) => `p_grade_ge_${g}`)
        : card.classes.map((c) => `p_${c}`);
  return ['file', 'predicted', 'score', ...columns];
}
