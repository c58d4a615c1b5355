import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { BackboneArgs } from '../architectures/backbone_args.js';
import { createBackbone } from '../architectures/registry.js';
import type { DatasetBatch } from '../data/stream_dataset.js';
import { InvalidArgumentError } from '../errors.js';
import type { HeadArgs } from '../heads/head.js';
import { registerHeadLayers } from '../heads/register_head_layers.js';
import type { LossFunction } from '../losses/loss_utils.js';
import type { SelectBackbonesResult } from './select_backbones.js';
import { checkTask, type TaskSpec, taskHead, taskLoss } from './task.js';

/** One branch of {@link jointFineTune}: a registered backbone name (built here) or a built feature model. */
export interface JointBranch {
  /** A name from `listBackbones()` or a built model mapping the image to features ([N, D] or [N, H, W, C]). */
  backbone: string | tfl.LayersModel;
  /** Builder arguments for a named backbone, over {@link JointFineTuneArgs.backboneArgs}. */
  args?: BackboneArgs;
}

/** How the branches' predictions combine into the model's output. */
export type JointFusion = 'mean' | 'concat' | 'both';

/** Arguments of {@link jointFineTune}. */
export interface JointFineTuneArgs {
  /** Two or more branches: names, built models, {@link JointBranch}es, or a {@link selectBackbones} result (its top K). */
  branches: readonly (string | tfl.LayersModel | JointBranch)[] | SelectBackbonesResult;
  /** What to predict (see `TASK_PRESETS`). */
  task: TaskSpec;
  /** Image input [height, width, 3], shared by every branch. @defaultValue [224, 224, 3] */
  inputShape?: [number, number, number];
  /**
   * Builder arguments for named branches (e.g. `{ weights: 'resnet50_notop.h5', widthMultiplier: 0.25 }`);
   * `inputShape`, `includeTop: false` and `pooling: 'avg'` are set here.
   * @defaultValue {}
   */
  backboneArgs?: BackboneArgs;
  /**
   * `'mean'`: the output is the mean of the branches' probabilities (no parameters; the training loss is the
   * sum of the branch losses, as Sun et al. 2017). `'concat'`: a head on the concatenated branch features,
   * trained with its own loss added. `'both'`: the mean of the two.
   * @defaultValue 'mean'
   */
  fusion?: JointFusion;
  /** Weight of each branch's loss in the total. @defaultValue 1 for every branch */
  branchLossWeights?: readonly number[];
  /** Weight of the concatenated-features head's loss (`'concat'`, `'both'`). @defaultValue 1 */
  fusedLossWeight?: number;
  /** Head options for every head (dropout, hidden layer). Names are set here. @defaultValue {} */
  head?: Omit<HeadArgs, 'name'>;
  /** Optimizer for the training model. @defaultValue `tf.train.adam(learningRate)` */
  optimizer?: tf.Optimizer;
  /** Learning rate of the default optimizer. @defaultValue 1e-4 */
  learningRate?: number;
}

/** The jointly fine-tuned model and what it is made of. */
export interface JointModel {
  /**
   * The prediction model: outputs `[fused, branch 1, …, branch K]` (then the concat head's output with
   * `'concat'`/`'both'`, which is also inside `fused`). Save it with `saveModel`; explain a branch by its output
   * index with `gradCam(model, x, { output })`.
   */
  readonly model: tfl.LayersModel;
  /** The compiled training model: the branch outputs (and the concat head), loss = Σ wᵢ·lossᵢ. Shares weights with `model`. */
  readonly trainingModel: tfl.LayersModel;
  /** The branches' names (nested model names inside `model`). */
  readonly branchNames: readonly string[];
  /** Names of `trainingModel`'s outputs, in order. */
  readonly trainingOutputNames: readonly string[];
  /** Loss of each training output (its weight already applied), and that weight. */
  readonly losses: readonly LossFunction[];
  readonly lossWeights: readonly number[];
  readonly task: TaskSpec;
  /** The fused prediction (probabilities) for a batch of images. The caller disposes it. */
  predict(images: tf.Tensor4D): tf.Tensor;
  /** The per-output targets `trainingModel` expects for one label tensor (the same labels for every output). */
  trainingTargets(ys: tf.Tensor): tf.Tensor[];
  /**
   * `trainingModel.fitDataset` on batches of `{xs, ys}` (ys repeated for every output): a `tf.data` dataset
   * (`fromCsv(...).dataset`) or anything with its `iterator()` (e.g. `syntheticDataset`).
   */
  fitDataset(dataset: BatchIterable, args: tfl.ModelFitDatasetArgs<unknown>): Promise<tfl.History>;
  /** Frees both models' weights and the optimizer. */
  dispose(): void;
}

const FN = 'jointFineTune';

