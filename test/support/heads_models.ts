import * as tfl from '@tensorflow/tfjs-layers';

/** A tiny conv backbone with a 4-D output: conv (4 filters) → batch norm → relu on 8×8×3 inputs. */
export function tinyConvBackbone(name = 'tiny_conv'): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 3], name: `${name}_input` });
  const conv = tfl.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: `${name}_conv` })
    .apply(input) as tfl.SymbolicTensor;
  const bn = tfl.layers.batchNormalization({ name: `${name}_bn` }).apply(conv) as tfl.SymbolicTensor;
  const relu = tfl.layers
    .activation({ activation: 'relu', name: `${name}_relu` })
    .apply(bn) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: relu, name });
}

/** A tiny backbone with a 2-D feature-vector output: dense 6 (tanh) on 5 inputs. */
export function tinyVectorBackbone(name = 'tiny_vec'): tfl.LayersModel {
  const input = tfl.input({ shape: [5], name: `${name}_input` });
  const dense = tfl.layers
    .dense({ units: 6, activation: 'tanh', name: `${name}_dense` })
    .apply(input) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: dense, name });
}
