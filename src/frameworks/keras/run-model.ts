// The analyzer's entry into a Keras model: which nodes are its inputs and outputs, and its
// count_params() totals. Functional models already hold their graph; Sequential and
// subclassed models are run here on InputLayers when they have not been run yet.

import type { ParamTotals, Shape } from "../../ir/types";
import { type NativeContext, type PyInstance, type Value, list } from "../../interp/values";
import { flattenTensors } from "./emit";
import { makeInput } from "./input";
import { layerState } from "./layer-state";
import { ModelClass, buildSequential, sequentialInputError } from "./model";
import { formatShape } from "./shapes";
import { paramTotalsOf } from "./totals";

export function isKerasModel(v: Value): boolean {
  return v.kind === "instance" && v.cls.mro.includes(ModelClass);
}

/** Same shapes apart from the batch dimension (an unknown dim matches anything). */
function compatible(a: Shape[], b: Shape[]): boolean {
  return (
    a.length === b.length &&
    a.every((s, i) => s.length === b[i].length && s.every((d, j) => j === 0 || d === null || b[i][j] === null || d === b[i][j]))
  );
}

export function runKerasModel(
  ctx: NativeContext,
  model: PyInstance,
  inputShapes: Shape[] | undefined,
): { inputs: string[]; outputs: string[]; paramTotals: ParamTotals } {
  const st = layerState(ctx, model);
  const m = st.model;
  let inputs: string[];
  let outputs: string[];
  if (m?.kind === "functional") {
    inputs = flattenTensors(m.inputs).map((t) => t.node);
    outputs = flattenTensors(m.outputs).map((t) => t.node);
  } else if (m?.kind === "sequential") {
    const built = buildSequential(ctx, model, inputShapes?.[0]);
    if (!built) ctx.raise("ValueError", sequentialInputError(st.name));
    inputs = [built.input.node];
    outputs = [built.output.node];
  } else {
    const last = st.lastCall;
    if (last && (!inputShapes || compatible(last.inputShapes, inputShapes))) {
      inputs = last.inputs;
      outputs = last.outputs;
    } else {
      if (!inputShapes || inputShapes.length === 0) {
        ctx.raise(
          "ValueError",
          `Model '${st.name}' is a subclassed model: its input shape is needed, e.g. call model.build((None, 224, 224, 3)) or pass the input shape to the analysis.`,
        );
      }
      const ins = inputShapes.map((s) => makeInput(ctx, s));
      const out = ctx.call(model, [ins.length === 1 ? ins[0] : list(ins)]);
      const outs = flattenTensors(out);
      if (outs.length === 0) {
        ctx.raise("ValueError", `Model '${st.name}' returned no symbolic tensor for inputs ${inputShapes.map(formatShape).join(", ")}.`);
      }
      inputs = ins.map((t) => t.node);
      outputs = outs.map((t) => t.node);
    }
  }
  return { inputs, outputs, paramTotals: paramTotalsOf(ctx, [model]) };
}
