import { FUNDUS_COLOURS, type FundusColour, type FundusPipelineArgs } from '../preprocess/fundus_pipeline.js';

/**
 * The preprocessing a photo went through, as the `preprocess` command applies it and a model card records it,
 * so `predict` can prepare new photos the same way.
 */
export interface PreprocessSettings {
  /** Output side in pixels (square). */
  size: number;
  /** Colour variant (see `fundusPipeline`). */
  colour: FundusColour;
  /** Cropped to the field of view before resizing. */
  crop: boolean;
  /** Border around the field of view when cropping, as a fraction of its radius. */
  margin: number;
  /** Outside the field of view set to the background (128 for benGraham, 0 otherwise). */
  mask: boolean;
}

/** The colour variants `--colour` accepts. */
export const COLOURS: readonly FundusColour[] = FUNDUS_COLOURS;

/**
 * {@link PreprocessSettings} (from a model card or `preprocess.json`) as `fundusPipeline` arguments, to prepare
 * new photos exactly as the training photos were.
 *
 * @example
 * ```ts
 * const card = await readModelCard('models/quality');
 * const prepare = fundusPipeline(pipelineArgs(card.preprocessing));
 * const { image } = await prepare(await readImage('eye.jpg'));
 * ```
 */
export function pipelineArgs(settings: PreprocessSettings): FundusPipelineArgs {
  return {
    size: settings.size,
    colour: settings.colour,
    crop: settings.crop,
    margin: settings.margin,
    mask: settings.mask,
  };
}
