import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '@tensorflow/tfjs-data';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ClassWeights } from '../data/balance.js';
import { InvalidArgumentError } from '../errors.js';
import { EarlyStopping } from './early_stopping.js';
import { setLearningRate } from './learning_rate.js';
import type { LearningRateSchedule } from './schedules.js';
import { applyTrainableFrom, resolveTrainableFrom } from './trainable.js';

/**
 * Batches to train or validate on: a tfjs-data `Dataset` of `{xs, ys}` (what `fromFolder`, `fromCsv` and
 * `syntheticDataset` yield) or anything with the same `iterator()`. `size` (batches per epoch) feeds the
 * progress and ETA; without it they are known after the first epoch. The batches are disposed once used.
 */
export interface BatchSource {
  iterator(): Promise<{ next(): Promise<IteratorResult<{ xs: tf.Tensor; ys: tf.Tensor }>> }>;
  readonly size?: number | null;
}

/**
 * A score computed at the end of each epoch from the validation targets and the model's outputs, one row
 * per sample (e.g. `(t, p) => cohenKappa(argMax(t), argMax(p), { weights: 'quadratic' })`); see
 * {@link validationMetrics} for ready-made ones.
 */
export type EpochMetric = (yTrue: number[][], yPred: number[][]) => number;

/** The optimisers {@link fineTune} can make, or a factory `(learningRate) => tf.Optimizer`. */
export type OptimizerChoice =
  | 'adam'
  | 'sgd'
  | 'momentum'
  | 'rmsprop'
  | ((learningRate: number) => tf.Optimizer);

/** One stage of fine-tuning. */
export interface FineTunePhase {
  /**
   * First trainable layer: every layer before it (in topological order, nested models included) is frozen.
   * A layer name (`'block4_conv1'`, `'conv5_block1_1_conv'`), an index (0 trains everything), or `null` for the
   * head only (from {@link FineTuneArgs.headFrom}).
   */
  trainableFrom: string | number | null;
  /** Epochs of this phase (a positive integer); early stopping may end the phase sooner. */
  epochs: number;
  /**
   * A constant rate or a {@link LearningRateSchedule} of the phase's step (batch index from 0, restarting at
   * each phase), applied before every batch.
   */
  learningRate: number | LearningRateSchedule;
  /**
   * The optimiser, made fresh for the phase (the model is re-compiled with it). `momentum` is SGD with
   * momentum 0.9. A factory's optimiser is owned by fineTune like the built-in ones.
   * @defaultValue `'adam'`
   */
  optimizer?: OptimizerChoice;
  /** Name in progress events and the history. @defaultValue `'phase <n>'` (1-based) */
  name?: string;
}

/** Progress of {@link fineTune}, reported after every batch (`event: 'batch'`) and every epoch (`'epoch'`). */
export interface FineTuneProgress {
  event: 'batch' | 'epoch';
  /** 0-based phase index, of `phases`. */
  phase: number;
  phases: number;
  phaseName: string;
  /** 0-based epoch within the phase, of `epochs`. */
  epoch: number;
  epochs: number;
  /** 0-based batch within the epoch (the last batch's index at an `epoch` event), of `batches`. */
  batch: number;
  /** Batches per epoch; `null` until known (a dataset without `size`, first epoch). */
  batches: number | null;
  /** Estimated seconds until every phase has run all its epochs; `null` until it can be estimated. */
  etaSeconds: number | null;
  /** The rate used for this batch (last batch of the epoch at an `epoch` event). */
  learningRate: number;
  /** `batch`: `{loss}` of the batch; `epoch`: the epoch's `loss`, `valLoss` and validation metrics. */
  metrics: Record<string, number>;
}

