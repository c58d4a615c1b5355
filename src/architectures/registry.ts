import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError, UnknownArchitectureError } from '../errors.js';
import { alexnet } from './alexnet.js';
import type { BackboneArgs, BackboneBuilder } from './backbone_args.js';
import { googlenet } from './googlenet.js';
import { resnet18 } from './resnet18.js';
import { resnet34 } from './resnet34.js';
import { resnet50 } from './resnet50.js';
import { vgg16 } from './vgg16.js';
import { vgg19 } from './vgg19.js';

/** Names of the backbones fundus-kit ships. */
export type BackboneName = 'alexnet' | 'googlenet' | 'vgg16' | 'vgg19' | 'resnet18' | 'resnet34' | 'resnet50';

const BUILT_IN: Record<BackboneName, BackboneBuilder> = {
  alexnet,
  googlenet,
  vgg16,
  vgg19,
  resnet18,
  resnet34,
  resnet50,
};

const registered = new Map<string, BackboneBuilder>();

/** Arguments of {@link registerBackbone}. */
export interface RegisterBackboneArgs {
  /** Replace a builder already registered under the name (built-in names cannot be replaced). @defaultValue `false` */
  overwrite?: boolean;
}

function builderFor(name: string): BackboneBuilder | undefined {
  return Object.hasOwn(BUILT_IN, name) ? BUILT_IN[name as BackboneName] : registered.get(name);
}

/**
 * Builds a backbone by name, like timm's `create_model`: `createBackbone('resnet50', args)` is
 * `resnet50(args)`. Names registered with {@link registerBackbone} work too.
 *
 * @param name One of {@link listBackbones}.
 * @param args Passed to the builder: see {@link BackboneArgs}.
 * @returns The built model (weights loaded when `args.weights` is given).
 * @throws {@link UnknownArchitectureError} when `name` is not registered; its message lists the valid names.
 * @throws {@link InvalidArgumentError} when the builder rejects `args`.
 * @example
 * ```ts
 * for (const name of ['vgg16', 'resnet50']) {
 *   const backbone = await createBackbone(name, { includeTop: false, pooling: 'avg' });
 * }
 * ```
 */
export function createBackbone(name: string, args?: BackboneArgs): Promise<tfl.LayersModel> {
  const builder = builderFor(name);
  if (builder === undefined) throw new UnknownArchitectureError(String(name), listBackbones());
  return builder(args);
}

/**
 * Names accepted by {@link createBackbone}, sorted: the built-in backbones and those added with
 * {@link registerBackbone}.
 * @example
 * ```ts
 * listBackbones(); // ['alexnet', 'googlenet', 'resnet18', 'resnet34', 'resnet50', 'vgg16', 'vgg19']
 * ```
 */
export function listBackbones(): string[] {
  return [...Object.keys(BUILT_IN), ...registered.keys()].sort();
}

/**
 * Adds a builder to the registry so {@link createBackbone} and {@link listBackbones} know it.
 *
 * @param name A non-empty name not used by a built-in backbone.
 * @param builder Builds the model from {@link BackboneArgs}.
 * @param args See {@link RegisterBackboneArgs}.
 * @throws {@link InvalidArgumentError} when `name` is empty, is a built-in name, or is already registered
 *   (without `overwrite`), or `builder` is not a function.
 * @example
 * ```ts
 * registerBackbone('tiny_vgg', (args) => vgg16({ ...args, widthMultiplier: 0.125 }));
 * const model = await createBackbone('tiny_vgg', { inputShape: [64, 64, 3], classes: 2 });
 * ```
 */
export function registerBackbone(
  name: string,
  builder: BackboneBuilder,
  args: RegisterBackboneArgs = {},
): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidArgumentError(
      'name',
      `registerBackbone: name must be a non-empty string, but got ${String(name)}.`,
      name,
    );
  }
  if (typeof builder !== 'function') {
    throw new InvalidArgumentError(
      'builder',
      `registerBackbone: builder must be a function, but got ${typeof builder}.`,
      builder,
    );
  }
  if (Object.hasOwn(BUILT_IN, name)) {
    throw new InvalidArgumentError(
      'name',
      `registerBackbone: '${name}' is a built-in backbone and cannot be replaced.`,
      name,
    );
  }
  if (registered.has(name) && args.overwrite !== true) {
    throw new InvalidArgumentError(
      'name',
      `registerBackbone: '${name}' is already registered; pass { overwrite: true } to replace it.`,
      name,
    );
  }
  registered.set(name, builder);
}
