import { basename, relative, resolve } from 'node:path';
import { dispose } from '@tensorflow/tfjs-core';
import { fromCsv } from '../data/node/from_csv.js';
import type { SplitArgs } from '../data/split.js';
import { formatSummary } from '../data/summary.js';
import { readImage } from '../io/node/read_image.js';
import { predictDatasetOutputs, scoreTask } from '../models/task_metrics.js';
import type { ParsedArgs } from './args_parser.js';
import type { CommandContext } from './command.js';
import { encodePngDataUri } from './encode_png.js';
import { confusionOf, perClassTable, rocCurves } from './evaluation.js';
import { explainPhoto } from './explain_photo.js';
import { csvLabelArgs, csvLayout } from './label_options.js';
import { loadTrainedModel } from './load_trained_model.js';
import { modelInputTransform } from './model_input.js';
import { renderReport } from './render_report.js';
import type { ReportData, ReportPhoto, ReportTable } from './report_data.js';
import { startBackend } from './start_backend.js';
import { readTrainingRecord } from './training_record.js';
import { UsageError } from './usage_error.js';
import { writeTextAtomically } from './write_text_atomically.js';

const NAME = 'eval';

/** Runs `fundus-kit eval` (the spec is in eval_command.ts) and resolves to its exit code. */
export async function runEval(args: ParsedArgs, context: CommandContext): Promise<number> {
  const started = performance.now();
  const [modelDir, csv] = args.positionals as [string, string];
  const quiet = args.boolean('quiet')!;
  const say = (text: string) => {
    if (!quiet) context.stderr.write(`${text}\n`);
  };
  const reportFile = args.string('report');
  const jsonFile = args.string('json');
  if (reportFile !== undefined && !/\.html?$/i.test(reportFile)) {
    throw new UsageError(
      `${NAME}: --report must name an .html file, but got '${reportFile}'.`,
      NAME,
      reportFile,
    );
  }
  if (jsonFile !== undefined && !/\.json$/i.test(jsonFile)) {
    throw new UsageError(`${NAME}: --json must name a .json file, but got '${jsonFile}'.`, NAME, jsonFile);
  }
  const info = await startBackend(args);
  const { model, card, outputs } = await loadTrainedModel(NAME, modelDir);
  try {
    const training = card.training ?? {};
    const layout = csvLayout(args, {
      imageColumn: stringOf(training.imageColumn),
      labelColumn: stringOf(training.labelColumn),
      positive: stringOf(training.positive),
      negative: stringOf(training.negative),
    });
    const split = evalSplit(args, training);
    const data = await fromCsv(csv, {
      ...csvLabelArgs(NAME, args, layout, card.task, card.classes),
      ...(card.task === 'grade' ? { grades: card.classes.length } : {}),
      ...(split === undefined ? {} : { split }),
      transform: modelInputTransform(card.preprocessing),
      batchSize: args.number('batch-size')!,
      shuffle: false,
    });
    if (card.task !== 'binary' && data.classes.length !== card.classes.length) {
      throw new UsageError(
        `${NAME}: the model predicts ${card.classes.length} classes (${card.classes.join(', ')}) but ${csv} has ` +
          `${data.classes.length} (${data.classes.join(', ')}).`,
        NAME,
        data.classes,
      );
    }
    say(
      `${NAME}: ${data.size} photos from ${csv}; model ${modelDir} (${outputs.join(', ')}); backend ${info.name}`,
    );

    const predictions = await predictDatasetOutputs(
      model,
      data.dataset,
      outputs.map((_, i) => i),
    );
    const scores = predictions.map((p) => scoreTask(card, p));
    const columns = Object.keys(scores[0]!);
    const outputTable: ReportTable = {
      title: `Scores on ${basename(csv)}${split === undefined ? '' : ` (${describeSplit(split)})`}`,
      columns,
      rows: scores.map((s, o) => ({
        label: outputs[o]!,
        values: columns.map((c) => finiteOrNull(s[c as keyof typeof s])),
      })),
    };
    const perClass = perClassTable(card, predictions[0]!);
    const confusion = confusionOf(card, predictions[0]!);

    const out = context.stdout;
    out.write(`${NAME}: ${predictions[0]!.labels.length} photos\n`);
    out.write(formatTable(outputTable));
    out.write(formatTable(perClass));
    if (confusion !== undefined) out.write(formatConfusion(confusion.classes, confusion.counts));

    const report: ReportData = {
      title: `Evaluation of ${basename(resolve(modelDir))}`,
      subtitle: `${card.task} · ${card.backbones.join(' + ')} · ${relative(process.cwd(), resolve(csv))}`,
      createdAt: new Date().toISOString(),
      summary: {
        photos: predictions[0]!.labels.length,
        ...Object.fromEntries(
          columns.map((c) => [c, finiteOrNull(scores[0]![c as keyof (typeof scores)[0]]) ?? 'n/a']),
        ),
        seconds: 0,
      },
      details: {
        task: card.task,
        classes: card.classes.join(', '),
        backbones: card.backbones.join(' + '),
        preprocessing: `${card.preprocessing.size} px, ${card.preprocessing.colour}${card.preprocessing.crop ? ', cropped to the field of view' : ''}`,
        dataset: formatSummary(data.summary),
        backend: info.name,
      },
      tables: [outputTable, perClass],
      ...(confusion === undefined ? {} : { confusionMatrix: confusion }),
    };
    const curves = rocCurves(card, outputs, predictions);
    if (curves.length > 0) report.roc = { curves };
    const record = await readTrainingRecord(modelDir);
    if (record !== undefined)
      report.training = { title: 'Training (held-out scores of the model)', history: record.history };

    if (reportFile !== undefined || jsonFile !== undefined) {
      const count = Math.min(args.number('gallery')!, data.rows.length);
      if (count > 0) {
        say(`${NAME}: Grad-CAM on ${count} photos for the report`);
        report.gallery = { photos: await gallery(model, card, data.rows.slice(0, count)) };
      }
      report.summary!.seconds = Math.round((performance.now() - started) / 1000);
      if (jsonFile !== undefined)
        await writeTextAtomically(context, jsonFile, `${JSON.stringify(report, null, 2)}\n`);
      if (reportFile !== undefined) await writeTextAtomically(context, reportFile, renderReport(report));
      for (const file of [jsonFile, reportFile])
        if (file !== undefined) out.write(`${NAME}: wrote ${file}\n`);
    }
    const skipped = data.summary.skipped.length;
    if (skipped > 0) context.stderr.write(`${formatSummary(data.summary, 50)}\n`);
    return skipped > 0 ? 1 : 0;
  } finally {
    model.dispose();
  }
}