/** One epoch of the history. */
export interface FineTuneEpoch {
  phase: number;
  phaseName: string;
  /** 0-based epoch within the phase. */
  epoch: number;
  /** 0-based epoch over all phases. */
  globalEpoch: number;
  /** Mean training loss of the epoch (class-weighted when `classWeight` is set). */
  loss: number;
  /** Validation loss and metrics (`valLoss` and the names of {@link FineTuneArgs.metrics}). */
  metrics: Record<string, number>;
  /** Rate used for the epoch's last batch. */
  learningRate: number;
  /** The monitored value improved on the best: these weights were checkpointed. */
  improved: boolean;
  /** Wall time of the epoch, validation included. */
  seconds: number;
}

/** What {@link fineTune} returns. */
export interface FineTuneResult {
  history: FineTuneEpoch[];
  /** The monitored metric. */
  monitor: string;
  /** Best monitored value and where it was reached; `null` if no epoch gave a comparable value (all NaN). */
  best: { value: number; phase: number; epoch: number; globalEpoch: number } | null;
  /** Whether the best epoch's weights were put back into the model at the end. */
  restoredBest: boolean;
  /** Per phase: whether early stopping ended it before its last epoch. */
  stoppedEarly: boolean[];
}

/** Arguments of {@link fineTune}. */
export interface FineTuneArgs {
  /** The stages, run in order, e.g. head only at 1e-3, then from `block4_conv1` at 1e-4. */
  phases: FineTunePhase[];
  /** Batches evaluated after every epoch (validation loss and {@link FineTuneArgs.metrics}). */
  validationData?: BatchSource;
  /**
   * Loss to compile with: a tfjs-layers loss name or function (`(yTrue, yPred) => per-sample loss`).
   * @defaultValue the model's compiled loss if it has one; else `categoricalCrossentropy` for a softmax
   * output, `binaryCrossentropy` for a sigmoid one
   */
  loss?: string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor);
  /** Scores computed on the validation predictions after each epoch, by name; needs `validationData`. */
  metrics?: Record<string, EpochMetric>;
  /**
   * The value that decides the best epoch and early stopping: `loss`, `valLoss` or a name of `metrics`.
   * @defaultValue `'valLoss'` with validation data, else `'loss'`
   */
  monitor?: string;
  /**
   * Whether lower (`min`) or higher (`max`) values of `monitor` are better.
   * @defaultValue `'min'` when the name ends in "loss" (any case), else `'max'`
   */
  mode?: 'min' | 'max';
  /**
   * Epochs without improvement that end the current phase (the next phase still runs); `Infinity` disables
   * early stopping. The count restarts at each phase.
   * @defaultValue `Infinity`
   */
  patience?: number;
  /** Smallest change of `monitor` that counts as an improvement. @defaultValue `0` */
  minDelta?: number;
  /**
   * Put the weights of the best epoch (over all phases) back into the model at the end. A copy of the weights
   * is kept whenever the monitored value improves.
   * @defaultValue `true`
   */
  restoreBest?: boolean;
  /** Per-class loss weights (e.g. from `classWeightsFromCounts`), as tfjs-layers' `classWeight`. */
  classWeight?: ClassWeights;
  /**
   * First layer of the head, where `trainableFrom: null` starts.
   * @defaultValue the last layer that has weights
   */
  headFrom?: string;
  /**
   * Frozen BatchNormalization layers normalise with their moving statistics and keep them unchanged (Keras's
   * rule for `trainable = false`), instead of tfjs-layers' default of using and updating batch statistics.
   * @defaultValue `true`
   */
  freezeBatchNorm?: boolean;
  /** Called after every batch and every epoch (awaited); for progress bars, logs and UIs. */
  onProgress?: (progress: FineTuneProgress) => void | Promise<void>;
}

const OPTIMIZERS = ['adam', 'sgd', 'momentum', 'rmsprop'] as const;

/** A copy of one weight's value, to write back into its variable. */
interface WeightCopy {
  variable: tfl.LayerVariable;
  value: tf.Tensor;
}

/**
 * tfjs-core 4.22's MomentumOptimizer.dispose leaves SGD's cached −lr scalar (`c`) behind; free it too, for
 * whoever disposes the optimiser (fineTune, or model.dispose()).
 */
