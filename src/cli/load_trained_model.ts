import { stat } from 'node:fs/promises';
import type * as tfl from '@tensorflow/tfjs-layers';
import { registerHeadLayers } from '../heads/register_head_layers.js';
import { loadModel } from '../io/node/model_save.js';
import type { ModelCard } from './model_card.js';
import { readModelCard } from './node/model_card_file.js';
import { UsageError } from './usage_error.js';

/** A model folder written by `train`: the model and its card. */
export interface TrainedModel {
  model: tfl.LayersModel;
  card: ModelCard;
  /** Names of the model's outputs for people: `['fused', branch…]` for a joint model, else the backbone. */
  outputs: string[];
}

/**
 * Loads a model folder (`model.json`, weights, `fundus-kit.json`) for `eval`, `predict` and `explain`, and
 * checks the model agrees with its card (its input size).
 *
 * @throws {@link UsageError} when the folder does not exist; `ModelCardError` for a missing or invalid card;
 * `ModelIOError` for an unreadable model.
 */
export async function loadTrainedModel(command: string, folder: string): Promise<TrainedModel> {
  try {
    if (!(await stat(folder)).isDirectory()) {
      throw new UsageError(
        `${command}: <model> '${folder}' is a file; give the folder 'train' wrote.`,
        command,
        folder,
      );
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') {
      throw new UsageError(
        `${command}: <model> '${folder}' does not exist; give a folder written by 'fundus-kit train'.`,
        command,
        folder,
      );
    }
    throw e;
  }
  const card = await readModelCard(folder);
  registerHeadLayers();
  const model = await loadModel(folder);
  const [, h, w, c] = model.inputs[0]!.shape;
  const [ch, cw, cc] = card.inputSize;
  if (h !== ch || w !== cw || c !== cc) {
    model.dispose();
    throw new UsageError(
      `${command}: the model in '${folder}' takes [${h}, ${w}, ${c}] images but its card says [${card.inputSize}]; ` +
        'the folder mixes files of two models.',
      command,
      folder,
    );
  }
  const outputs =
    card.backbones.length > 1
      ? ['fused', ...card.backbones, ...(model.outputs.length > card.backbones.length + 1 ? ['concat'] : [])]
      : [card.backbones[0]!];
  return { model, card, outputs };
}
