// Memory check before allocating: weights plus the peak of live activations (each freed after its
// last consumer, as the forward pass does) plus the largest single activation for a layer's
// transient intermediates (pad, transpose), all float32. Over the limit, a sentence saying what to do.

import type { GraphIR } from "../ir/types";

export interface MemoryEstimate {
  weightBytes: number;
  activationBytes: number;
  totalBytes: number;
}

function elements(shape: (number | null)[] | null, batch: number): number {
  if (!shape) return 0;
  return shape.reduce<number>((p, d, i) => p * (i === 0 ? batch : (d ?? 1)), 1);
}

export function estimateMemory(ir: GraphIR, batch: number): MemoryEstimate {
  let weights = 0;
  for (const n of ir.nodes) if (!n.reuseOf) weights += n.params + n.buffers;
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
    largest = Math.max(largest, size);
    peak = Math.max(peak, live);
    for (const id of new Set(n.inputs)) if (lastUse.get(id) === i && !outputs.has(id)) live -= sizeOf.get(id) ?? 0;
  });
  const activationBytes = peak + largest;
  const weightBytes = weights * 4;
  return { weightBytes, activationBytes, totalBytes: weightBytes + activationBytes };
}

export function formatMB(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The error sentence for a model over the limit, or undefined when it fits. */
export function memoryProblem(modelName: string, batch: number, est: MemoryEstimate, limitBytes: number): string | undefined {
  if (est.totalBytes <= limitBytes) return undefined;
  return (
    `${modelName} needs about ${formatMB(est.totalBytes)} at batch ${batch} (weights ${formatMB(est.weightBytes)} + activations ` +
    `${formatMB(est.activationBytes)}), above the memory limit of ${formatMB(limitBytes)}; lower the batch or the input size, or raise the limit.`
  );
}