function disposeCompletely(optimizer: tf.Optimizer): tf.Optimizer {
  const dispose = optimizer.dispose.bind(optimizer);
  optimizer.dispose = () => {
    dispose();
    const cached = (optimizer as unknown as { c?: unknown }).c;
    if (cached instanceof tf.Tensor && !cached.isDisposed) cached.dispose();
  };
  return optimizer;
}

function makeOptimizer(fn: string, choice: OptimizerChoice, rate: number, argument: string): tf.Optimizer {
  if (typeof choice === 'function') {
    const opt = choice(rate);
    if (!(opt instanceof tf.Optimizer)) {
      throw new InvalidArgumentError(argument, `${fn}: ${argument} factory must return a tf.Optimizer.`, opt);
    }
    return opt;
  }
  switch (choice) {
    case 'adam':
      return tf.train.adam(rate);
    case 'sgd':
      return tf.train.sgd(rate);
    case 'momentum':
      return tf.train.momentum(rate, 0.9);
    case 'rmsprop':
      return tf.train.rmsprop(rate);
    default:
      throw new InvalidArgumentError(
        argument,
        `${fn}: ${argument} must be one of ${OPTIMIZERS.join(', ')} or a factory, but got ${String(choice)}.`,
        choice,
      );
  }
}

function defaultLoss(fn: string, model: tfl.LayersModel): NonNullable<FineTuneArgs['loss']> {
  const compiled = (model as { loss?: unknown }).loss;
  if (typeof compiled === 'string' || typeof compiled === 'function') {
    return compiled as NonNullable<FineTuneArgs['loss']>;
  }
  const last = model.layers[model.layers.length - 1];
  const activation = (last?.getConfig() as { activation?: unknown } | undefined)?.activation;
  if (activation === 'softmax') return 'categoricalCrossentropy';
  if (activation === 'sigmoid') return 'binaryCrossentropy';
  throw new InvalidArgumentError(
    'loss',
    `${fn}: cannot infer a loss for model '${model.name}' (not compiled, last layer activation ${String(activation)}); pass loss.`,
    undefined,
  );
}

function checkArgs(fn: string, model: tfl.LayersModel, args: FineTuneArgs) {
  if (model === null || typeof model !== 'object' || typeof model.fitDataset !== 'function') {
    throw new InvalidArgumentError('model', `${fn}: model must be a tfjs-layers LayersModel.`, model);
  }
  if (model.outputs.length !== 1) {
    throw new InvalidArgumentError(
      'model',
      `${fn}: model must have one output, but '${model.name}' has ${model.outputs.length}.`,
      model.outputs.length,
    );
  }
  if (!Array.isArray(args?.phases) || args.phases.length === 0) {
    throw new InvalidArgumentError('phases', `${fn}: phases must be a non-empty list.`, args?.phases);
  }
  args.phases.forEach((p, i) => {
    const at = `phases[${i}]`;
    if (!Number.isInteger(p.epochs) || p.epochs < 1) {
      throw new InvalidArgumentError(
        `${at}.epochs`,
        `${fn}: ${at}.epochs must be a positive integer, but got ${String(p.epochs)}.`,
        p.epochs,
      );
    }
    const lr = p.learningRate;
    if (typeof lr !== 'function' && !(typeof lr === 'number' && lr > 0 && Number.isFinite(lr))) {
      throw new InvalidArgumentError(
        `${at}.learningRate`,
        `${fn}: ${at}.learningRate must be a positive number or a schedule, but got ${String(lr)}.`,
        lr,
      );
    }
    resolveTrainableFrom(fn, model, p.trainableFrom, args.headFrom, `${at}.trainableFrom`);
    const opt = p.optimizer ?? 'adam';
    if (typeof opt !== 'function' && !(OPTIMIZERS as readonly unknown[]).includes(opt)) {
      throw new InvalidArgumentError(
        `${at}.optimizer`,
        `${fn}: ${at}.optimizer must be one of ${OPTIMIZERS.join(', ')} or a factory, but got ${String(opt)}.`,
        opt,
      );
    }
  });
  const metrics = args.metrics ?? {};
  for (const [name, metric] of Object.entries(metrics)) {
    if (typeof metric !== 'function') {
      throw new InvalidArgumentError('metrics', `${fn}: metrics.${name} must be a function.`, metric);
    }
  }
  if (Object.keys(metrics).length > 0 && args.validationData === undefined) {
    throw new InvalidArgumentError(
      'metrics',
      `${fn}: metrics are computed on validationData; pass it.`,
      metrics,
    );
  }
  const available = ['loss', ...(args.validationData ? ['valLoss', ...Object.keys(metrics)] : [])];
  const monitor = args.monitor ?? (args.validationData ? 'valLoss' : 'loss');
  if (!available.includes(monitor)) {
    throw new InvalidArgumentError(
      'monitor',
      `${fn}: monitor must be one of ${available.join(', ')}, but got '${monitor}'.`,
      monitor,
    );
  }
  const mode = args.mode ?? (/loss$/i.test(monitor) ? 'min' : 'max');
  const stopper = new EarlyStopping({ mode, patience: args.patience, minDelta: args.minDelta });
  return { monitor, stopper, metrics };
}