/** The report's photos: each prepared as the model saw it, with its prediction and Grad-CAM overlay. */
async function gallery(
  model: Parameters<typeof explainPhoto>[0],
  card: Parameters<typeof explainPhoto>[1],
  rows: readonly { file: string; label: string; classIndex: number }[],
): Promise<ReportPhoto[]> {
  const photos: ReportPhoto[] = [];
  for (const row of rows) {
    const photo = await readImage(row.file);
    try {
      const explained = await explainPhoto(model, card, photo);
      photos.push({
        image: await encodePngDataUri(explained.photo),
        overlay: await encodePngDataUri(explained.overlay),
        title: basename(row.file),
        trueLabel: row.classIndex >= 0 ? card.classes[row.classIndex]! : row.label,
        predicted: explained.label,
        score: explained.score,
      });
      dispose([explained.photo, explained.overlay]);
    } finally {
      photo.dispose();
    }
  }
  return photos;
}

/** A plain-text table for the terminal. */
export function formatTable(table: ReportTable): string {
  const width = Math.max(12, ...table.rows.map((r) => r.label.length)) + 2;
  const cell = (v: number | string | null) =>
    (v === null ? '' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : v).padStart(
      10,
    );
  const lines = [
    `${table.title ?? ''}`,
    `${''.padEnd(width)}${table.columns.map((c) => c.padStart(10)).join('')}`,
    ...table.rows.map((r) => `${r.label.padEnd(width)}${r.values.map(cell).join('')}`),
  ];
  return `${lines.join('\n')}\n\n`;
}

/** The confusion matrix as text: rows true class, columns predicted. */
export function formatConfusion(classes: readonly string[], counts: readonly (readonly number[])[]): string {
  const width = Math.max(8, ...classes.map((c) => c.length)) + 2;
  const lines = [
    'Confusion matrix (rows: true class, columns: predicted)',
    `${''.padEnd(width)}${classes.map((c) => c.slice(0, width - 2).padStart(width)).join('')}`,
    ...counts.map(
      (row, i) => `${classes[i]!.padEnd(width)}${row.map((n) => String(n).padStart(width)).join('')}`,
    ),
  ];
  return `${lines.join('\n')}\n\n`;
}

/** The rows to score: `--held-out` (the card's split), `--split-column` + `--split`, or all. */
function evalSplit(
  args: ParsedArgs,
  training: Record<string, string | number | boolean>,
): SplitArgs | undefined {
  const column = args.string('split-column');
  if (!args.boolean('held-out')) {
    return column === undefined ? undefined : { column, value: args.string('split')! };
  }
  if (column !== undefined) {
    throw new UsageError(
      `${NAME}: --held-out uses the model's own split; leave out --split-column.`,
      NAME,
      column,
    );
  }
  if (typeof training.splitColumn === 'string' && typeof training.valSplit === 'string') {
    return { column: training.splitColumn, value: training.valSplit };
  }
  if (typeof training.valRatio === 'number' && typeof training.seed === 'number') {
    return { ratio: training.valRatio, subset: 'val', seed: training.seed };
  }
  throw new UsageError(
    `${NAME}: --held-out needs a model card that records its split (trained by this fundus-kit's 'train'); ` +
      'give --split-column and --split instead.',
    NAME,
    'held-out',
  );
}

function describeSplit(split: SplitArgs): string {
  return 'ratio' in split
    ? `held-out ${split.ratio} of the rows, seed ${split.seed}`
    : `${split.column} = ${split.value}`;
}

function finiteOrNull(v: number | undefined): number | null {
  return v === undefined || !Number.isFinite(v) ? null : v;
}

function stringOf(value: string | number | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
