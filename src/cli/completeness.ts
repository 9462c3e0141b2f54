// Whether the totals are exact or only what the analyzer could count. A layer whose size depends on
// data the analyzer cannot see has its weights counted as 0 (its node marked `paramsUnknown`, with a
// warning at the layer), an opaque node has no MACs, and a graph that never reaches the model's
// outputs misses layers: the totals are then lower bounds, and the table and JSON say so next to
// the number, not only in stderr.

import type { Diagnostic, GraphIR } from "../ir/types";

export interface Completeness {
  /** True when every figure is exact. */
  complete: boolean;
  /** Why "Total params" is a lower bound (empty when exact), e.g. "1 layer's parameters unknown". */
  params: string[];
  /** Why "MACs" (and FLOPs) are a lower bound (empty when exact). */
  macs: string[];
  /** No layer or operation besides the inputs: nothing of the model was analysed. */
  emptyGraph: boolean;
}

/** An output size not known past the batch dimension. */
function hasOpenSize(shape: (number | null)[] | null | undefined): boolean {
  return !!shape && shape.some((d, i) => i > 0 && d === null);
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function completenessOf(ir: GraphIR, diagnostics: Diagnostic[]): Completeness {
  // Marked on the layer's first application in this graph only, so layers of another model in the
  // file say nothing of these totals.
  const unsized = ir.nodes.filter((n) => n.paramsUnknown);
  const emptyGraph = !ir.nodes.some((n) => n.category !== "input");
  const outputsMissing = !emptyGraph && ir.outputs.length === 0;
  const opaque = ir.nodes.filter((n) => n.opaque !== undefined).length;
  const openInput = diagnostics.some((d) => d.code === "open-input-size");

  const params: string[] = [];
  const macs: string[] = [];
  if (unsized.length > 0) {
    params.push(count(unsized.length, "layer's parameters unknown", "layers' parameters unknown"));
    // An opaque node's MACs are counted below, as an opaque node: say it once.
    const unsizedKnownOp = unsized.filter((n) => n.opaque === undefined).length;
    if (unsizedKnownOp > 0) macs.push(count(unsizedKnownOp, "layer's MACs unknown", "layers' MACs unknown"));
  }
  const unapplied = ir.paramTotals.unappliedUnknownModules ?? 0;
  if (unapplied > 0) params.push(count(unapplied, "unmodelled module's parameters unknown (never applied)", "unmodelled modules' parameters unknown (never applied)"));
  const skipped = ir.paramTotals.skippedAttributes ?? [];
  if (skipped.length > 0) params.push(`${count(skipped.length, "module attribute", "module attributes")} missing after skipped statements: ${listed(skipped)}`);
  const unsizedParams = ir.paramTotals.unsizedParameters ?? [];
  if (unsizedParams.length > 0) params.push(`${count(unsizedParams.length, "parameter", "parameters")} of unknown shape: ${listed(unsizedParams)}`);
  if (emptyGraph) {
    // PyTorch counts parameters from the module tree, which exists without a graph; Keras from the graph.
    if (ir.framework !== "pytorch") params.push("empty graph");
    macs.push("empty graph");
  }
  if (outputsMissing) {
    if (ir.framework !== "pytorch") params.push("the graph does not reach the model's outputs");
    macs.push("the graph does not reach the model's outputs");
  }
  if (opaque > 0) macs.push(count(opaque, "opaque node", "opaque nodes"));
  // A conv or dense layer whose output size is open past the batch (a reshape to a size read from the
  // tensor at run time) has MACs that depend on that size: 0 here, so the total is a lower bound.
  // An Input left open says so once, below, for all the layers after it.
  const openSized = openInput ? 0 : ir.nodes.filter((n) => (n.category === "conv" || n.category === "dense") && n.params > 0 && !n.paramsUnknown && n.macs === 0 && hasOpenSize(n.shape)).length;
  if (openSized > 0) macs.push(count(openSized, "layer's MACs unknown (size open)", "layers' MACs unknown (sizes open)"));
  if (openInput) macs.push("input size open");
  return { complete: params.length === 0 && macs.length === 0, params, macs, emptyGraph };
}

/** The first few of a list of causes, then how many more. */
function listed(items: string[]): string {
  const shown = items.slice(0, 3).join(", ");
  return items.length > 3 ? `${shown} and ${items.length - 3} more` : shown;
}

/** " (incomplete: ...)" after a total, or nothing when it is exact. */
export function incompleteNote(reasons: string[]): string {
  return reasons.length === 0 ? "" : ` (incomplete: ${reasons.join("; ")})`;
}