/** Loss and outputs over the validation batches (one pass; every batch disposed). */
async function validate(
  model: tfl.LayersModel,
  data: BatchSource,
  lossFn: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor,
  metrics: Record<string, EpochMetric>,
): Promise<Record<string, number>> {
  const iterator = await data.iterator();
  const yTrue: number[][] = [];
  const yPred: number[][] = [];
  let lossSum = 0;
  let count = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    const { xs, ys } = next.value;
    try {
      const n = ys.shape[0] ?? 1;
      const [batchLoss, flatTrue, flatPred] = tf.tidy(() => {
        const pred = model.predict(xs) as tf.Tensor;
        return [tf.sum(lossFn(ys, pred)), tf.reshape(ys, [n, -1]), tf.reshape(pred, [n, -1])];
      });
      const [lossValue, t, p] = await Promise.all([
        batchLoss.data(),
        flatTrue.array() as Promise<number[][]>,
        flatPred.array() as Promise<number[][]>,
      ]);
      tf.dispose([batchLoss, flatTrue, flatPred]);
      lossSum += lossValue[0]!;
      count += n;
      yTrue.push(...t);
      yPred.push(...p);
    } finally {
      tf.dispose([xs, ys]);
    }
  }
  if (count === 0) {
    throw new InvalidArgumentError('validationData', 'fineTune: validationData yielded no batch.', data);
  }
  const out: Record<string, number> = { valLoss: lossSum / count };
  for (const [name, metric] of Object.entries(metrics)) out[name] = metric(yTrue, yPred);
  return out;
}

