import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ShapeError } from '../errors.js';
import { invalid } from '../preprocess/check_args.js';

/** Kernel initialisers {@link CoralLogits} accepts (tfjs-layers names). */
export type CoralKernelInitializer = 'glorotUniform' | 'glorotNormal' | 'heNormal' | 'heUniform' | 'zeros';

/** Constructor arguments of {@link CoralLogits}. */
export interface CoralLogitsArgs {
  /** Number of binary tasks, K − 1 for K ordered grades (≥ 1). */
  units: number;
  /** Initialiser of the shared weight vector. @defaultValue 'glorotUniform' */
  kernelInitializer?: CoralKernelInitializer;
  /** Layer name. @defaultValue tfjs-layers' automatic name */
  name?: string;
  /** Whether the weights train. @defaultValue true */
  trainable?: boolean;
}

/** The names {@link CoralLogits} accepts as `kernelInitializer`. */
export const CORAL_KERNEL_INITIALIZERS: readonly CoralKernelInitializer[] = Object.freeze([
  'glorotUniform',
  'glorotNormal',
  'heNormal',
  'heUniform',
  'zeros',
]);

type Initializer = ReturnType<typeof tfl.initializers.zeros>;

const initializers: Record<CoralKernelInitializer, () => Initializer> = {
  glorotUniform: () => tfl.initializers.glorotUniform({}),
  glorotNormal: () => tfl.initializers.glorotNormal({}),
  heNormal: () => tfl.initializers.heNormal({}),
  heUniform: () => tfl.initializers.heUniform({}),
  zeros: () => tfl.initializers.zeros(),
};

/**
 * The CORAL output layer: K − 1 logits `g_k = x·w + b_k` that share one weight vector `w` and differ only by
 * their biases, so the cumulative probabilities σ(g_k) = P(grade > k) are rank-consistent once the biases are
 * ordered. Input `[N, D]`, output `[N, K − 1]`. The biases start decreasing (1 … −1) so the initial decoding
 * already spans the grades.
 *
 * Register it with {@link registerHeadLayers} before loading a saved model that contains it.
 *
 * @example
 * ```ts
 * registerHeadLayers();
 * const logits = new CoralLogits({ units: 4, name: 'grade_logits' }).apply(features);
 * ```
 * @throws {@link InvalidArgumentError} when `units` is not a positive integer or the initialiser is unknown.
 * @throws {@link ShapeError} when built on an input that is not rank 2.
 * @see W. Cao, V. Mirjalili, S. Raschka, "Rank consistent ordinal regression for neural networks with
 * application to age estimation", Pattern Recognition Letters 140, 2020, eq. 1 and Theorem 1.
 */
export class CoralLogits extends tfl.layers.Layer {
  /** Name under which the class is serialised (`class_name` in a model's JSON). */
  static className = 'CoralLogits';
  /** Number of logits, K − 1. */
  readonly units: number;
  /** Initialiser of the shared weight vector. */
  readonly kernelInitializer: CoralKernelInitializer;
  /** The bias starts at fixed thresholds (a linspace from 1 to −1) that depend on no seed (read by seedInitialWeights). */
  readonly biasInitializer = 'deterministic';
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  constructor(args: CoralLogitsArgs) {
    super({ name: args.name, trainable: args.trainable ?? true });
    if (!Number.isInteger(args.units) || args.units < 1) {
      throw invalid('CoralLogits', 'units', 'a positive integer', args.units);
    }
    const init = args.kernelInitializer ?? 'glorotUniform';
    if (!CORAL_KERNEL_INITIALIZERS.includes(init)) {
      throw invalid('CoralLogits', 'kernelInitializer', CORAL_KERNEL_INITIALIZERS.join(' | '), init);
    }
    this.units = args.units;
    this.kernelInitializer = init;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const depth = shape[shape.length - 1];
    if (shape.length !== 2 || depth == null) {
      throw new ShapeError(
        `CoralLogits: input must be [N, D] with a known D, but got [${shape.map((d) => d ?? 'null')}].`,
        shape.map((d) => d ?? -1),
      );
    }
    this.kernel = this.addWeight('kernel', [depth, 1], 'float32', initializers[this.kernelInitializer]());
    this.bias = this.addWeight('bias', [this.units], 'float32', tfl.initializers.zeros());
    const k = this.units;
    const start = k === 1 ? tf.zeros([1]) : tf.linspace(1, -1, k);
    this.bias.write(start);
    start.dispose();
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      return tf.add(tf.matMul(x, this.kernel!.read()), this.bias!.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, kernelInitializer: this.kernelInitializer };
  }
}
