// Model totals: params as the framework counts them (from ir.paramTotals), MACs summed over nodes,
// FLOPs = 2 x MACs, paper depth, and activation memory.

import type { GraphIR, IRNode, Shape } from "../ir/types";
import { paperDepth } from "./depth";
import type { GraphIndex } from "./graph-index";

export interface ModelTotals {
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** PyTorch buffers (BN running stats); not parameters. */
  buffers: number;
  macs: number;
  flops: number;
  depth: number;
  nodes: number;
  /** Sum of every node's output elements x 4 bytes (float32, unknown dims = 1). */
  activationBytes: number;
}

export interface NodeShare {
  /** Share of the model's MACs, 0..100. */
  macsPercent: number;
  /** Share of the model's params, 0..100. */
  paramsPercent: number;
}

const FLOAT32_BYTES = 4;

export function computeTotals(ir: GraphIR, index?: GraphIndex): ModelTotals {
  let macs = 0;
  let activationBytes = 0;
  for (const n of ir.nodes) {
    macs += n.macs;
    // An output marker aliases the tensor it marks; counting it would double that tensor.
    if (n.category !== "output") activationBytes += elementCount(n.shape) * FLOAT32_BYTES;
  }
  return {
    params: ir.paramTotals.params,
    trainableParams: ir.paramTotals.trainableParams,
    nonTrainableParams: ir.paramTotals.nonTrainableParams,
    buffers: ir.paramTotals.buffers,
    macs,
    flops: 2 * macs,
    depth: paperDepth(ir, index),
    nodes: ir.nodes.length,
    activationBytes,
  };
}

/** Elements in a tensor of this shape; unknown dimensions (batch None) count as 1, unknown shapes as 0. */
export function elementCount(shape: Shape | null): number {
  if (!shape) return 0;
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i] ?? 1;
  return n;
}

export function nodeShare(n: IRNode, totals: Pick<ModelTotals, "macs" | "params">): NodeShare {
  return {
    macsPercent: totals.macs > 0 ? (100 * n.macs) / totals.macs : 0,
    paramsPercent: totals.params > 0 ? (100 * n.params) / totals.params : 0,
  };
}

/** Per-node shares keyed by node id. */
export function nodeShares(ir: GraphIR, totals: Pick<ModelTotals, "macs" | "params">): Map<string, NodeShare> {
  return new Map(ir.nodes.map((n) => [n.id, nodeShare(n, totals)]));
}