/**
 * Fine-tunes a tfjs-layers model in phases — e.g. the new head alone at a high rate, then deeper blocks at a
 * low one — as in transfer learning from ImageNet backbones. Each phase freezes the layers before
 * `trainableFrom`, re-compiles the model with a fresh optimiser and trains `epochs` epochs on `data` with
 * `model.fitDataset`, setting the learning rate before every batch. After every epoch it evaluates
 * `validationData` (loss and `metrics`, e.g. quadratic kappa or AUC), keeps a copy of the weights when
 * `monitor` improves, ends the phase early after `patience` epochs without improvement, and at the end puts
 * the best weights back.
 *
 * The model stays compiled with the last phase's optimiser, which it then owns (`model.dispose()` frees it);
 * the other phases' optimisers and the weight copies are disposed. Layers keep the last phase's trainable
 * flags. One-output models only.
 *
 * @param model A tfjs-layers model (a backbone with a head).
 * @param data Training batches `{xs, ys}`, re-iterated every epoch.
 * @param args See {@link FineTuneArgs}.
 * @returns The per-epoch history, the best epoch and what was done with it.
 * @example
 * ```ts
 * const result = await fineTune(model, trainSet, {
 *   validationData: valSet,
 *   phases: [
 *     { trainableFrom: null, epochs: 2, learningRate: 1e-3 },
 *     { trainableFrom: 'block4_conv1', epochs: 8, learningRate: cosineDecay({ initial: 1e-4, decaySteps: 800 }) },
 *   ],
 *   metrics: { kappa: validationMetrics.quadraticKappa },
 *   monitor: 'kappa',
 *   patience: 3,
 *   classWeight: classWeightsFromCounts([700, 70, 150, 25, 25]),
 *   onProgress: (p) => console.log(p.phaseName, p.epoch, p.batch, p.etaSeconds),
 * });
 * console.log(result.best);
 * ```
 * @throws {@link InvalidArgumentError} for a model with several outputs, empty or malformed phases, an unknown
 * layer name or optimiser, metrics without validation data, an unknown `monitor`, or a bad `patience` /
 * `minDelta`; errors of the data, metrics and callbacks propagate (the model keeps its current weights and the
 * weight copies are freed).
 * @see J. Yosinski et al., "How transferable are features in deep neural networks?", NeurIPS 2014;
 * F. Sun et al., "Retinal image quality classification using fine-tuned CNN", OMIA 2017.
 */
