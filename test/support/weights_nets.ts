import * as tfl from '@tensorflow/tfjs-layers';

/**
 * The tiny nets of scripts/fixtures/make_weights_fixtures.py, built with tf.layers under Keras-style
 * layer names, so the fixture .h5 files load into them by name.
 */

type S = tfl.SymbolicTensor;

function conv(x: S, filters: number, kernelSize: number, name: string, strides = 1, activation?: 'relu'): S {
  return tfl.layers.conv2d({ filters, kernelSize, strides, padding: 'same', activation, name }).apply(x) as S;
}

function bn(x: S, name: string): S {
  return tfl.layers.batchNormalization({ axis: 3, epsilon: 1.001e-5, name }).apply(x) as S;
}

function relu(x: S, name: string): S {
  return tfl.layers.activation({ activation: 'relu', name }).apply(x) as S;
}

/** VGG-like: 8×8×3 → 2 conv blocks → fc1 (8) → predictions (`classes`, softmax). */
export function vggTiny(classes = 3): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 3], name: 'input_1' });
  let x = conv(input, 4, 3, 'block1_conv1', 1, 'relu');
  x = conv(x, 4, 3, 'block1_conv2', 1, 'relu');
  x = tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: 'block1_pool' }).apply(x) as S;
  x = conv(x, 6, 3, 'block2_conv1', 1, 'relu');
  x = tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: 'block2_pool' }).apply(x) as S;
  x = tfl.layers.flatten({ name: 'flatten' }).apply(x) as S;
  x = tfl.layers.dense({ units: 8, activation: 'relu', name: 'fc1' }).apply(x) as S;
  const out = tfl.layers.dense({ units: classes, activation: 'softmax', name: 'predictions' }).apply(x) as S;
  return tfl.model({ inputs: input, outputs: out, name: 'vgg_tiny' });
}

/** ResNet-like: 16×16×3, strided conv + BN, 'same' max pool, one bottleneck block with projection, strided conv. */
export function resnetTiny({ includeTop = true, name = 'resnet_tiny' } = {}): tfl.LayersModel {
  const input = tfl.input({ shape: [16, 16, 3], name: 'input_1' });
  let x = relu(bn(conv(input, 4, 3, 'conv1_conv', 2), 'conv1_bn'), 'conv1_relu');
  x = tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'pool1_pool' }).apply(x) as S;
  const shortcut = bn(conv(x, 8, 1, 'conv2_block1_0_conv'), 'conv2_block1_0_bn');
  let y = relu(bn(conv(x, 2, 1, 'conv2_block1_1_conv'), 'conv2_block1_1_bn'), 'conv2_block1_1_relu');
  y = relu(bn(conv(y, 2, 3, 'conv2_block1_2_conv'), 'conv2_block1_2_bn'), 'conv2_block1_2_relu');
  y = bn(conv(y, 8, 1, 'conv2_block1_3_conv'), 'conv2_block1_3_bn');
  x = tfl.layers.add({ name: 'conv2_block1_add' }).apply([shortcut, y]) as S;
  x = relu(x, 'conv2_block1_out');
  x = relu(bn(conv(x, 6, 3, 'conv3_conv', 2), 'conv3_bn'), 'conv3_relu');
  x = tfl.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as S;
  if (includeTop)
    x = tfl.layers.dense({ units: 3, activation: 'softmax', name: 'predictions' }).apply(x) as S;
  return tfl.model({ inputs: input, outputs: x, name });
}

/** The tiny ResNet (no top) nested as one layer of an outer model, under a 2-unit sigmoid `head`. */
export function nestedClassifier(): tfl.LayersModel {
  const backbone = resnetTiny({ includeTop: false });
  const input = tfl.input({ shape: [16, 16, 3], name: 'input_2' });
  const features = backbone.apply(input) as S;
  const out = tfl.layers.dense({ units: 2, activation: 'sigmoid', name: 'head' }).apply(features) as S;
  return tfl.model({ inputs: input, outputs: out, name: 'classifier' });
}
