import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '../errors.js';
import { type LayerApplication, layerApplications, ScopeTree } from './graph_walk.js';

/** A named feature map of a backbone, returned by {@link featureLayers}. */
export interface FeatureLayer {
  /** Layer name, e.g. `'conv4_block6_out'`; pass it to {@link splitAt}. */
  name: string;
  /** The layer itself (inside the nested model when `path` is not empty). */
  layer: tfl.layers.Layer;
  /** Nested models from the given model down to the layer's model (`['resnet50']`); empty when top-level. */
  path: string[];
  /** Number of channels of the feature map. */
  channels: number;
  /** Nominal downsampling factor relative to the backbone's input (2, 4, 8, 16 or 32). */
  stride: number;
  /** Output shape without the batch dimension, `[height, width, channels]` (null for unknown sizes). */
  shape: (number | null)[];
}

type Rule = (names: Set<string>) => [string, number][] | null;

function lastIndex(names: Set<string>, pattern: RegExp): number {
  let best = 0;
  for (const n of names) {
    const m = pattern.exec(n);
    if (m) best = Math.max(best, Number(m[1]));
  }
  return best;
}

/** Endpoints of each architecture family, recognised by their layer names. */
const RULES: Rule[] = [
  // ResNet (Keras naming): stem, then each stage's last block output.
  (names) => {
    if (!names.has('conv1_relu') || !names.has('conv2_block1_out')) return null;
    const stages: [string, number][] = [['conv1_relu', 2]];
    for (let s = 2; s <= 5; s++) {
      const last = lastIndex(names, new RegExp(`^conv${s}_block(\\d+)_out$`));
      if (last > 0) stages.push([`conv${s}_block${last}_out`, 2 ** s]);
    }
    return stages;
  },
  // VGG: pooled blocks 1-4, then the last convolution (the usual Grad-CAM layer).
  (names) => {
    if (!names.has('block1_conv1')) return null;
    const last = lastIndex(names, /^block5_conv(\d+)$/);
    const out: [string, number][] = [1, 2, 3, 4].map((b) => [`block${b}_pool`, 2 ** b]);
    if (last > 0) out.push([`block5_conv${last}`, 16]);
    return out;
  },
  // GoogLeNet: stem convolutions, then the last inception module before each pool.
  (names) =>
    names.has('inception3a_out')
      ? [
          ['conv1_relu', 2],
          ['conv3_relu', 4],
          ['inception3b_out', 8],
          ['inception4e_out', 16],
          ['inception5b_out', 32],
        ]
      : null,
  // AlexNet: the convolution before each pool.
  (names) =>
    names.has('conv5') && names.has('pool5')
      ? [
          ['conv1', 4],
          ['conv2', 8],
          ['conv5', 16],
        ]
      : null,
];

/**
 * The named feature endpoints of a backbone built by this package, shallow to deep, with their channels and
 * stride: for Grad-CAM (which takes the last one as its default layer) and for fusing features across scales.
 * Looks inside nested models too, so it works on a larger model that contains a backbone (or several: their
 * endpoints are listed model after model). Recognises the layer names of {@link vgg16}, {@link vgg19},
 * {@link resnet18}, {@link resnet34}, {@link resnet50} (and Keras's ResNets), {@link googlenet} and {@link alexnet}.
 *
 * | family | endpoints (stride) |
 * | --- | --- |
 * | VGG | `block1_pool` (2) … `block4_pool` (16), `block5_conv3` / `block5_conv4` (16) |
 * | ResNet | `conv1_relu` (2), `conv2_block3_out` (4), `conv3_block4_out` (8), `conv4_block6_out` (16), `conv5_block3_out` (32) — the last block of each stage |
 * | GoogLeNet | `conv1_relu` (2), `conv3_relu` (4), `inception3b_out` (8), `inception4e_out` (16), `inception5b_out` (32) |
 * | AlexNet | `conv1` (4), `conv2` (8), `conv5` (16) |
 *
 * @param model A backbone, or a model with backbones nested in it.
 * @returns The endpoints, shallow to deep.
 * @throws {@link InvalidArgumentError} when the model contains no recognised backbone.
 * @example
 * ```ts
 * const model = await resnet50({ includeTop: false });
 * featureLayers(model).map((f) => `${f.name}: ${f.channels} ch, /${f.stride}`);
 * // ['conv1_relu: 64 ch, /2', 'conv2_block3_out: 256 ch, /4', …, 'conv5_block3_out: 2048 ch, /32']
 * const camLayer = featureLayers(model).at(-1)!.name;
 * ```
 */
export function featureLayers(model: tfl.LayersModel): FeatureLayer[] {
  if (
    model === null ||
    typeof model !== 'object' ||
    !Array.isArray((model as { outputs?: unknown }).outputs)
  ) {
    throw new InvalidArgumentError(
      'model',
      'featureLayers: model must be a functional tf.LayersModel.',
      model,
    );
  }
  const byModel = new Map<string, LayerApplication[]>();
  for (const app of layerApplications(new ScopeTree(model))) {
    // The layers a (nested) model runs, keyed by its path; a model applied twice lists its endpoints once.
    const key = app.scope.path.join('/');
    const list = byModel.get(key) ?? [];
    if (!list.some((a) => a.layer === app.layer)) list.push(app);
    byModel.set(key, list);
  }
  const out: FeatureLayer[] = [];
  for (const apps of byModel.values()) {
    const byName = new Map(apps.map((a) => [a.layer.name, a]));
    const endpoints = RULES.map((rule) => rule(new Set(byName.keys()))).find((e) => e !== null);
    for (const [name, stride] of endpoints ?? []) {
      const app = byName.get(name);
      if (app === undefined) continue;
      const shape = app.node.outputTensors[0]!.shape.slice(1);
      out.push({
        name,
        layer: app.layer,
        path: app.scope.path,
        channels: shape.at(-1) as number,
        stride,
        shape,
      });
    }
  }
  if (out.length === 0) {
    throw new InvalidArgumentError(
      'model',
      `featureLayers: model '${model.name}' contains no backbone with known feature layers (alexnet, googlenet, vgg16, vgg19, resnet18, resnet34, resnet50).`,
      model.name,
    );
  }
  return out;
}
