import * as tfl from '@tensorflow/tfjs-layers';
import { type BackboneArgs, type ResolvedBackboneArgs, resolveBackboneArgs } from './backbone_args.js';
import {
  apply,
  backboneInput,
  classifierOrPooling,
  finishBackbone,
  type Sym,
  scaled,
} from './build_helpers.js';

interface ResNetConfig {
  block: 'basic' | 'bottleneck';
  blocks: readonly number[];
  /** Biases on the convolutions (Keras: yes; torchvision: no, BN follows). */
  useBias: boolean;
  epsilon: number;
  /**
   * Batch-norm moving-average momentum: Keras's 0.99 for the keras.applications net, 0.9 for the torchvision
   * ones (PyTorch's momentum 0.1 counts the other way), whose moving statistics then settle in tens of steps.
   */
  momentum: number;
}

const RESNETS: Record<'resnet18' | 'resnet34' | 'resnet50', ResNetConfig> = {
  resnet18: { block: 'basic', blocks: [2, 2, 2, 2], useBias: false, epsilon: 1e-5, momentum: 0.9 },
  resnet34: { block: 'basic', blocks: [3, 4, 6, 3], useBias: false, epsilon: 1e-5, momentum: 0.9 },
  resnet50: { block: 'bottleneck', blocks: [3, 4, 6, 3], useBias: true, epsilon: 1.001e-5, momentum: 0.99 },
};

/** keras.applications' `min_size` for ResNet (every layer would still give ≥ 1 pixel below it). */
export const RESNET_MIN_SIZE = 32;

class ResNetParts {
  constructor(
    private readonly r: ResolvedBackboneArgs,
    private readonly config: ResNetConfig,
  ) {}

  ch(n: number): number {
    return scaled(n, this.r.widthMultiplier);
  }

  convBn(
    x: Sym,
    filters: number,
    kernel: number,
    strides: number,
    name: string,
    padding: 'same' | 'valid',
  ): Sym {
    const y = apply(
      tfl.layers.conv2d({
        filters,
        kernelSize: kernel,
        strides,
        padding,
        useBias: this.config.useBias,
        name: `${name}_conv`,
      }),
      x,
    );
    return apply(
      tfl.layers.batchNormalization({
        axis: 3,
        epsilon: this.config.epsilon,
        momentum: this.config.momentum,
        name: `${name}_bn`,
      }),
      y,
    );
  }

  relu(x: Sym, name: string): Sym {
    return apply(tfl.layers.activation({ activation: 'relu', name }), x);
  }

  /** 3×3 convolution with PyTorch's symmetric padding 1 (an explicit pad when strided, where `same` would differ). */
  conv3x3Bn(x: Sym, filters: number, strides: number, name: string): Sym {
    if (strides === 1) return this.convBn(x, filters, 3, 1, name, 'same');
    const padded = apply(tfl.layers.zeroPadding2d({ padding: 1, name: `${name}_pad` }), x);
    return this.convBn(padded, filters, 3, strides, name, 'valid');
  }

  finish(shortcut: Sym, y: Sym, name: string): Sym {
    return this.relu(apply(tfl.layers.add({ name: `${name}_add` }), [shortcut, y]), `${name}_out`);
  }

  /** Keras's bottleneck (ResNet v1 `block1`): stride on the first 1×1 convolution; projection on each stage's first block. */
  bottleneck(x: Sym, filters: number, strides: number, projection: boolean, name: string): Sym {
    const shortcut = projection ? this.convBn(x, 4 * filters, 1, strides, `${name}_0`, 'valid') : x;
    let y = this.relu(this.convBn(x, filters, 1, strides, `${name}_1`, 'valid'), `${name}_1_relu`);
    y = this.relu(this.convBn(y, filters, 3, 1, `${name}_2`, 'same'), `${name}_2_relu`);
    y = this.convBn(y, 4 * filters, 1, 1, `${name}_3`, 'valid');
    return this.finish(shortcut, y, name);
  }

  /** torchvision's BasicBlock: two 3×3 convolutions, stride on the first; projection when the shape changes. */
  basic(x: Sym, filters: number, strides: number, name: string): Sym {
    const inChannels = x.shape[3];
    const projection = strides !== 1 || inChannels !== filters;
    const shortcut = projection ? this.convBn(x, filters, 1, strides, `${name}_0`, 'valid') : x;
    const y = this.relu(this.conv3x3Bn(x, filters, strides, `${name}_1`), `${name}_1_relu`);
    return this.finish(shortcut, this.conv3x3Bn(y, filters, 1, `${name}_2`), name);
  }
}

/** Builds a ResNet v1 with keras.applications' layer names. @internal */
export async function buildResNet(arch: keyof typeof RESNETS, args?: BackboneArgs): Promise<tfl.LayersModel> {
  const r = resolveBackboneArgs({ fn: arch, minSize: RESNET_MIN_SIZE, flattenTop: false }, args);
  const config = RESNETS[arch];
  const p = new ResNetParts(r, config);
  const input = backboneInput(r);
  let x = apply(tfl.layers.zeroPadding2d({ padding: 3, name: 'conv1_pad' }), input);
  x = p.relu(p.convBn(x, p.ch(64), 7, 2, 'conv1', 'valid'), 'conv1_relu');
  x = apply(tfl.layers.zeroPadding2d({ padding: 1, name: 'pool1_pad' }), x);
  x = apply(tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }), x);
  config.blocks.forEach((count, s) => {
    const filters = p.ch(64 * 2 ** s);
    for (let b = 1; b <= count; b++) {
      const strides = b === 1 && s > 0 ? 2 : 1;
      const name = `conv${s + 2}_block${b}`;
      x =
        config.block === 'bottleneck'
          ? p.bottleneck(x, filters, strides, b === 1, name)
          : p.basic(x, filters, strides, name);
    }
  });
  const output = classifierOrPooling(x, r, (y) =>
    apply(tfl.layers.globalAveragePooling2d({ name: 'avg_pool' }), y),
  );
  return finishBackbone(input, output, r);
}
