import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors.js';
import { describeValue, invalid } from '../preprocess/check_args.js';
import type { LossFunction } from './loss_utils.js';

/** One term of a {@link sumOfLosses}: the loss of one model output, and its weight. */
export interface LossTerm {
  /** The loss of this output, `(yTrue, yPred) => Scalar`. */
  loss: LossFunction;
  /** Weight w ≥ 0 of the term in the sum. @defaultValue 1 */
  weight?: number;
  /**
   * Name of the model output the term applies to (an entry of `model.outputNames`: the output layer's name,
   * e.g. `'branch1_activation'`). Several terms may name the same output; an output no term names gets no
   * loss. Either every term names its output or none does.
   * @defaultValue none: term i applies to output i
   */
  output?: string;
}

/** Predictions or targets of a multi-output model: in output order, or by output name. */
export type OutputTensors = readonly tf.Tensor[] | Readonly<Record<string, tf.Tensor>>;

/**
 * A weighted sum of per-output losses, `L = Σ_i w_i · L_i(yTrue[o_i], yPred[o_i])`, made by
 * {@link sumOfLosses}. Use {@link SumOfLosses.compute} standalone and {@link SumOfLosses.forModel} with
 * tfjs-layers' `compile`.
 */
export class SumOfLosses {
  /** The terms, with defaults filled in. */
  readonly terms: readonly Readonly<{ loss: LossFunction; weight: number; output: string | null }>[];

  constructor(terms: readonly LossTerm[]) {
    const fn = 'sumOfLosses';
    if (!Array.isArray(terms) || terms.length === 0) throw invalid(fn, 'terms', 'a non-empty array', terms);
    const named = terms.filter((t) => t?.output !== undefined).length;
    if (named !== 0 && named !== terms.length) {
      throw invalid(fn, 'terms', 'terms that all name their output or none that does', terms);
    }
    this.terms = terms.map((t, i) => {
      if (typeof t?.loss !== 'function') throw invalid(fn, `terms[${i}].loss`, 'a loss function', t?.loss);
      const weight = t.weight ?? 1;
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
        throw invalid(fn, `terms[${i}].weight`, 'a non-negative number', weight);
      }
      if (t.output !== undefined && (typeof t.output !== 'string' || t.output === '')) {
        throw invalid(fn, `terms[${i}].output`, 'an output name', t.output);
      }
      return Object.freeze({ loss: t.loss, weight, output: t.output ?? null });
    });
  }

  /**
   * The unweighted value of each term, in term order. `yTrue`/`yPred` are arrays in output order (as
   * `model.predict` returns them; pass `outputNames` when the terms name outputs) or records by output name.
   */
  values(yTrue: OutputTensors, yPred: OutputTensors, outputNames?: readonly string[]): tf.Scalar[] {
    return this.terms.map((term, i) => {
      const key = term.output ?? i;
      return term.loss(pick('yTrue', yTrue, key, outputNames), pick('yPred', yPred, key, outputNames));
    });
  }

  /**
   * The total `Σ_i w_i · L_i` as a Scalar. Arguments as {@link SumOfLosses.values}.
   * @example
   * ```ts
   * const total = sumOfLosses([{ loss: bce }, { loss: bce }]).compute([y, y], model.predict(x) as tf.Tensor[]);
   * ```
   */
  compute(yTrue: OutputTensors, yPred: OutputTensors, outputNames?: readonly string[]): tf.Scalar {
    return tf.tidy(() => {
      const values = this.values(yTrue, yPred, outputNames);
      return tf.addN(values.map((v, i) => tf.mul(v, this.terms[i]!.weight))) as tf.Scalar;
    });
  }

  /**
   * One loss per model output, in `model.outputNames` order, for `model.compile({loss})`. Output j's loss is
   * `Σ_{i: o_i = j} w_i · L_i`, the weights folded in because tfjs-layers has no `lossWeights` (4.22 ignores
   * it); an output that no term names gets a zero loss. tfjs-layers sums the outputs' losses (and adds any
   * regularisation), so the loss `fit` and `evaluate` report is exactly {@link SumOfLosses.compute}; the
   * per-output `<output>_loss` entries of the history are the weighted ones. Beware tfjs-layers 4.22's
   * `evaluate` on an n-output model: it returns the n running sums of the output losses followed by the n
   * output losses, so the total is element n − 1 of its result, not element 0 (`fit`'s history is right).
   *
   * @param model A multi-output `LayersModel`, or its output names.
   * @throws {@link InvalidArgumentError} when `model` is neither a model nor a list of names, a term names an
   * output the model lacks, or (positional terms)
   * the model has fewer outputs than terms.
   */
  forModel(model: { readonly outputNames: readonly string[] } | readonly string[]): LossFunction[] {
    const names: unknown = Array.isArray(model) ? model : (model as { outputNames?: unknown })?.outputNames;
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
      throw invalid('sumOfLosses.forModel', 'model', 'a LayersModel or its output names', model);
    }
    const byOutput = names.map(() => [] as number[]);
    this.terms.forEach((term, i) => {
      const j = term.output === null ? i : names.indexOf(term.output);
      if (j < 0 || j >= names.length) {
        throw new InvalidArgumentError(
          'terms',
          `sumOfLosses: term ${i} applies to output ${describeValue(term.output ?? i)}, but the model's ` +
            `outputs are ${describeValue(names)}.`,
          term.output ?? i,
        );
      }
      byOutput[j]!.push(i);
    });
    return byOutput.map(
      (indices) => (yTrue: tf.Tensor, yPred: tf.Tensor) =>
        tf.tidy(() => {
          if (indices.length === 0) return tf.mul(tf.sum(yPred), 0) as tf.Scalar;
          const parts = indices.map((i) => tf.mul(this.terms[i]!.loss(yTrue, yPred), this.terms[i]!.weight));
          return tf.addN(parts) as tf.Scalar;
        }),
    );
  }
}

