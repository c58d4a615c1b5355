import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { BackboneArgs } from '../architectures/backbone_args.js';
import { createBackbone, listBackbones } from '../architectures/registry.js';
import type { BalanceMode } from '../data/balance.js';
import type { FundusDataset } from '../data/fundus_dataset.js';
import type { LabelTask } from '../data/labels.js';
import { fromCsv } from '../data/node/from_csv.js';
import type { SplitArgs } from '../data/split.js';
import { formatSummary } from '../data/summary.js';
import { attachHead } from '../heads/attach_head.js';
import { saveModel } from '../io/node/model_save.js';
import { type JointBranch, type JointFusion, jointFineTune } from '../models/joint_fine_tune.js';
import { type SelectBackbonesResult, selectBackbones } from '../models/select_backbones.js';
import { checkTask, type TaskSpec, taskHead, taskLoss } from '../models/task.js';
import {
  defaultTaskMetric,
  predictDatasetOutputs,
  scoreTask,
  type TaskScores,
} from '../models/task_metrics.js';
import type { ParsedArgs } from './args_parser.js';
import type { CommandContext } from './command.js';
import { didYouMean } from './did_you_mean.js';
import { csvLabelArgs, csvLayout, listValue } from './label_options.js';
import { createModelCard } from './model_card.js';
import { modelInputTransform } from './model_input.js';
import { writeModelCard } from './node/model_card_file.js';
import { settingsFromArgs } from './preprocess_options.js';
import { formatDuration, ProgressBar } from './progress_bar.js';
import { startBackend } from './start_backend.js';
import { TRAINING_RECORD_FILE, type TrainingRecord, writeTrainingRecord } from './training_record.js';
import { UsageError } from './usage_error.js';

const NAME = 'train';

