// Memory check before allocating: weights plus the peak of live activations (each freed after its
// last consumer, as the forward pass does) plus the largest single activation for a layer's
// transient intermediates (pad, transpose; an attention's scores and softmax, which grow with the
// square of the sequence), plus the folded copies of conv filters that fused BatchNorms need, all
// float32. Over the limit, a sentence saying what to do.

import type { GraphIR, IRNode } from "../ir/types";
import { planFusion, type FusionGroup } from "./fusion";
import { layerHasBias } from "./lower-types";

export interface MemoryEstimate {
  weightBytes: number;
  /** Convs with a BatchNorm folded in keep a scaled copy of their filter and a bias (fusion.ts). */
  foldedBytes: number;
  activationBytes: number;
  totalBytes: number;
}

function elements(shape: (number | null)[] | null, batch: number): number {
  if (!shape) return 0;
  return shape.reduce<number>((p, d, i) => p * (i === 0 ? batch : (d ?? 1)), 1);
}

/** Output channels of a conv node (PyTorch NCHW: dim 1; Keras channels_last: the last dim). */
function channelsOut(shape: (number | null)[] | null, framework: GraphIR["framework"]): number {
  const c = shape ? (framework === "pytorch" ? shape[1] : shape[shape.length - 1]) : null;
  return typeof c === "number" ? c : 0;
}

/** Positions of an attention input: PyTorch's L of (L, N, E) / (N, L, E); Keras's axes between batch and features. */
function positions(n: IRNode, shape: (number | null)[] | null | undefined): number {
  if (!shape) return 1;
  if (n.op === "MultiheadAttention") return (n.attrs.batch_first === true ? shape[1] : shape[0]) ?? 1;
  return shape.slice(1, -1).reduce<number>((p, d) => p * (d ?? 1), 1);
}

/** Elements an attention step holds at once inside its step: scores and softmax, [N, heads, L, S] each. */
function transientElements(n: IRNode, batch: number): number {
  const heads = n.attrs.num_heads;
  if ((n.op !== "MultiheadAttention" && n.op !== "MultiHeadAttention") || typeof heads !== "number") return 0;
  const query = n.inputShapes[0];
  // A sequence-first PyTorch query (L, N, E) has its batch second.
  const sequenceFirst = n.op === "MultiheadAttention" && n.attrs.batch_first !== true;
  const samples = sequenceFirst ? (query?.[1] ?? 1) : batch;
  // Keys and values have the same positions; the last input is one of them (or the query itself).
  return 2 * samples * heads * positions(n, query) * positions(n, n.inputShapes[n.inputShapes.length - 1]);
}

/** `fusion`: the fusion plan the build will use (false: none); a caller that has it already passes it. */
export function estimateMemory(ir: GraphIR, batch: number, fusion: ReadonlyMap<string, FusionGroup> | false = planFusion(ir)): MemoryEstimate {
  let weights = 0;
  for (const n of ir.nodes) if (!n.reuseOf) weights += n.params + n.buffers;
  let folded = 0;
  if (fusion) {
    const byId = new Map(ir.nodes.map((n) => [n.id, n]));
    for (const g of fusion.keys()) {
      const conv = byId.get(g)!;
      const outC = channelsOut(conv.shape, ir.framework);
      // Filter copy (params less a bias, if any) plus the folded bias.
      folded += conv.params - (layerHasBias(conv.attrs) ? outC : 0) + outC;
    }
  }
  const lastUse = new Map<string, number>();
  ir.nodes.forEach((n, i) => n.inputs.forEach((id) => lastUse.set(id, i)));
  const outputs = new Set(ir.outputs);
  const sizeOf = new Map(ir.nodes.map((n) => [n.id, elements(n.shape, batch) * 4]));
  let live = 0;
  let peak = 0;
  let largest = 0;
  ir.nodes.forEach((n, i) => {
    const size = sizeOf.get(n.id) ?? 0;
    live += size;
    largest = Math.max(largest, size, transientElements(n, batch) * 4);
    peak = Math.max(peak, live);
    for (const id of new Set(n.inputs)) if (lastUse.get(id) === i && !outputs.has(id)) live -= sizeOf.get(id) ?? 0;
  });
  const activationBytes = peak + largest;
  const weightBytes = weights * 4;
  const foldedBytes = folded * 4;
  return { weightBytes, foldedBytes, activationBytes, totalBytes: weightBytes + foldedBytes + activationBytes };
}

export function formatMB(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The error sentence for a model over the limit, or undefined when it fits. */
export function memoryProblem(modelName: string, batch: number, est: MemoryEstimate, limitBytes: number): string | undefined {
  if (est.totalBytes <= limitBytes) return undefined;
  return (
    `${modelName} needs about ${formatMB(est.totalBytes)} at batch ${batch} (weights ${formatMB(est.weightBytes)}` +
    `${est.foldedBytes > 0 ? ` + BN folded into convs ${formatMB(est.foldedBytes)}` : ""} + activations ${formatMB(est.activationBytes)}), above the memory limit of ${formatMB(limitBytes)}; lower the batch or the input size, or raise the limit.`
  );
}
