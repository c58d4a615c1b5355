import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mixSeed } from '../data/random.js';
import { InvalidArgumentError } from '../errors.js';
import { leafLayers } from './trainable.js';

/** Options of {@link seedInitialWeights}. */
export interface SeedInitialWeightsArgs {
  /** Seed of the whole model: an integer in [0, 2³²). Each weight draws from its own stream derived from it. */
  seed: number;
}

type Initializer = ReturnType<typeof tfl.initializers.zeros>;
type Factory = (seed: number) => Initializer;

// Initializers whose values do not depend on a seed: the weight already holds them in a fresh model.
const DETERMINISTIC = new Set(['Zeros', 'Ones', 'Constant', 'Identity']);

/**
 * A seeded copy of a random tfjs-layers initializer, from its class name and config: `null` for a constant
 * initializer, `undefined` for a class it does not know.
 */
function seededCopy(init: Initializer): Factory | null | undefined {
  const name = init.getClassName();
  if (DETERMINISTIC.has(name)) return null;
  const config = init.getConfig() as Record<string, unknown>;
  const i = tfl.initializers;
  switch (name) {
    case 'RandomUniform':
      return (seed) => i.randomUniform({ ...(config as { minval: number; maxval: number }), seed });
    case 'RandomNormal':
      return (seed) => i.randomNormal({ ...(config as { mean: number; stddev: number }), seed });
    case 'TruncatedNormal':
      return (seed) => i.truncatedNormal({ ...(config as { mean: number; stddev: number }), seed });
    case 'Orthogonal':
      return (seed) => i.orthogonal({ ...(config as { gain: number }), seed });
    case 'VarianceScaling':
    case 'GlorotUniform':
    case 'GlorotNormal':
    case 'HeNormal':
    case 'HeUniform':
    case 'LeCunNormal':
    case 'LeCunUniform':
      // Every Glorot/He/LeCun initializer is a VarianceScaling whose config gives scale, mode and distribution.
      return (seed) => i.varianceScaling({ ...(config as Parameters<typeof i.varianceScaling>[0]), seed });
    default:
      return undefined;
  }
}

/** `moving_mean` → `movingMeanInitializer`: where tfjs-layers layers keep the initializer of each weight. */
function initializerProperty(weightName: string): string {
  const base = weightName.slice(weightName.lastIndexOf('/') + 1);
  return `${base.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())}Initializer`;
}

function isInitializer(v: unknown): v is Initializer {
  return typeof v === 'object' && v !== null && typeof (v as Initializer).getClassName === 'function';
}

/**
 * Makes a freshly built model's random initialisation reproducible: re-draws every randomly initialised weight
 * (conv and dense kernels, with the builders' Glorot-uniform or any other tfjs-layers random initializer) from
 * its own layer's initializer, seeded from `seed`, the layer's position and the weight's. Weights with a constant
 * initializer (biases, batch-norm γ/β and statistics) are left as they are. Nested models (a backbone inside a
 * model) are included. TF.js has no global seed, so this is the way to repeat a training run exactly.
 *
 * Call it before training: it overwrites the random weights, trained or loaded ones too. A custom layer says how
 * it initialised a weight `w` through a property `wInitializer` (`moving_mean` → `movingMeanInitializer`, as in
 * tfjs-layers): an initializer, the name of a `tf.initializers` factory, or `'deterministic'` for a weight that
 * depends on no seed.
 *
 * @example
 * ```ts
 * const model = attachHead(await createBackbone('resnet18', { includeTop: false }), binaryHead());
 * seedInitialWeights(model, { seed: 7 }); // the same weights on every run and backend
 * ```
 * @throws {@link InvalidArgumentError} when `seed` is not an integer in [0, 2³²), or a layer has a weight whose
 * initializer it cannot find (a custom layer that keeps it elsewhere) or cannot seed (an unknown class).
 */
export function seedInitialWeights(model: tfl.LayersModel, args: SeedInitialWeightsArgs): void {
  const fn = 'seedInitialWeights';
  const seed = (args as Partial<SeedInitialWeightsArgs> | undefined)?.seed;
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new InvalidArgumentError(
      'seed',
      `${fn}: seed must be an integer in [0, 2^32), but got ${String(seed)}.`,
      seed,
    );
  }
  // Find every initializer first, so a model that cannot be seeded is left untouched.
  const plan: { variable: tfl.LayerVariable; factory: Factory; stream: number[] }[] = [];
  leafLayers(model).forEach((layer, li) => {
    layer.weights.forEach((variable, wi) => {
      const property = initializerProperty(variable.originalName);
      const init: unknown = (layer as unknown as Record<string, unknown>)[property];
      let resolved: Initializer;
      if (init === 'deterministic') {
        return;
      } else if (isInitializer(init)) {
        resolved = init;
      } else if (typeof init === 'string' && init in tfl.initializers) {
        // Custom layers may keep the name of a tfjs-layers initializer factory (CoralLogits does).
        resolved = (tfl.initializers as unknown as Record<string, () => Initializer>)[init]!();
      } else {
        throw new InvalidArgumentError(
          'model',
          `${fn}: layer '${layer.name}' (${layer.getClassName()}) has weight '${variable.originalName}' but no '${property}' telling how it was initialised.`,
          layer.name,
        );
      }
      const factory = seededCopy(resolved);
      if (factory === undefined) {
        throw new InvalidArgumentError(
          'model',
          `${fn}: layer '${layer.name}' initialises '${variable.originalName}' with ${resolved.getClassName()}, which it cannot seed (known: Glorot/He/LeCun, VarianceScaling, RandomUniform, RandomNormal, TruncatedNormal, Orthogonal, and constant ones).`,
          layer.name,
        );
      }
      if (factory !== null) plan.push({ variable, factory, stream: [li, wi] });
    });
  });
  for (const { variable, factory, stream } of plan) {
    const values = factory(mixSeed(seed, ...stream)).apply(variable.shape, 'float32');
    variable.write(values);
    tf.dispose(values);
  }
}