/** Runs `fundus-kit train` (the spec is in train_command.ts) and resolves to its exit code. */
export async function runTrain(args: ParsedArgs, context: CommandContext): Promise<number> {
  const started = performance.now();
  const [csv, out] = args.positionals as [string, string];
  const quiet = args.boolean('quiet')!;
  const say = (text: string) => {
    if (!quiet) context.stderr.write(`${text}\n`);
  };
  const task = args.string('task') as LabelTask;
  const candidates = backboneNames(args.string('backbones')!);
  const explore = args.boolean('explore')!;
  const top = args.number('top')!;
  if (explore && top > candidates.length) {
    throw new UsageError(
      `${NAME}: --top ${top} keeps more backbones than --backbones lists (${candidates.length}).`,
      NAME,
      top,
    );
  }
  const weights = weightFiles(args.string('weights'), candidates);
  const settings = settingsFromArgs(args);
  const layout = csvLayout(args);
  const classNames = listValue(args.string('classes'));
  const epochs = args.number('epochs')!;
  const batchSize = args.number('batch-size')!;
  const learningRate = args.number('lr')!;
  const patience = args.number('patience');
  const seed = args.number('seed')!;
  const outAbs = resolve(out);
  await checkOutput(outAbs, out, args.boolean('overwrite')!);

  const info = await startBackend(args);

  // Datasets: labels and files are checked now; photos are decoded as batches are drawn.
  const labelArgs = csvLabelArgs(NAME, args, layout, task, classNames);
  const splitColumn = args.string('split-column');
  const subset = (which: 'train' | 'val'): SplitArgs =>
    splitColumn === undefined
      ? { ratio: args.number('val-ratio')!, subset: which, seed }
      : { column: splitColumn, value: args.string(which === 'train' ? 'train-split' : 'val-split')! };
  const train = await fromCsv(csv, {
    ...labelArgs,
    split: subset('train'),
    transform: modelInputTransform(settings, { augment: args.boolean('augment')!, seed }),
    batchSize,
    seed,
    balance: args.string('balance') as BalanceMode,
  });
  const val = await fromCsv(csv, {
    ...labelArgs,
    split: subset('val'),
    transform: modelInputTransform(settings),
    batchSize,
    shuffle: false,
  });
  const classes = className(task, train, classNames);
  const spec: TaskSpec = checkTask(NAME, {
    task,
    classes,
    ...(train.positiveWeights === undefined ? {} : { posWeight: train.positiveWeights }),
  });
  const metric = defaultTaskMetric(spec);
  say(
    `${NAME}: ${train.size} training and ${val.size} held-out photos from ${csv}; ${task} over ` +
      `${classes.join(', ')}; ${settings.size} px ${settings.colour}; backend ${info.name}`,
  );

  // A half-written model never gets the final name: it grows in a temporary folder renamed at the end.
  const partial = join(dirname(outAbs), `.${basename(outAbs)}.partial-${process.pid}`);
  const release = context.interrupt.register(() => rm(partial, { recursive: true, force: true }));
  let built: BuiltModel | undefined;
  let heldOutMetrics: Record<string, number> = {};
  try {
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    const inputShape: [number, number, number] = [settings.size, settings.size, 3];
    const shared: BackboneArgs = { widthMultiplier: args.number('width')! };
    const branchArgs = (name: string): BackboneArgs =>
      weights.has(name) ? { ...shared, weights: weights.get(name)!, skipMismatch: true } : shared;

    let chosen = candidates;
    let ranking: SelectBackbonesResult | undefined;
    if (explore) {
      say(`${NAME}: exploring ${candidates.join(', ')} (${args.number('explore-epochs')} epoch(s) each)`);
      ranking = await selectBackbones(
        candidates.map((name) => ({ name, args: branchArgs(name) })),
        train.dataset,
        val.dataset,
        {
          task: spec,
          topK: top,
          epochs: args.number('explore-epochs')!,
          inputShape,
          learningRate,
          onCandidate: (r, i, of) =>
            say(
              `  [${i + 1}/${of}] ${r.name.padEnd(9)} ${metric} ${fmt(r.score)}  accuracy ${fmt(r.scores.accuracy)}  ` +
                `${formatDuration(r.seconds)}`,
            ),
        },
      );
      chosen = ranking.top.map((r) => r.name);
      say(`${NAME}: keeping ${chosen.join(' + ')}`);
    }

    built = await buildModel(chosen, branchArgs, spec, inputShape, learningRate, args);
    const outputs = built.outputNames;
    say(
      `${NAME}: ${chosen.length > 1 ? `joint fine-tuning of ${chosen.join(' + ')}` : chosen[0]} ` +
        `(${(built.predictModel.countParams() / 1e6).toFixed(2)} M parameters), ${epochs} epochs`,
    );

    const history: Record<string, number[]> = { loss: [] };
    const perOutput: TaskScores[][] = [];
    let best = { epoch: -1, score: Number.NEGATIVE_INFINITY };
    for (let epoch = 0; epoch < epochs; epoch++) {
      const progress = quiet
        ? undefined
        : new ProgressBar({
            total: train.batchesPerEpoch,
            label: `epoch ${epoch + 1}/${epochs}`,
            stream: context.stderr,
          });
      const fitted = await built.fit(train, {
        epochs: 1,
        verbose: 0,
        callbacks: {
          onBatchEnd: async (_batch, logs) => progress?.tick(1, `loss ${fmt(logs?.loss)}`),
        },
      });
      progress?.done();
      const loss = (fitted.history.loss as number[])[0]!;
      history.loss!.push(loss);
      const predictions = await predictDatasetOutputs(
        built.predictModel,
        val.dataset,
        outputs.map((_, i) => i),
      );
      const scores: TaskScores[] = predictions.map((p) => scoreTask(spec, p));
      perOutput.push(scores);
      for (const [name, value] of Object.entries(scores[0]!)) {
        const key = `val_${name}`;
        history[key] = [...(history[key] ?? []), value as number];
      }
      const score = scores[0]![metric] ?? Number.NaN;
      const improved = score > best.score;
      if (improved) {
        best = { epoch, score };
        await saveModel(built.predictModel, partial);
      }
      say(
        `  epoch ${epoch + 1}/${epochs}: loss ${fmt(loss)}  held-out ` +
          `${Object.entries(scores[0]!)
            .map(([name, value]) => `${name} ${fmt(value)}`)
            .join('  ')}${improved ? '  (best so far, saved)' : ''}`,
      );
      if (patience !== undefined && epoch - best.epoch >= patience) {
        say(`${NAME}: no better held-out ${metric} for ${patience} epochs; stopping.`);
        break;
      }
    }
    if (best.epoch < 0) {
      // Every epoch scored NaN (e.g. one class only in the held-out photos): keep the last weights.
      best = { epoch: history.loss!.length - 1, score: Number.NaN };
      await saveModel(built.predictModel, partial);
    }
    const bestScores = perOutput[best.epoch]!;
    const seconds = (performance.now() - started) / 1000;
    const metrics: Record<string, number> = {};
    for (const [o, scores] of bestScores.entries()) {
      for (const [name, value] of Object.entries(scores)) {
        if (Number.isFinite(value)) metrics[o === 0 ? name : `${outputs[o]}.${name}`] = value as number;
      }
    }
    const training: Record<string, string | number | boolean> = {
      dataset: resolve(csv),
      imageColumn: layout.imageColumn,
      labelColumn: layout.labelColumn,
      trainPhotos: train.size,
      heldOutPhotos: val.size,
      epochs: history.loss!.length,
      bestEpoch: best.epoch + 1,
      batchSize,
      learningRate,
      widthMultiplier: shared.widthMultiplier!,
      augment: args.boolean('augment')!,
      backend: info.name,
      seconds: Math.round(seconds),
    };
    if (splitColumn === undefined) {
      training.valRatio = args.number('val-ratio')!;
      training.seed = seed;
    } else {
      training.splitColumn = splitColumn;
      training.valSplit = args.string('val-split')!;
    }
    if (layout.positive !== undefined) training.positive = layout.positive;
    if (layout.negative !== undefined) training.negative = layout.negative;
    if (chosen.length > 1) training.fusion = args.string('fusion')!;
    await writeModelCard(
      partial,
      createModelCard({
        task,
        classes: [...classes],
        backbones: chosen,
        inputSize: inputShape,
        preprocessing: settings,
        metrics,
        training,
      }),
    );
    const record: TrainingRecord = {
      outputs,
      metric,
      bestEpoch: best.epoch + 1,
      history,
      heldOut: bestScores.map((s, o) => ({ output: outputs[o]!, ...s })),
      ...(ranking === undefined
        ? {}
        : {
            selection: ranking.ranked.map((r) => ({
              backbone: r.name,
              score: r.score,
              ...r.scores,
              seconds: r.seconds,
            })),
          }),
      dataset: {
        train: formatSummary(train.summary),
        heldOut: formatSummary(val.summary),
      },
    };
    await writeTrainingRecord(partial, record);
    heldOutMetrics = metrics;
    if (args.boolean('overwrite')) await rm(outAbs, { recursive: true, force: true });
    await rename(partial, outAbs);
  } catch (e) {
    await rm(partial, { recursive: true, force: true });
    throw e;
  } finally {
    built?.dispose();
    release();
  }

  const skipped = train.summary.skipped.length + val.summary.skipped.length;
  context.stdout.write(`${NAME}: saved ${out} (best epoch by held-out ${metric}; ${TRAINING_RECORD_FILE})\n`);
  for (const [name, value] of Object.entries(heldOutMetrics)) {
    context.stdout.write(`  ${name.padEnd(24)} ${fmt(value)}\n`);
  }
  if (skipped > 0) {
    context.stderr.write(`${formatSummary(train.summary, 20)}\n${formatSummary(val.summary, 20)}\n`);
  }
  say(`${NAME}: done in ${formatDuration((performance.now() - started) / 1000)}`);
  return skipped > 0 ? 1 : 0;
}