/**
 * Joint fine-tuning of several backbones (Sun et al., OMIA 2017): each branch gets its own head for the task,
 * all branches see the same image, and the training loss is exactly the (weighted) sum of the per-branch
 * losses — plus the fused head's when `fusion` has one. Prediction is the fused output; every branch's output
 * stays available.
 *
 * @example
 * ```ts
 * const ranked = await selectBackbones(['vgg16', 'resnet50', 'googlenet'], train, val, { task, topK: 2 });
 * const joint = await jointFineTune({ branches: ranked, task: TASK_PRESETS.quality });
 * await joint.fitDataset(train.dataset, { epochs: 5 });
 * const p = joint.predict(images); // [N, 1]: P(poor)
 * ```
 * @throws {@link InvalidArgumentError} for fewer than two branches, a bad task, weights or fusion.
 * @throws {@link UnknownArchitectureError} for an unknown backbone name.
 * @see F. Sun et al., "Retinal image quality classification using fine-tuned CNN", OMIA 2017 (joint
 * fine-tuning: total loss = sum of the branch losses).
 */
export async function jointFineTune(args: JointFineTuneArgs): Promise<JointModel> {
  const task = checkTask(FN, args?.task);
  const branches = branchList(args.branches);
  const inputShape = args.inputShape ?? [224, 224, 3];
  const fusion = args.fusion ?? 'mean';
  if (!['mean', 'concat', 'both'].includes(fusion)) {
    throw new InvalidArgumentError(
      'fusion',
      `${FN}: fusion must be 'mean', 'concat' or 'both', but got ${String(fusion)}.`,
      fusion,
    );
  }
  const branchWeights = args.branchLossWeights ?? branches.map(() => 1);
  if (branchWeights.length !== branches.length || branchWeights.some((w) => !(w >= 0))) {
    throw new InvalidArgumentError(
      'branchLossWeights',
      `${FN}: branchLossWeights must hold ${branches.length} non-negative numbers (one per branch), but got ${JSON.stringify(branchWeights)}.`,
      branchWeights,
    );
  }
  const fusedWeight = args.fusedLossWeight ?? 1;
  if (!(fusedWeight >= 0)) {
    throw new InvalidArgumentError(
      'fusedLossWeight',
      `${FN}: fusedLossWeight must be ≥ 0, but got ${fusedWeight}.`,
      fusedWeight,
    );
  }
  registerHeadLayers();

  const backbones = await buildBackbones(branches, inputShape, args.backboneArgs ?? {});
  const input = tfl.input({ shape: inputShape, name: 'image' });
  const features = backbones.map((b) => b.apply(input) as tfl.SymbolicTensor);
  const branchNames = backbones.map((b) => b.name);
  const branchOutputs = features.map((f, i) =>
    taskHead(task, { ...args.head, name: `${branchNames[i]}_head` }).apply(f),
  );
  const withConcat = fusion !== 'mean';
  const concatOutput = withConcat
    ? taskHead(task, { ...args.head, name: 'fused_head' }).apply(
        tfl.layers.concatenate({ name: 'fused_features' }).apply(features.map(pooled)) as tfl.SymbolicTensor,
      )
    : undefined;
  const mean = tfl.layers
    .average({ name: fusion === 'both' ? 'branch_mean' : 'fused' })
    .apply(branchOutputs) as tfl.SymbolicTensor;
  const fused =
    fusion === 'mean'
      ? mean
      : fusion === 'concat'
        ? (tfl.layers
            .activation({ activation: 'linear', name: 'fused' })
            .apply(concatOutput!) as tfl.SymbolicTensor)
        : (tfl.layers.average({ name: 'fused' }).apply([mean, concatOutput!]) as tfl.SymbolicTensor);

  const trainingOutputs = concatOutput === undefined ? branchOutputs : [...branchOutputs, concatOutput];
  const model = tfl.model({ inputs: input, outputs: [fused, ...trainingOutputs], name: 'joint' });
  const trainingModel = tfl.model({ inputs: input, outputs: trainingOutputs, name: 'joint_training' });
  const loss = taskLoss(task);
  const lossWeights = concatOutput === undefined ? [...branchWeights] : [...branchWeights, fusedWeight];
  const losses = lossWeights.map((w) => weighted(loss, w));
  const optimizer = args.optimizer ?? tf.train.adam(args.learningRate ?? 1e-4);
  // tfjs-layers adds the per-output losses with weight 1 (its compile has no lossWeights): the weights live
  // inside each output's loss function, so the total it trains on is exactly Σ wᵢ·lossᵢ.
  trainingModel.compile({ optimizer, loss: losses });
  const trainingOutputNames = trainingModel.outputNames;
  const copies = trainingOutputs.length;

  return {
    model,
    trainingModel,
    branchNames,
    trainingOutputNames,
    losses,
    lossWeights,
    task,
    predict: (images) => tf.tidy(() => (model.predict(images) as tf.Tensor[])[0]!),
    trainingTargets: (ys) => Array.from({ length: copies }, () => ys),
    fitDataset: (dataset, fitArgs) =>
      trainingModel.fitDataset(repeatTargets(dataset, copies) as never, fitArgs),
    dispose: () => {
      optimizer.dispose();
      model.dispose();
    },
  };
}

