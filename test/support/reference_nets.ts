import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * Networks with the topology of the backbones fundus-kit ships, built with plain tf.layers. Tests and
 * benchmarks use them to drive every kernel a backward pass asks for (until src/architectures lands,
 * they are also the ResNet-50 the benchmark times). `width` scales channel counts for small variants.
 */

function ch(channels: number, width: number): number {
  return Math.max(1, Math.round(channels * width));
}

function convBn(x: tfl.SymbolicTensor, filters: number, kernel: number, strides: number, name: string) {
  const conv = tfl.layers
    .conv2d({ filters, kernelSize: kernel, strides, padding: 'same', name: `${name}_conv` })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.layers
    .batchNormalization({ axis: 3, epsilon: 1.001e-5, name: `${name}_bn` })
    .apply(conv) as tfl.SymbolicTensor;
}

function relu(x: tfl.SymbolicTensor, name: string) {
  return tfl.layers.activation({ activation: 'relu', name }).apply(x) as tfl.SymbolicTensor;
}

/** A Keras-style ResNet bottleneck block (`conv{stage}_block{n}_*`), stride on the first 1×1 conv as in keras.applications. */
function bottleneck(
  x: tfl.SymbolicTensor,
  filters: number,
  strides: number,
  projection: boolean,
  name: string,
): tfl.SymbolicTensor {
  const shortcut = projection ? convBn(x, 4 * filters, 1, strides, `${name}_0`) : x;
  let y = relu(convBn(x, filters, 1, strides, `${name}_1`), `${name}_1_relu`);
  y = relu(convBn(y, filters, 3, 1, `${name}_2`), `${name}_2_relu`);
  y = convBn(y, 4 * filters, 1, 1, `${name}_3`);
  const sum = tfl.layers.add({ name: `${name}_add` }).apply([shortcut, y]) as tfl.SymbolicTensor;
  return relu(sum, `${name}_out`);
}

export interface ReferenceNetArgs {
  inputSize: number;
  classes: number;
  /** Channel multiplier (1 = the published widths). */
  width?: number;
  /** Blocks per stage; ResNet-50 is [3, 4, 6, 3]. */
  blocks?: number[];
  /** Dropout rate where the published net has dropout (0 makes gradients deterministic). */
  dropout?: number;
}

/** ResNet-50 (v1, keras.applications layout) with a softmax head. */
export function resnetShaped({
  inputSize,
  classes,
  width = 1,
  blocks = [3, 4, 6, 3],
}: ReferenceNetArgs): tfl.LayersModel {
  const input = tfl.input({ shape: [inputSize, inputSize, 3], name: 'input' });
  let x = tfl.layers.zeroPadding2d({ padding: 3, name: 'conv1_pad' }).apply(input) as tfl.SymbolicTensor;
  x = tfl.layers
    .conv2d({ filters: ch(64, width), kernelSize: 7, strides: 2, name: 'conv1_conv' })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .batchNormalization({ axis: 3, epsilon: 1.001e-5, name: 'conv1_bn' })
    .apply(x) as tfl.SymbolicTensor;
  x = relu(x, 'conv1_relu');
  x = tfl.layers.zeroPadding2d({ padding: 1, name: 'pool1_pad' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }).apply(x) as tfl.SymbolicTensor;
  blocks.forEach((count, stage) => {
    const filters = ch(64 * 2 ** stage, width);
    for (let b = 0; b < count; b++) {
      const strides = b === 0 && stage > 0 ? 2 : 1;
      x = bottleneck(x, filters, strides, b === 0, `conv${stage + 2}_block${b + 1}`);
    }
  });
  x = tfl.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({ units: classes, activation: 'softmax', name: 'predictions' })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out, name: 'resnet50_shaped' });
}

