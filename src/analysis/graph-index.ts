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
  const irIndex = new Map<string, number>();
  ir.nodes.forEach((n, i) => irIndex.set(n.id, i));

  const count = ir.nodes.length;
  const irPreds: number[][] = ir.nodes.map((n) => distinctKnown(n.inputs, irIndex));
  const topological = irPreds.every((ps, i) => ps.every((p) => p < i)); // execution order: the common case
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

  const inputIds = new Set(ir.inputs);
  const fromInput = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const n = nodes[i];
    // The model's declared inputs; constants such as a Parameter or torch.zeros(...) are "input"
    // category nodes too, but do not start tensors that flow from the model inputs.
    if (inputIds.has(n.id) || (inputIds.size === 0 && n.category === "input")) fromInput[i] = 1;
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

function distinctKnown(ids: string[], index: Map<string, number>): number[] {
  const out: number[] = [];
  for (const id of ids) {
    const i = index.get(id);
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