/** A trainable model: the prediction model (output 0 is the answer), how to fit it and its output names. */
interface BuiltModel {
  predictModel: tfl.LayersModel;
  outputNames: string[];
  fit(data: FundusDataset, fitArgs: tfl.ModelFitDatasetArgs<unknown>): Promise<tfl.History>;
  dispose(): void;
}

async function buildModel(
  names: readonly string[],
  branchArgs: (name: string) => BackboneArgs,
  spec: TaskSpec,
  inputShape: [number, number, number],
  learningRate: number,
  args: ParsedArgs,
): Promise<BuiltModel> {
  if (names.length > 1) {
    const branches: JointBranch[] = names.map((name) => ({ backbone: name, args: branchArgs(name) }));
    const joint = await jointFineTune({
      branches,
      task: spec,
      inputShape,
      learningRate,
      fusion: args.string('fusion') as JointFusion,
    });
    return {
      predictModel: joint.model,
      outputNames: [
        'fused',
        ...joint.branchNames,
        ...(joint.model.outputs.length > names.length + 1 ? ['concat'] : []),
      ],
      fit: (data, fitArgs) =>
        joint.fitDataset(data.dataset, {
          ...fitArgs,
          ...(data.classWeights === undefined
            ? {}
            : { classWeight: joint.trainingOutputNames.map(() => data.classWeights!) }),
        }),
      dispose: () => joint.dispose(),
    };
  }
  const backbone = await createBackbone(names[0]!, {
    ...branchArgs(names[0]!),
    inputShape,
    includeTop: false,
    pooling: 'avg',
  });
  const model = attachHead(backbone, taskHead(spec, { name: 'head' }));
  const optimizer = tf.train.adam(learningRate);
  model.compile({ optimizer, loss: taskLoss(spec) });
  return {
    predictModel: model,
    outputNames: [names[0]!],
    fit: (data, fitArgs) =>
      model.fitDataset(data.dataset, {
        ...fitArgs,
        ...(data.classWeights === undefined ? {} : { classWeight: data.classWeights }),
      }),
    dispose: () => {
      optimizer.dispose();
      model.dispose();
    },
  };
}

