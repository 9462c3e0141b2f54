// Integer-indexed view of a GraphIR shared by the analyses: a topological order, predecessor and
// successor lists, and which nodes carry tensors that flow from the model inputs. Analyses work on
// small integers and typed arrays instead of string maps so that a 20,000-node graph stays cheap.

import type { GraphIR, IRNode } from "../ir/types";

export interface GraphIndex {
  /** Nodes in topological order (IR order wherever the IR order is already topological). */
  nodes: IRNode[];
  /** Node id -> topological index. */
  indexOf: Map<string, number>;
  /** Distinct producers of each node, as topological indices (unknown ids dropped). */
  preds: number[][];
  /**
   * 1 when the node is reachable from a model input (or is one). Constants such as `torch.zeros(...)`
   * are not: they never make a fork, and edges from them are ignored when looking for forks.
   */
  fromInput: Uint8Array;
}

export function indexGraph(ir: GraphIR): GraphIndex {
  const count = ir.nodes.length;
  const irIndex = new Map<string, number>();
  for (let i = 0; i < count; i++) irIndex.set(ir.nodes[i].id, i);

  const irPreds: number[][] = [];
  let topological = true; // execution order: the common case
  for (let i = 0; i < count; i++) {
    const ps = distinctKnown(ir.nodes[i].inputs, irIndex);
    irPreds.push(ps);
    if (topological) for (const p of ps) if (p >= i) topological = false;
  }
  const order = topological ? null : kahnOrder(irPreds);
  let nodes = ir.nodes;
  let indexOf = irIndex;
  let preds = irPreds;
  if (order) {
    const position = new Int32Array(count);
    order.forEach((irPos, topo) => (position[irPos] = topo));
    nodes = order.map((i) => ir.nodes[i]);
    indexOf = new Map<string, number>();
    nodes.forEach((n, i) => indexOf.set(n.id, i));
    preds = order.map((irPos) => irPreds[irPos].map((p) => position[p]));
  }

  // The model's declared inputs; constants such as a Parameter or torch.zeros(...) are "input"
  // category nodes too, but do not start tensors that flow from the model inputs.
  const fromInput = markDeclaredInputs(ir.inputs, nodes, indexOf);
  const anyDeclared = ir.inputs.length > 0;
  for (let i = 0; i < count; i++) {
    if (fromInput[i]) continue;
    if (!anyDeclared && nodes[i].category === "input") fromInput[i] = 1;
    else for (const p of preds[i]) if (fromInput[p] && p < i) fromInput[i] = 1;
  }
  // An IR without any input node (e.g. a hand-made graph) still has tensors flowing from its sources.
  if (!fromInput.includes(1)) for (let i = 0; i < count; i++) fromInput[i] = 1;
  return { nodes, indexOf, preds, fromInput };
}

/**
 * Kahn's algorithm, always taking the lowest IR position that is ready, so the result stays close
 * to execution order. A cycle (never expected) leaves nodes that are appended in IR order.
 */
function kahnOrder(irPreds: number[][]): number[] {
  const count = irPreds.length;
  const waiting = new Int32Array(count);
  const irSuccs: number[][] = irPreds.map(() => []);
  irPreds.forEach((ps, i) => {
    waiting[i] = ps.length;
    for (const p of ps) irSuccs[p].push(i);
  });
  const order: number[] = [];
  const placed = new Uint8Array(count);
  const heap = new MinHeap();
  for (let i = 0; i < count; i++) if (waiting[i] === 0) heap.push(i);
  while (heap.size > 0) {
    const i = heap.pop();
    placed[i] = 1;
    order.push(i);
    for (const s of irSuccs[i]) if (--waiting[s] === 0) heap.push(s);
  }
  if (order.length < count) for (let i = 0; i < count; i++) if (!placed[i]) order.push(i);
  return order;
}

/** 1 for every node whose id is a declared model input. */
function markDeclaredInputs(inputs: string[], nodes: IRNode[], indexOf: Map<string, number>): Uint8Array {
  const marked = new Uint8Array(nodes.length);
  if (indexOf.size === nodes.length) {
    for (const id of inputs) {
      const i = indexOf.get(id);
      if (i !== undefined) marked[i] = 1;
    }
  } else {
    // Repeated ids (a hand-made IR): every node that carries an input's id counts, not only the last.
    const inputIds = new Set(inputs);
    for (let i = 0; i < nodes.length; i++) if (inputIds.has(nodes[i].id)) marked[i] = 1;
  }
  return marked;
}

function distinctKnown(ids: string[], index: Map<string, number>): number[] {
  if (ids.length === 1) {
    // Most nodes have one producer: a literal is sized for it, where a push would reserve room for many.
    const i = index.get(ids[0]);
    return i === undefined ? [] : [i];
  }
  const out: number[] = [];
  for (let k = 0; k < ids.length; k++) {
    const i = index.get(ids[k]);
    if (i !== undefined && !out.includes(i)) out.push(i);
  }
  return out;
}

/** A binary min-heap of integers (ready nodes by IR position). */
class MinHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(v: number): void {
    const a = this.items;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= a[i]) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }
  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/** Weighted layers are what the ResNet paper counts for depth: convolutions and dense layers. */
export function isWeightedLayer(n: IRNode): boolean {
  return (n.category === "conv" || n.category === "dense") && (n.params > 0 || n.reuseOf !== undefined);
}
