// Running a constructed model: one Input node per input shape, then `model(*inputs)` through the
// interpreter; outputs are the tensors found in whatever forward returns.

import type { Shape } from "../../ir/types";
import type { NativeContext, PyInstance, PyTensor, Value } from "../../interp/values";
import { tensorOrUndefined, tensorValue } from "./nodes";

export function runTorchModel(ctx: NativeContext, model: PyInstance, inputShapes: Shape[]): { inputs: string[]; outputs: string[] } {
  const inputs: PyTensor[] = inputShapes.map((shape, i) => {
    const hint = i === 0 ? "input" : `input_${i}`;
    const id = ctx.graph.addNode(
      { op: "Input", category: "input", name: hint, inputs: [], shape: [...shape], scope: "", attrs: { shape }, idHint: hint },
      ctx.site(),
    );
    return tensorValue([...shape], id);
  });
  const result = ctx.call(model, inputs);
  const outputs: string[] = [];
  collectOutputs(ctx, result, outputs, new Set());
  return { inputs: inputs.map((t) => t.node), outputs };
}

/** Tensors in a forward result: a tensor, or tuples/lists/dicts (and output objects) holding them. */
function collectOutputs(ctx: NativeContext, v: Value, out: string[], seen: Set<Value>): void {
  if (seen.has(v)) return;
  seen.add(v);
  const t = v.kind === "tensor" ? v : v.kind === "instance" ? tensorOrUndefined(ctx, v) : undefined;
  if (t) {
    if (!out.includes(t.node)) out.push(t.node);
    return;
  }
  if (v.kind === "tuple" || v.kind === "list") for (const x of v.items) collectOutputs(ctx, x, out, seen);
  else if (v.kind === "dict") for (const { value } of v.map.values()) collectOutputs(ctx, value, out, seen);
  else if (v.kind === "instance") for (const x of v.dict.values()) collectOutputs(ctx, x, out, seen);
}
