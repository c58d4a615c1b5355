import * as tf from '@tensorflow/tfjs-core';

/** What a timed step returns: tensors the harness waits for (`await data()`) and then disposes. */
export type Outputs = tf.Tensor | tf.Tensor[] | undefined;

/** One unit of work to time. It must leave nothing behind except the tensors it returns. */
export type Step = () => Outputs | Promise<Outputs>;

/** Arguments of {@link measure}. */
export interface MeasureArgs {
  /** Timed runs. */
  runs: number;
  /** Untimed runs before the timed ones (JIT, XNNPACK weight packing, first-call setup). */
  warmups: number;
  /** A cheaper step to warm up with (e.g. batch 1 on a slow backend); defaults to the timed step. */
  warmup?: Step;
}

/** Timings of one workload, in milliseconds. */
export interface Timing {
  medianMs: number;
  minMs: number;
  timesMs: number[];
  runs: number;
  warmups: number;
  /**
   * Tensors (engine) and data buffers (backend) more after the timed runs than before; null when there
   * was no warm-up, since a first call may legitimately create state (optimizer, compiled functions).
   */
  leaked: { tensors: number; dataIds: number } | null;
}

/** Runs `step` once and returns the wall time until its outputs are readable. Disposes them after. */
async function once(step: Step): Promise<number> {
  const start = performance.now();
  const out = await step();
  const tensors = out == null ? [] : Array.isArray(out) ? out : [out];
  await Promise.all(tensors.map((t) => t.data()));
  const ms = performance.now() - start;
  tf.dispose(tensors);
  return ms;
}

function counts(): { tensors: number; dataIds: number } {
  return { tensors: tf.memory().numTensors, dataIds: tf.engine().backend.numDataIds() };
}

/** Warm-up run(s), then `runs` timed runs; returns the median and minimum and checks for leaks. */
export async function measure(step: Step, args: MeasureArgs): Promise<Timing> {
  if (!Number.isInteger(args.runs) || args.runs < 1) {
    throw new Error(`measure: runs must be a positive integer, but got ${args.runs}.`);
  }
  for (let i = 0; i < args.warmups; i++) await once(args.warmup ?? step);
  const before = counts();
  const timesMs: number[] = [];
  for (let i = 0; i < args.runs; i++) timesMs.push(await once(step));
  const after = counts();
  const sorted = [...timesMs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    medianMs,
    minMs: sorted[0]!,
    timesMs,
    runs: args.runs,
    warmups: args.warmups,
    leaked:
      args.warmups > 0
        ? { tensors: after.tensors - before.tensors, dataIds: after.dataIds - before.dataIds }
        : null,
  };
}