export async function fineTune(
  model: tfl.LayersModel,
  data: BatchSource,
  args: FineTuneArgs,
): Promise<FineTuneResult> {
  const fn = 'fineTune';
  const { monitor, stopper, metrics } = checkArgs(fn, model, args);
  const loss = args.loss ?? defaultLoss(fn, model);
  const restoreBest = args.restoreBest ?? true;
  const freezeBatchNorm = args.freezeBatchNorm ?? true;
  const phases = args.phases;
  const history: FineTuneEpoch[] = [];
  const stoppedEarly: boolean[] = [];
  let best: FineTuneResult['best'] = null;
  let bestWeights: WeightCopy[] | null = null;
  let batchesPerEpoch: number | null = Number.isFinite(data.size) ? (data.size as number) : null;
  const totalEpochs = phases.reduce((a, p) => a + p.epochs, 0);
  const started = performance.now();
  let batchesDone = 0;
  let epochsDone = 0;
  let optimizer: tf.Optimizer | null = null;
  // An optimiser the model made from a name at an earlier compile would be orphaned by re-compiling.
  const previous = model as unknown as { isOptimizerOwned?: boolean; optimizer?: tf.Optimizer };
  if (previous.isOptimizerOwned && previous.optimizer) {
    previous.optimizer.dispose();
    previous.isOptimizerOwned = false;
  }

  const eta = (): number | null => {
    if (batchesPerEpoch === null || batchesDone === 0) return null;
    const remaining = totalEpochs * batchesPerEpoch - batchesDone;
    return (((performance.now() - started) / 1000) * Math.max(0, remaining)) / batchesDone;
  };

  try {
    for (let phaseIndex = 0; phaseIndex < phases.length; phaseIndex++) {
      const phase = phases[phaseIndex]!;
      const phaseName = phase.name ?? `phase ${phaseIndex + 1}`;
      const schedule: LearningRateSchedule =
        typeof phase.learningRate === 'function' ? phase.learningRate : () => phase.learningRate as number;
      const from = resolveTrainableFrom(fn, model, phase.trainableFrom, args.headFrom, 'trainableFrom');
      const restoreBatchNorm = applyTrainableFrom(model, from, freezeBatchNorm);
      if (optimizer) optimizer.dispose();
      optimizer = disposeCompletely(
        makeOptimizer(fn, phase.optimizer ?? 'adam', schedule(0), `phases[${phaseIndex}].optimizer`),
      );
      model.compile({ optimizer, loss: loss as string });
      stopper.resetWait();
      let step = 0;
      let rate = schedule(0);
      let epochStarted = 0;
      let batchInEpoch = 0;
      let stopped = false;
      const phaseOptimizer = optimizer;
      try {
        await model.fitDataset(data as unknown as Dataset<tf.TensorContainer>, {
          epochs: phase.epochs,
          verbose: 0,
          classWeight: args.classWeight,
          callbacks: {
            onEpochBegin: async () => {
              epochStarted = performance.now();
              batchInEpoch = 0;
            },
            onBatchBegin: async () => {
              rate = schedule(step);
              setLearningRate(phaseOptimizer, rate);
            },
            onBatchEnd: async (batch, logs) => {
              step++;
              batchesDone++;
              batchInEpoch = batch + 1;
              await args.onProgress?.({
                event: 'batch',
                phase: phaseIndex,
                phases: phases.length,
                phaseName,
                epoch: epochsDoneInPhase(history, phaseIndex),
                epochs: phase.epochs,
                batch,
                batches: batchesPerEpoch,
                etaSeconds: eta(),
                learningRate: rate,
                metrics: { loss: Number(logs?.loss) },
              });
            },
            onEpochEnd: async (epoch, logs) => {
              batchesPerEpoch ??= batchInEpoch;
              const values: Record<string, number> = { loss: Number(logs?.loss) };
              if (args.validationData) {
                Object.assign(
                  values,
                  await validate(model, args.validationData, model.lossFunctions[0]!, metrics),
                );
              }
              const { improved, stop } = stopper.update(values[monitor]!, epochsDone);
              if (improved) {
                best = { value: values[monitor]!, phase: phaseIndex, epoch, globalEpoch: epochsDone };
                if (restoreBest) {
                  if (bestWeights) tf.dispose(bestWeights.map((c) => c.value));
                  // By variable: getWeights' order changes with the trainable flags between phases.
                  bestWeights = model.weights.map((variable) => ({
                    variable,
                    value: tf.clone(variable.read()),
                  }));
                }
              }
              const { loss: lossValue, ...rest } = values;
              history.push({
                phase: phaseIndex,
                phaseName,
                epoch,
                globalEpoch: epochsDone,
                loss: lossValue!,
                metrics: rest,
                learningRate: rate,
                improved,
                seconds: (performance.now() - epochStarted) / 1000,
              });
              epochsDone++;
              if (stop && epoch < phase.epochs - 1) {
                stopped = true;
                model.stopTraining = true;
              }
              await args.onProgress?.({
                event: 'epoch',
                phase: phaseIndex,
                phases: phases.length,
                phaseName,
                epoch,
                epochs: phase.epochs,
                batch: batchInEpoch - 1,
                batches: batchesPerEpoch,
                etaSeconds: eta(),
                learningRate: rate,
                metrics: values,
              });
            },
          },
        });
      } finally {
        restoreBatchNorm();
      }
      stoppedEarly.push(stopped);
    }
    const bestWeightsNow = bestWeights as WeightCopy[] | null;
    const restoredBest = restoreBest && bestWeightsNow !== null;
    if (bestWeightsNow) for (const { variable, value } of bestWeightsNow) variable.write(value);
    // The model keeps (and now owns) the last phase's optimiser, so model.dispose() frees it.
    (model as unknown as { isOptimizerOwned: boolean }).isOptimizerOwned = true;
    optimizer = null;
    return { history, monitor, best, restoredBest, stoppedEarly };
  } finally {
    if (optimizer) {
      // Failed: the model would otherwise hold an optimiser nobody frees.
      (model as unknown as { isOptimizerOwned: boolean }).isOptimizerOwned = true;
    }
    if (bestWeights) tf.dispose((bestWeights as WeightCopy[]).map((c) => c.value));
  }
}

function epochsDoneInPhase(history: readonly FineTuneEpoch[], phase: number): number {
  return history.filter((h) => h.phase === phase).length;
}
