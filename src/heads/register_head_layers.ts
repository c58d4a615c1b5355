import * as tf from '@tensorflow/tfjs-core';
import { CoralLogits } from './coral_logits.js';

let registered = false;

/**
 * Registers the heads' custom layers ({@link CoralLogits}) with tfjs-layers' serialisation, so models that
 * contain them can be loaded (`tfl.loadLayersModel`, `tfl.models.modelFromJSON`). Idempotent; the head builders
 * call it, and so should code that loads a saved model before building any head (the package has no import-time
 * side effects).
 *
 * @example
 * ```ts
 * registerHeadLayers();
 * const model = await tfl.loadLayersModel('file://./dr-grader/model.json');
 * ```
 */
export function registerHeadLayers(): void {
  if (registered) return;
  tf.serialization.registerClass(CoralLogits);
  registered = true;
}