function pick(
  what: string,
  tensors: OutputTensors,
  key: string | number,
  outputNames?: readonly string[],
): tf.Tensor {
  let found: tf.Tensor | undefined;
  if (Array.isArray(tensors)) {
    const index = typeof key === 'number' ? key : (outputNames ?? []).indexOf(key);
    if (typeof key === 'string' && !outputNames) {
      throw invalid(
        'sumOfLosses',
        'outputNames',
        `given when the terms name outputs and ${what} is an array`,
        outputNames,
      );
    }
    found = index >= 0 ? (tensors as readonly tf.Tensor[])[index] : undefined;
  } else {
    const record = tensors as Readonly<Record<string, tf.Tensor>>;
    found = typeof key === 'string' ? record[key] : undefined;
    if (typeof key === 'number') {
      throw invalid('sumOfLosses', what, 'an array when the terms do not name outputs', Object.keys(record));
    }
  }
  if (!(found instanceof tf.Tensor)) {
    throw invalid('sumOfLosses', what, `a tensor for output ${describeValue(key)}`, found);
  }
  return found;
}

/**
 * A weighted sum of per-output losses for multi-output models, such as the joint fine-tuning of two backbones
 * whose total loss is the sum of the branch losses (Sun et al., OMIA 2017):
 * `L = Σ_i w_i · L_i(yTrue[o_i], yPred[o_i])` where term i has loss L_i, weight w_i and output o_i.
 *
 * tfjs-layers' `compile({loss: [...]})` already sums one loss per output but ignores `lossWeights`;
 * {@link SumOfLosses.forModel} folds the weights into each output's loss (and sums several terms on one
 * output), so that the total tfjs-layers trains on and reports equals {@link SumOfLosses.compute}.
 *
 * @param terms One {@link LossTerm} per (output, loss) pair.
 * @returns A {@link SumOfLosses}.
 * @example
 * ```ts
 * const total = sumOfLosses([
 *   { loss: binaryCrossEntropy(), output: 'vgg_activation' },
 *   { loss: binaryCrossEntropy(), output: 'resnet_activation', weight: 0.5 },
 * ]);
 * model.compile({ optimizer: 'adam', loss: total.forModel(model) });
 * const value = total.compute({ vgg_activation: y, resnet_activation: y }, { vgg_activation: p1, resnet_activation: p2 });
 * ```
 * @throws {@link InvalidArgumentError} when `terms` is empty, a loss is not a function, a weight is negative or
 * only some terms name their output.
 * @see Z. Sun et al., "Retinal image quality classification using fine-tuned CNN", OMIA 2017 (joint
 * fine-tuning with the sum of the branch losses).
 */
export function sumOfLosses(terms: readonly LossTerm[]): SumOfLosses {
  return new SumOfLosses(terms);
}