/** The backbone names of `--backbones`, checked against the registry. */
function backboneNames(text: string): string[] {
  const names = listValue(text) ?? [];
  const known = listBackbones();
  if (names.length === 0) {
    throw new UsageError(`${NAME}: --backbones needs at least one name (${known.join(', ')}).`, NAME, text);
  }
  for (const name of names) {
    if (!known.includes(name)) {
      const guess = didYouMean(name, known);
      throw new UsageError(
        `${NAME}: unknown backbone '${name}'.${guess === undefined ? '' : ` Did you mean '${guess}'?`} ` +
          `Known: ${known.join(', ')}.`,
        NAME,
        name,
      );
    }
  }
  if (new Set(names).size !== names.length) {
    throw new UsageError(`${NAME}: --backbones lists a name twice ('${text}').`, NAME, text);
  }
  return names;
}

/** `--weights`: 'name=path' pairs, or one path for a single backbone. */
function weightFiles(text: string | undefined, names: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const item of listValue(text) ?? []) {
    const eq = item.indexOf('=');
    if (eq === -1) {
      if (names.length !== 1) {
        throw new UsageError(
          `${NAME}: with several backbones, --weights takes 'name=path' pairs, but got '${item}'.`,
          NAME,
          item,
        );
      }
      files.set(names[0]!, item);
      continue;
    }
    const name = item.slice(0, eq).trim();
    if (!names.includes(name)) {
      throw new UsageError(
        `${NAME}: --weights names '${name}', which is not in --backbones (${names.join(', ')}).`,
        NAME,
        name,
      );
    }
    files.set(name, item.slice(eq + 1).trim());
  }
  return files;
}

/** Refuses to write over an existing, non-empty folder unless --overwrite. */
async function checkOutput(outAbs: string, out: string, overwrite: boolean): Promise<void> {
  let entries: string[];
  try {
    const info = await stat(outAbs);
    if (!info.isDirectory()) {
      throw new UsageError(`${NAME}: <model> '${out}' is a file; give a folder name.`, NAME, out);
    }
    entries = await readdir(outAbs);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return;
    throw e;
  }
  if (entries.length > 0 && !overwrite) {
    throw new UsageError(
      `${NAME}: <model> '${out}' already exists and is not empty; choose another folder or pass --overwrite.`,
      NAME,
      out,
    );
  }
}

/** Class names for the card: --classes for binary (people's names), else the dataset's. */
function className(task: LabelTask, train: FundusDataset, names: string[] | undefined): string[] {
  if (task === 'binary' && names !== undefined) {
    if (names.length !== 2) {
      throw new UsageError(
        `${NAME}: a binary task's --classes names [negative, positive], 2 names, but got ${names.length}.`,
        NAME,
        names,
      );
    }
    return names;
  }
  return [...train.classes];
}

function fmt(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(4);
}
