// Collects IR nodes as stubs report layer applications: unique stable ids, reuse of one layer
// object counted once, sites attached.

import type { GraphSink, NewNode, NodeUpdate } from "../interp/values";
import type { IRNode, SourceSite } from "./types";

export class GraphBuilder implements GraphSink {
  readonly nodes: IRNode[] = [];
  private readonly ids = new Set<string>();
  private readonly firstApplication = new Map<number, string>();
  /** Next suffix to try per id stem: repeated stems stay O(1) each (a loop may build thousands). */
  private readonly nextSuffix = new Map<string, number>();
  /** Per node whose shape descends from one assumed for an unmodelled layer: that layer's node (shape-assumptions.ts). */
  private readonly assumedAt = new Map<string, string>();
  /** The unmodelled class each assuming node stands for. */
  private readonly assumingClass = new Map<string, string>();

  addNode(n: NewNode, applied: SourceSite): string {
    const stem = n.idHint || n.name || n.op;
    let id = stem;
    const before = this.ids.size;
    // Added at once: the set grows unless the stem is taken, one hash lookup in the usual case.
    if (this.ids.add(id).size === before) {
      let i = this.nextSuffix.get(stem) ?? 1;
      while (this.ids.has((id = `${stem}_${i}`))) i++;
      this.nextSuffix.set(stem, i + 1);
      this.ids.add(id);
    }

    let params = n.params ?? 0;
    let trainable = n.trainableParams ?? params;
    let nonTrainable = n.nonTrainableParams ?? params - trainable;
    let buffers = n.buffers ?? 0;
    let reuseOf: string | undefined;
    const layer = n.layer;
    if (layer) {
      const first = this.firstApplication.get(layer.uid);
      if (first !== undefined) {
        reuseOf = first;
        params = trainable = nonTrainable = buffers = 0;
      } else this.firstApplication.set(layer.uid, id);
    }
    const node: IRNode = {
      id,
      op: n.op,
      category: n.category,
      name: n.name,
      attrs: n.attrs ?? {},
      inputs: n.inputs.map((t) => t.node),
      shape: n.shape,
      inputShapes: n.inputs.map((t) => t.shape),
      params,
      trainableParams: trainable,
      nonTrainableParams: nonTrainable,
      buffers,
      macs: n.macs ?? 0,
      scope: n.scope ?? "",
      applied,
    };
    if (layer) node.layer = `layer${layer.uid}`;
    if (reuseOf) node.reuseOf = reuseOf;
    if (n.created) node.created = n.created;
    if (n.opaque) node.opaque = n.opaque;
    if (n.paramsUnknown && !reuseOf) node.paramsUnknown = true;
    this.nodes.push(node);
    if (n.assumesShapeOf !== undefined) {
      this.assumedAt.set(id, id);
      this.assumingClass.set(id, n.assumesShapeOf);
    } else if (this.assumedAt.size > 0) {
      for (const t of n.inputs) {
        const at = this.assumedAt.get(t.node);
        if (at !== undefined) {
          this.assumedAt.set(id, at);
          break;
        }
      }
    }
    return id;
  }

  /** The unmodelled class whose assumed output shape node `id`'s shape descends from, and that class's node. */
  shapeAssumption(id: string): { className: string; node: string } | undefined {
    const at = this.assumedAt.get(id);
    return at === undefined ? undefined : { className: this.assumingClass.get(at)!, node: at };
  }

  /** Whether any node's shape descends from an assumed one: the usual answer, no, needs no search. */
  get assumesShapes(): boolean {
    return this.assumingClass.size > 0;
  }

  updateNode(id: string, patch: NodeUpdate): boolean {
    // Rare (a Keras model re-run at a given input size): a search keeps addNode free of an index.
    const node = this.nodes.find((n) => n.id === id);
    if (!node) return false;
    if (patch.shape !== undefined) node.shape = patch.shape;
    if (patch.inputShapes !== undefined) node.inputShapes = patch.inputShapes;
    if (patch.macs !== undefined) node.macs = patch.macs;
    if (patch.attrs !== undefined) node.attrs = { ...node.attrs, ...patch.attrs };
    // A layer's weights go on its first application (perhaps in another model); later ones keep 0.
    const owner = node.reuseOf === undefined ? node : this.nodes.find((n) => n.id === node.reuseOf);
    if (patch.params !== undefined && owner) {
      owner.params = patch.params;
      owner.trainableParams = patch.trainableParams ?? patch.params;
      owner.nonTrainableParams = patch.nonTrainableParams ?? patch.params - owner.trainableParams;
    }
    if (patch.paramsUnknown !== undefined && owner) {
      if (patch.paramsUnknown) owner.paramsUnknown = true;
      else delete owner.paramsUnknown;
    }
    return true;
  }
}
