import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * Internal: walks a functional model's graph from its outputs back to its inputs, descending into nested models
 * (a model used as a layer), so splitAt and featureLayers see every layer of a backbone nested in a larger model.
 */

export type Layer = tfl.layers.Layer;
export type LayerNode = Layer['inboundNodes'][number];
export type Sym = tfl.SymbolicTensor;

/** One application of a (nested) model: the root, or a nested model called at `node` inside `parent`. */
export interface Scope {
  model: tfl.LayersModel;
  parent: Scope | null;
  node: LayerNode | null;
  /** Names of the nested models from the root down to this one (empty for the root). */
  path: string[];
}

/** A model used as a layer (functional or sequential), recognised by shape so it works across bundles. */
export function isNestedModel(layer: Layer): layer is tfl.LayersModel {
  const l = layer as unknown as { inputs?: unknown; outputs?: unknown; layers?: unknown };
  return Array.isArray(l.inputs) && Array.isArray(l.outputs) && Array.isArray(l.layers);
}

/** The scopes of one model, created once so that walks over it agree on identity. */
export class ScopeTree {
  readonly root: Scope;
  private readonly children = new Map<Scope, Map<LayerNode, Scope>>();

  constructor(model: tfl.LayersModel) {
    this.root = { model, parent: null, node: null, path: [] };
  }

  child(scope: Scope, node: LayerNode, model: tfl.LayersModel): Scope {
    let byNode = this.children.get(scope);
    if (byNode === undefined) {
      byNode = new Map();
      this.children.set(scope, byNode);
    }
    let c = byNode.get(node);
    if (c === undefined) {
      c = { model, parent: scope, node, path: [...scope.path, model.name] };
      byNode.set(node, c);
    }
    return c;
  }
}

export interface WalkHandler<V> {
  /** Value of one of the root model's inputs. */
  input(tensor: Sym): V;
  /** A value that replaces `tensor` in `scope` (and everything behind it), or undefined to walk on. */
  intercept?(tensor: Sym, scope: Scope): V | undefined;
  /** Values of `node`'s outputs (a plain layer, not a nested model) given its inputs' values. */
  apply(layer: Layer, node: LayerNode, scope: Scope, inputs: V[]): V[];
  /** Called once for each application of a nested model, before its inside is walked. */
  enterModel?(model: tfl.LayersModel, node: LayerNode, outer: Scope): void;
}

/** Evaluates tensors of a model graph with `handler`, each node once per scope, in topological order. */
export class GraphWalk<V> {
  private readonly memo = new Map<Scope, Map<LayerNode, V[]>>();

  constructor(
    private readonly tree: ScopeTree,
    private readonly handler: WalkHandler<V>,
  ) {}

  value(tensor: Sym, scope: Scope = this.tree.root): V {
    const intercepted = this.handler.intercept?.(tensor, scope);
    if (intercepted !== undefined) return intercepted;
    const inputIndex = scope.model.inputs.indexOf(tensor);
    if (inputIndex >= 0) {
      if (scope.parent === null || scope.node === null) return this.handler.input(tensor);
      return this.value(scope.node.inputTensors[inputIndex]!, scope.parent);
    }
    const layer = tensor.sourceLayer as Layer;
    const node = layer.inboundNodes[tensor.nodeIndex];
    if (node === undefined) throw new Error(`graph walk: '${layer.name}' has no node ${tensor.nodeIndex}`);
    let byNode = this.memo.get(scope);
    if (byNode === undefined) {
      byNode = new Map();
      this.memo.set(scope, byNode);
    }
    let outputs = byNode.get(node);
    if (outputs === undefined) {
      if (isNestedModel(layer)) {
        this.handler.enterModel?.(layer, node, scope);
        const inner = this.tree.child(scope, node, layer);
        outputs = layer.outputs.map((o) => this.value(o, inner));
      } else {
        const inputs = node.inputTensors.map((t) => this.value(t, scope));
        outputs = this.handler.apply(layer, node, scope, inputs);
      }
      byNode.set(node, outputs);
    }
    return outputs[tensor.tensorIndex] as V;
  }
}

/** One application of a layer found by {@link layerApplications}. */
export interface LayerApplication {
  layer: Layer;
  node: LayerNode;
  /** The scope the layer runs in (for a nested model: the scope it is called from). */
  scope: Scope;
}

/** Every layer application that the model's outputs depend on, nested models included, in topological order. */
export function layerApplications(tree: ScopeTree): LayerApplication[] {
  const found: LayerApplication[] = [];
  const walk = new GraphWalk<null>(tree, {
    input: () => null,
    apply(layer, node, scope) {
      found.push({ layer, node, scope });
      return node.outputTensors.map(() => null);
    },
    enterModel(model, node, outer) {
      found.push({ layer: model, node, scope: outer });
    },
  });
  for (const output of tree.root.model.outputs) walk.value(output);
  return found;
}
