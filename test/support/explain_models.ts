import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * Small models for the explain tests, with deterministic weights (the same on every backend): a GAP + dense
 * classifier (where Grad-CAM must equal CAM), a branched net with a skip connection that bypasses the explained
 * layer, the same layers flat and nested inside a backbone model, and a two-output model.
 */

type ST = tfl.SymbolicTensor;

/** Deterministic pseudo-normal weights (xorshift + sum of uniforms), scaled by 1/sqrt(fan-in). */
export function seedWeights(model: tfl.LayersModel, seed: number): void {
  let s = seed >>> 0 || 1;
  const uniform = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  const normal = () => uniform() + uniform() + uniform() + uniform() - 2; // variance 1/3
  const names = model.weights.map((w) => w.originalName);
  const weights = model.getWeights().map((w, i) => {
    if (/moving_variance|gamma/.test(names[i] ?? '')) {
      return tf.tensor(
        Float32Array.from({ length: w.size }, () => 0.5 + uniform()),
        w.shape,
        'float32',
      );
    }
    const fanIn = w.shape.length > 1 ? w.shape.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
    const scale = w.shape.length > 1 ? Math.sqrt(3 / fanIn) * 1.2 : 0.1;
    const values = Float32Array.from({ length: w.size }, () => normal() * scale);
    return tf.tensor(values, w.shape, 'float32');
  });
  model.setWeights(weights);
  tf.dispose(weights);
}

export interface SmallNetArgs {
  size?: number;
  channels?: number;
  classes?: number;
  activation?: 'softmax' | 'sigmoid' | 'linear';
}

/** conv(relu) → conv 'features' (relu) → GAP → dense 'predictions'. */
export function gapDenseNet({
  size = 12,
  channels = 6,
  classes = 3,
  activation = 'softmax',
}: SmallNetArgs = {}) {
  const input = tfl.input({ shape: [size, size, 3], name: 'image' });
  let x = tfl.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv1' })
    .apply(input) as ST;
  x = tfl.layers
    .conv2d({
      filters: channels,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
      name: 'features',
    })
    .apply(x) as ST;
  x = tfl.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as ST;
  const out = tfl.layers.dense({ units: classes, activation, name: 'predictions' }).apply(x) as ST;
  const model = tfl.model({ inputs: input, outputs: out, name: 'gap_dense' });
  seedWeights(model, 7);
  return model;
}

/**
 * conv 'c1' (relu) → conv 'c2' → add('c2', 'c1') → relu → GAP → dense 'predictions' (softmax): the skip from
 * c1 bypasses c2, so the score depends on c2 and on a tensor computed before it.
 */
export function skipNet({ size = 6, classes = 3 }: SmallNetArgs = {}) {
  const input = tfl.input({ shape: [size, size, 2] });
  const c1 = tfl.layers
    .conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' })
    .apply(input) as ST;
  const c2 = tfl.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'c2' }).apply(c1) as ST;
  const sum = tfl.layers.add({ name: 'sum' }).apply([c2, c1]) as ST;
  let x = tfl.layers.activation({ activation: 'relu', name: 'sum_relu' }).apply(sum) as ST;
  x = tfl.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as ST;
  const out = tfl.layers.dense({ units: classes, activation: 'softmax', name: 'predictions' }).apply(x) as ST;
  const model = tfl.model({ inputs: input, outputs: out, name: 'skip_net' });
  seedWeights(model, 11);
  return model;
}

function backboneLayers() {
  return [
    tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'b_conv1' }),
    tfl.layers.batchNormalization({ name: 'b_bn1' }),
    tfl.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', name: 'b_conv2' }),
    tfl.layers.activation({ activation: 'relu', name: 'b_out' }),
  ];
}

function head(x: ST, classes: number): ST {
  const pooled = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as ST;
  const dropped = tfl.layers.dropout({ rate: 0.5, name: 'drop' }).apply(pooled) as ST;
  return tfl.layers
    .dense({ units: classes, activation: 'softmax', name: 'predictions' })
    .apply(dropped) as ST;
}

/**
 * The same network twice: `flat` (every layer in one graph) and `nested` (the convolutional layers in a
 * `backbone` model used as a layer of the classifier, as transfer learning does), with equal weights.
 */
export function flatAndNested({ size = 12, classes = 3 }: SmallNetArgs = {}) {
  const flatInput = tfl.input({ shape: [size, size, 3] });
  let x: ST = flatInput;
  for (const layer of backboneLayers()) x = layer.apply(x) as ST;
  const flat = tfl.model({ inputs: flatInput, outputs: head(x, classes), name: 'flat' });
  seedWeights(flat, 5);

  const bbInput = tfl.input({ shape: [size, size, 3] });
  let y: ST = bbInput;
  for (const layer of backboneLayers()) y = layer.apply(y) as ST;
  const backbone = tfl.model({ inputs: bbInput, outputs: y, name: 'backbone' });
  const input = tfl.input({ shape: [size, size, 3], name: 'photo' });
  const features = backbone.apply(input) as ST;
  const nested = tfl.model({ inputs: input, outputs: head(features, classes), name: 'classifier' });
  const weights = flat.getWeights();
  nested.setWeights(weights);
  return { flat, nested };
}

/**
 * Two branches from a shared stem, two outputs: `grade` (softmax over 3, from branch A's `a_features`) and
 * `lesions` (sigmoid over 4, from branch B's `b_features`).
 */
export function twoBranchNet({ size = 12 }: SmallNetArgs = {}) {
  const input = tfl.input({ shape: [size, size, 3] });
  const stem = tfl.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'stem' })
    .apply(input) as ST;
  const a = tfl.layers
    .conv2d({
      filters: 5,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
      name: 'a_features',
    })
    .apply(stem) as ST;
  const b = tfl.layers
    .conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'b_features' })
    .apply(stem) as ST;
  const gradeOut = tfl.layers
    .dense({ units: 3, activation: 'softmax', name: 'grade' })
    .apply(tfl.layers.globalAveragePooling2d({ name: 'a_pool' }).apply(a) as ST) as ST;
  const lesionOut = tfl.layers
    .dense({ units: 4, activation: 'sigmoid', name: 'lesions' })
    .apply(tfl.layers.globalAveragePooling2d({ name: 'b_pool' }).apply(b) as ST) as ST;
  const model = tfl.model({ inputs: input, outputs: [gradeOut, lesionOut], name: 'two_branch' });
  seedWeights(model, 3);
  return model;
}

/** Deterministic test images in 0-1, [n, size, size, c]. */
export function testImages(n: number, size: number, c = 3, seed = 1): tf.Tensor4D {
  let s = seed;
  const values = Float32Array.from({ length: n * size * size * c }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  });
  return tf.tensor4d(values, [n, size, size, c]);
}

/**
 * The class activation map of Zhou et al. 2016 from the feature maps and the dense kernel:
 * CAM_c(i, j) = Σ_k W[k, c]·A(i, j, k), in float64. Returns [N][h][w] for the given class per image.
 */
export function referenceCam(features: number[][][][], kernel: number[][], classes: number[]): number[][][] {
  return features.map((image, n) =>
    image.map((row) =>
      row.map((a) => a.reduce((sum, v, k) => sum + v * (kernel[k]?.[classes[n] ?? 0] ?? 0), 0)),
    ),
  );
}
