// Whether the totals are exact or only what the analyzer could count. A layer whose size depends on
// data the analyzer cannot see has its weights counted as 0 (with a warning at the layer), an opaque
// node has no MACs, and a graph that never reaches the model's outputs misses layers: the totals
// are then lower bounds, and the table and JSON say so next to the number, not only in stderr.

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

/** The stubs' sentences for a layer whose weights could not be sized (src/frameworks/keras/*). */
const WEIGHTS_UNKNOWN = /\b((its weights are|its scale is|it is) counted as 0( parameters)?|its weights are not counted)\.$/;

/** The layer such a warning names: `Dense 'dense' needs ...` or `Weight 'w' of layer 'block' ...`. */
function layerNamed(message: string): string | undefined {
  return (/ of layer '([^']+)'/.exec(message) ?? /^\S+ '([^']+)'/.exec(message))?.[1];
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function completenessOf(ir: GraphIR, diagnostics: Diagnostic[]): Completeness {
  // Only layers of this graph shown without weights: a warning about another model in the file, or
  // about a first build that a later run at the --input size sized, says nothing of these totals.
  const names = new Set(ir.nodes.filter((n) => n.params === 0 && n.reuseOf === undefined).map((n) => n.name));
  const unsized = new Set<string>();
  for (const d of diagnostics) {
    if (d.severity !== "warning" || !WEIGHTS_UNKNOWN.test(d.message)) continue;
    const name = layerNamed(d.message);
    if (name !== undefined && names.has(name)) unsized.add(name);
  }
  const emptyGraph = !ir.nodes.some((n) => n.category !== "input");
  const outputsMissing = !emptyGraph && ir.outputs.length === 0;
  const opaque = ir.nodes.filter((n) => n.opaque !== undefined).length;
  const openInput = diagnostics.some((d) => d.code === "open-input-size");

  const params: string[] = [];
  const macs: string[] = [];
  if (unsized.size > 0) {
    params.push(count(unsized.size, "layer's parameters unknown", "layers' parameters unknown"));
    macs.push(count(unsized.size, "layer's MACs unknown", "layers' MACs unknown"));
  }
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
  if (openInput) macs.push("input size open");
  return { complete: params.length === 0 && macs.length === 0, params, macs, emptyGraph };
}

/** " (incomplete: ...)" after a total, or nothing when it is exact. */
export function incompleteNote(reasons: string[]): string {
  return reasons.length === 0 ? "" : ` (incomplete: ${reasons.join("; ")})`;
}
