import * as tfl from '@tensorflow/tfjs-layers';
import { type BackboneArgs, resolveBackboneArgs } from './backbone_args.js';
import {
  apply,
  backboneInput,
  classifierOrPooling,
  finishBackbone,
  type Sym,
  scaled,
} from './build_helpers.js';

/** Convolutions per block: VGG-16 (configuration D) and VGG-19 (configuration E). */
const VGG_BLOCKS = { vgg16: [2, 2, 3, 3, 3], vgg19: [2, 2, 4, 4, 4] } as const;
const VGG_FILTERS = [64, 128, 256, 512, 512] as const;

/** Five 2×2 stride-2 max-pools: 32 px is the smallest input (Keras's `min_size`). */
export const VGG_MIN_SIZE = 32;

/** Builds VGG-16/19 with keras.applications' layers and names. @internal */
export async function buildVgg(arch: 'vgg16' | 'vgg19', args?: BackboneArgs): Promise<tfl.LayersModel> {
  const r = resolveBackboneArgs({ fn: arch, minSize: VGG_MIN_SIZE, flattenTop: true }, args);
  const input = backboneInput(r);
  let x: Sym = input;
  VGG_BLOCKS[arch].forEach((convs, b) => {
    for (let c = 1; c <= convs; c++) {
      x = apply(
        tfl.layers.conv2d({
          filters: scaled(VGG_FILTERS[b]!, r.widthMultiplier),
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          name: `block${b + 1}_conv${c}`,
        }),
        x,
      );
    }
    x = apply(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }), x);
  });
  const output = classifierOrPooling(x, r, (y) => {
    let z = apply(tfl.layers.flatten({ name: 'flatten' }), y);
    for (const name of ['fc1', 'fc2']) {
      z = apply(tfl.layers.dense({ units: scaled(4096, r.widthMultiplier), activation: 'relu', name }), z);
    }
    return z;
  });
  return finishBackbone(input, output, r);
}
