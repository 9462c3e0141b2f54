// Shared setup for profiler tests: analyse an example, load a backend through the registry.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { analyze } from "../../src/analyze";
import type { GraphIR } from "../../src/ir/types";
import { buildPlan, consumerCounts, disposeOutputs, disposePlan, runPass, type Tf, type TfTensor } from "../../src/profile";

export const root = join(__dirname, "..", "..");

export function irOf(file: string, entry?: string, input?: number[][], text?: string): GraphIR {
  const r = analyze({ file, text: text ?? readFileSync(join(root, file), "utf8"), entry, input });
  if (!r.ir) throw new Error(`no IR for ${file}: ${r.diagnostics.map((d) => d.message).join(" ")}`);
  return r.ir;
}

/** Checks the `index` attrs the analyzer recorded on getitem nodes (the form lowerGetItem reads, src/profile/lower-view.ts). */
export function expectIndex(ir: GraphIR, index: Record<string, unknown[]>): GraphIR {
  for (const [id, want] of Object.entries(index)) assert.deepEqual(ir.nodes.find((n) => n.id === id)?.attrs.index, want, `index of ${id}`);
  return ir;
}

/** The index item of a whole axis, `:`. */
export const ALL = { kind: "slice", start: null, stop: null, step: null };

/** The analyzer's output shape of the model's first output, with the batch set. */
export function analyzerOutput(ir: GraphIR, batch: number): number[] {
  const out = ir.nodes.find((n) => n.id === ir.outputs[0])!;
  return out.shape!.map((d, i) => (i === 0 ? batch : (d as number)));
}

/** PyTorch weights in tfjs: parameters plus BN running mean/var (not num_batches_tracked). */
export function torchExpectedWeights(ir: GraphIR): number {
  let running = 0;
  for (const n of ir.nodes) if (!n.reuseOf && /^BatchNorm/.test(n.op) && n.attrs.track_running_stats === true) running += 2 * (n.attrs.num_features as number);
  return ir.paramTotals.params + running;
}

/** Largest |a - b| over two tensors (or value lists) of the same size. */
export function maxAbsDiff(a: TfTensor | ArrayLike<number>, b: TfTensor | ArrayLike<number>): number {
  const x = "dataSync" in a ? a.dataSync() : a;
  const y = "dataSync" in b ? b.dataSync() : b;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

/** The first output of one forward pass over a plan built with `seed`, fused as planFusion says or not at all. */
export function planOutput(tf: Tf, ir: GraphIR, opts: { fuse: boolean; seed: number }): { values: Float32Array; steps: number; weightCount: number } {
  const plan = buildPlan(tf, ir, { batch: 1, seed: opts.seed, ...(opts.fuse ? {} : { fusion: false }) });
  try {
    const outs = runPass(plan, consumerCounts(plan));
    const values = Float32Array.from(outs[0].dataSync());
    disposeOutputs(plan, outs);
    return { values, steps: plan.steps.length, weightCount: plan.weightCount };
  } finally {
    disposePlan(plan);
  }
}
