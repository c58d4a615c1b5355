import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { conv2dReluTraining, conv2dReluTrainingPerInput } from './conv_relu_training.js';

/** The parts of tfjs-layers' Conv2D this patch reads (its fields are not in the public types). */
interface ConvLayer {
  rank: number;
  dataFormat: string;
  strides: number[];
  padding: string;
  dilationRate: number | number[];
  useBias: boolean;
  kernel: tfl.LayerVariable;
  bias: tfl.LayerVariable | null;
  activation: { getClassName(): string };
  inboundNodes: InboundNode[];
}

interface InboundNode {
  inboundLayers: { getClassName(): string; weights: unknown[]; inboundNodes: InboundNode[] }[];
}

type Call = (this: unknown, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor;

let original: Call | undefined;

/**
 * Makes a tfjs-layers `Conv2D` fed by a model input (a backbone's stem, through its zero padding) compute as a plain convolution
 * plus bias while gradients are recorded, instead of TF.js's fused convolution. The fused op's gradient computes
 * the gradient of every input at once, so a training step also computed the stem's input gradient, which nothing
 * uses: 0.28 s of a ResNet-50 step at batch 8 on wasm (the 7×7/2 stem's input gradient costs 2.6 times its
 * forward pass). The plain op's gradient is computed per input, and TF.js skips the input's when no weight
 * depends on it; when one does (a trainable layer before a nested backbone) it is still computed, so results are
 * the same either way. A Conv2D with bias and ReLU (VGG, AlexNet) runs in training as one taped op that keeps only
 * its output (`conv2dReluTraining`): TF.js splits it into three and keeps all three outputs, 1.35 GB of a
 * VGG-16 step at batch 8; when that layer is fed by a model input (VGG's and AlexNet's first), each of its gradients
 * is its own op (`conv2dReluTrainingPerInput`), so the 3-channel input gradient is skipped too. Inference keeps the
 * fused kernel. Idempotent; `setupBackend` calls it.
 *
 * @returns whether this call installed it.
 * @throws Never.
 */
export function registerInputConvTraining(): boolean {
  if (original !== undefined) return false;
  const prototype = conv2dPrototype();
  original = prototype.call;
  const fallback = original;
  prototype.call = function call(this: unknown, inputs, kwargs) {
    const layer = this as ConvLayer;
    if (reluEligible(layer)) {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      const op = fedByModelInput(layer) ? conv2dReluTrainingPerInput : conv2dReluTraining;
      return op(x, layer.kernel.read() as tf.Tensor4D, layer.bias!.read() as tf.Tensor1D, {
        strides: layer.strides as [number, number],
        pad: layer.padding as 'same' | 'valid',
      });
    }
    const eligible =
      tf.engine().state.gradientDepth > 0 &&
      layer.rank === 2 &&
      layer.dataFormat === 'channelsLast' &&
      layer.activation.getClassName() === 'linear' &&
      fedByModelInput(layer);
    if (!eligible) return fallback.call(this, inputs, kwargs);
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      const dilations = layer.dilationRate as [number, number] | number;
      let y: tf.Tensor = tf.conv2d(
        x,
        layer.kernel.read() as tf.Tensor4D,
        layer.strides as [number, number],
        layer.padding as 'same' | 'valid',
        'NHWC',
        dilations,
      );
      if (layer.useBias && layer.bias !== null) y = tf.add(y, layer.bias.read());
      return y;
    });
  };
  return true;
}

/** A Conv2D with bias and ReLU, run while gradients are recorded (see {@link conv2dReluTraining}). */
function reluEligible(layer: ConvLayer): boolean {
  const dilations = [layer.dilationRate].flat();
  return (
    tf.engine().state.gradientDepth > 0 &&
    layer.rank === 2 &&
    layer.dataFormat === 'channelsLast' &&
    layer.activation.getClassName() === 'relu' &&
    layer.useBias &&
    layer.bias !== null &&
    dilations.every((d) => d === 1) &&
    (layer.padding === 'same' || layer.padding === 'valid')
  );
}

/** Puts tfjs-layers' own Conv2D call back (for tests comparing the two). */
export function unregisterInputConvTraining(): void {
  if (original === undefined) return;
  conv2dPrototype().call = original;
  original = undefined;
}

/**
 * Whether the layer's input comes from a model input through weight-free layers only (a stem's zero padding),
 * in every call of it: then no weight of this model depends on the layer's input gradient.
 */
function fedByModelInput(layer: ConvLayer): boolean {
  const upstreamFree = (nodes: InboundNode[], depth: number): boolean =>
    depth < 8 &&
    nodes.length > 0 &&
    nodes.every((n) =>
      n.inboundLayers.every(
        (l) =>
          l.getClassName() === 'InputLayer' ||
          (l.weights.length === 0 && upstreamFree(l.inboundNodes, depth + 1)),
      ),
    );
  return upstreamFree(layer.inboundNodes, 0);
}

/** tfjs-layers' Conv2D prototype, from the class registry (no layer is made, so no automatic name is used). */
function conv2dPrototype(): { call: Call } {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap.Conv2D;
  const cls =
    entry?.[0] ?? Object.getPrototypeOf(tfl.layers.conv2d({ filters: 1, kernelSize: 1 })).constructor;
  return (cls as { prototype: { call: Call } }).prototype;
}