/** VGG-style stack: 3×3 convs, 2×2 max-pools, dropout between dense layers. */
export function vggShaped({
  inputSize,
  classes,
  width = 1,
  blocks = [2, 2, 3, 3, 3],
  dropout = 0.5,
}: ReferenceNetArgs): tfl.LayersModel {
  const input = tfl.input({ shape: [inputSize, inputSize, 3] });
  let x: tfl.SymbolicTensor = input;
  blocks.forEach((count, stage) => {
    for (let c = 0; c < count; c++) {
      x = tfl.layers
        .conv2d({
          filters: ch(64 * 2 ** Math.min(stage, 3), width),
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          name: `block${stage + 1}_conv${c + 1}`,
        })
        .apply(x) as tfl.SymbolicTensor;
    }
    x = tfl.layers
      .maxPooling2d({ poolSize: 2, strides: 2, name: `block${stage + 1}_pool` })
      .apply(x) as tfl.SymbolicTensor;
  });
  x = tfl.layers.flatten().apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .dense({ units: ch(4096, width), activation: 'relu', name: 'fc1' })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dropout({ rate: dropout }).apply(x) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({ units: classes, activation: 'softmax', name: 'predictions' })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

/** Local response normalisation as AlexNet and GoogLeNet use it (tf.layers has no LRN layer). */
class LocalResponseNorm extends tfl.layers.Layer {
  static readonly className = 'FundusTestLRN';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.localResponseNormalization(x as tf.Tensor4D, 2, 2, 1e-4, 0.75);
  }
}

/** AlexNet-style: 11×11 stride-4 stem, LRN, overlapping 3×3 max-pools, dropout. */
export function alexnetShaped({
  inputSize,
  classes,
  width = 1,
  dropout = 0.5,
}: ReferenceNetArgs): tfl.LayersModel {
  const input = tfl.input({ shape: [inputSize, inputSize, 3] });
  let x = tfl.layers
    .conv2d({ filters: ch(64, width), kernelSize: 11, strides: 4, padding: 'same', activation: 'relu' })
    .apply(input) as tfl.SymbolicTensor;
  x = new LocalResponseNorm({}).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 3, strides: 2 }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .conv2d({ filters: ch(192, width), kernelSize: 5, padding: 'same', activation: 'relu' })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 3, strides: 2 }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .conv2d({ filters: ch(384, width), kernelSize: 3, padding: 'same', activation: 'relu' })
    .apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.flatten().apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dropout({ rate: dropout }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dense({ units: ch(256, width), activation: 'relu' }).apply(x) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: classes, activation: 'softmax' }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

/** GoogLeNet-style: inception blocks (parallel 1×1 / 3×3 / 5×5 / pool branches, concatenated), LRN, avg-pool head. */
export function googlenetShaped({
  inputSize,
  classes,
  width = 1,
  dropout = 0.4,
}: ReferenceNetArgs): tfl.LayersModel {
  const conv = (x: tfl.SymbolicTensor, f: number, k: number, s = 1) =>
    tfl.layers
      .conv2d({ filters: ch(f, width), kernelSize: k, strides: s, padding: 'same', activation: 'relu' })
      .apply(x) as tfl.SymbolicTensor;
  const inception = (
    x: tfl.SymbolicTensor,
    f1: number,
    f3r: number,
    f3: number,
    f5r: number,
    f5: number,
    fp: number,
  ) => {
    const pool = tfl.layers
      .maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' })
      .apply(x) as tfl.SymbolicTensor;
    return tfl.layers
      .concatenate({ axis: 3 })
      .apply([
        conv(x, f1, 1),
        conv(conv(x, f3r, 1), f3, 3),
        conv(conv(x, f5r, 1), f5, 5),
        conv(pool, fp, 1),
      ]) as tfl.SymbolicTensor;
  };
  const input = tfl.input({ shape: [inputSize, inputSize, 3] });
  let x = conv(input, 64, 7, 2);
  x = tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x) as tfl.SymbolicTensor;
  x = new LocalResponseNorm({}).apply(x) as tfl.SymbolicTensor;
  x = conv(conv(x, 64, 1), 192, 3);
  x = inception(x, 64, 96, 128, 16, 32, 32);
  x = tfl.layers
    .averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' })
    .apply(x) as tfl.SymbolicTensor;
  x = inception(x, 128, 128, 192, 32, 96, 64);
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dropout({ rate: dropout }).apply(x) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: classes, activation: 'softmax' }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}