/** A source of `{xs, ys}` batches: a `tf.data.Dataset` or anything with the same `iterator()` (and `size`). */
export interface BatchIterable {
  iterator(): Promise<{ next(): Promise<IteratorResult<DatasetBatch>> }>;
  readonly size?: number | null;
}

/** The batches of `dataset` with `ys` repeated `copies` times (one target per training output). */
function repeatTargets(dataset: BatchIterable, copies: number) {
  return {
    size: dataset.size ?? null,
    iterator: async () => {
      const it = await dataset.iterator();
      return {
        next: async () => {
          const r = await it.next();
          if (r.done) return r;
          return {
            done: false,
            value: { xs: r.value.xs, ys: Array.from({ length: copies }, () => r.value.ys) },
          };
        },
      };
    },
  };
}

/** `loss` scaled by `weight` (the function itself when the weight is 1). */
function weighted(loss: LossFunction, weight: number): LossFunction {
  if (weight === 1) return loss;
  return (yTrue, yPred) => tf.tidy(() => tf.mul(loss(yTrue, yPred), weight) as tf.Scalar);
}

/** [N, D] features: a 4-D map is average-pooled (its own layer, so the nested backbone stays untouched). */
function pooled(features: tfl.SymbolicTensor): tfl.SymbolicTensor {
  if (features.shape.length === 2) return features;
  return tfl.layers.globalAveragePooling2d({}).apply(features) as tfl.SymbolicTensor;
}

function branchList(
  branches: JointFineTuneArgs['branches'] | undefined,
): (string | tfl.LayersModel | JointBranch)[] {
  const list = Array.isArray(branches)
    ? [...branches]
    : branches !== undefined && 'top' in (branches as object)
      ? (branches as SelectBackbonesResult).top.map((t) => ({ backbone: t.name, args: t.args }))
      : undefined;
  if (list === undefined || list.length < 2) {
    throw new InvalidArgumentError(
      'branches',
      `${FN}: branches must list at least two backbones (names, models or a selectBackbones result), but got ${list === undefined ? String(branches) : list.length}.`,
      branches,
    );
  }
  return list;
}

async function buildBackbones(
  branches: (string | tfl.LayersModel | JointBranch)[],
  inputShape: [number, number, number],
  shared: BackboneArgs,
): Promise<tfl.LayersModel[]> {
  const used = new Map<string, number>();
  const unique = (name: string) => {
    const n = used.get(name) ?? 0;
    used.set(name, n + 1);
    return n === 0 ? name : `${name}_${n + 1}`;
  };
  const built: tfl.LayersModel[] = [];
  try {
    for (const [i, branch] of branches.entries()) {
      built.push(await buildBranch(branch, i, inputShape, shared, used, unique));
    }
  } catch (error) {
    // Free what was built for the earlier branches (models the caller passed stay theirs).
    for (const [i, model] of built.entries()) if (model !== branches[i]) model.dispose();
    throw error;
  }
  return built;
}

async function buildBranch(
  branch: string | tfl.LayersModel | JointBranch,
  i: number,
  inputShape: [number, number, number],
  shared: BackboneArgs,
  used: Map<string, number>,
  unique: (name: string) => string,
): Promise<tfl.LayersModel> {
  {
    const spec: JointBranch =
      typeof branch === 'string' || branch instanceof tfl.LayersModel ? { backbone: branch } : branch;
    if (spec.backbone instanceof tfl.LayersModel) {
      if (used.has(spec.backbone.name)) {
        throw new InvalidArgumentError(
          'branches',
          `${FN}: branch ${i} is a model named '${spec.backbone.name}' like another branch; give each built model its own name.`,
          spec.backbone.name,
        );
      }
      unique(spec.backbone.name);
      return spec.backbone;
    }
    if (typeof spec.backbone !== 'string') {
      throw new InvalidArgumentError(
        'branches',
        `${FN}: branch ${i} must be a backbone name or a LayersModel.`,
        spec.backbone,
      );
    }
    return createBackbone(spec.backbone, {
      ...shared,
      ...spec.args,
      inputShape,
      includeTop: false,
      pooling: 'avg',
      name: unique(spec.args?.name ?? spec.backbone),
    });
  }
}
