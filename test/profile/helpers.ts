// Shared setup for profiler tests: analyse an example, load a backend through the registry.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { analyze } from "../../src/analyze";
import type { GraphIR } from "../../src/ir/types";

export const root = join(__dirname, "..", "..");

export function irOf(file: string, entry?: string, input?: number[][], text?: string): GraphIR {
  const r = analyze({ file, text: text ?? readFileSync(join(root, file), "utf8"), entry, input });
  if (!r.ir) throw new Error(`no IR for ${file}: ${r.diagnostics.map((d) => d.message).join(" ")}`);
  return r.ir;
}

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
