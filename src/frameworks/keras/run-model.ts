// The analyzer's entry into a Keras model: which nodes are its inputs and outputs, and its
// count_params() totals. Functional models already hold their graph; Sequential and
// subclassed models are run here on InputLayers when they have not been run yet.

import type { ParamTotals, Shape } from "../../ir/types";
import { type NativeContext, type PyInstance, type Value, list, unknownCode } from "../../interp/values";
import { flattenTensors } from "./emit";
import { makeInput } from "./input";
import { type LayerState, layerState } from "./layer-state";
import { ModelClass, buildSequential, sequentialInputError } from "./model";
import { formatShape } from "./shapes";
import { modelNodeIds, rerunAtInputShapes } from "./replay";
import { kerasState } from "./state";
import { asClause } from "./clause";
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
      const shapes = inputShapes.map(formatShape).join(", ");
      // An unknown result was left by a statement already reported inside call(): said as a follow-on.
      if (out.kind === "unknown") ctx.raise("ValueError", `Model '${st.name}' gave a value the analyzer cannot know for inputs ${shapes} (${asClause(out.why)})`, unknownCode(out));
      if (outs.length === 0) ctx.raise("ValueError", `Model '${st.name}' returned no symbolic tensor for inputs ${shapes}.`);
      inputs = ins.map((t) => t.node);
      outputs = outs.map((t) => t.node);
    }
  }
  if (outputs.length === 0) {
    const given = m?.kind === "functional" ? m.outputs : undefined;
    const lost = m?.kind !== "functional" ? st.lastCall?.unknownResult : undefined;
    const why = given?.kind === "unknown" ? `: ${asClause(given.why)}` : given ? ` (got ${ctx.repr(given)})` : lost ? `: ${asClause(lost)}` : "";
    warnAtModel(ctx, st, `The outputs of model '${st.name}' are not symbolic Keras tensors${why}; the layers that lead to them are missing from the graph.`);
  } else if (m?.kind === "functional") {
    warnLostOutputs(ctx, st, m.outputs);
  }
  if (inputShapes) fitInputShapes(ctx, st.name, inputs, outputs, inputShapes);
  warnOpenSizes(ctx, st.name, inputs, outputs);
  return { inputs, outputs, paramTotals: paramTotalsOf(ctx, [model]) };
}

/**
 * Outputs given as a list (or dict) where some items are not tensors: the model would silently have
 * fewer outputs than the code gives it, so each lost one is named, as a single lost output is.
 */
function warnLostOutputs(ctx: NativeContext, st: LayerState, outputs: Value): void {
  const entries: [string, Value][] =
    outputs.kind === "list" || outputs.kind === "tuple"
      ? outputs.items.map((v, i) => [`Output ${i + 1}`, v])
      : outputs.kind === "dict"
        ? [...outputs.map.values()].map((e) => [`Output ${ctx.repr(e.key)}`, e.value])
        : [];
  for (const [which, v] of entries) {
    if (flattenTensors(v).length > 0) continue;
    const why = v.kind === "unknown" ? `: ${asClause(v.why)}` : ` (got ${ctx.repr(v)})`;
    warnAtModel(ctx, st, `${which} of ${entries.length} of model '${st.name}' is not a symbolic Keras tensor${why}; the layers that lead to it are missing from the graph.`);
  }
}

/** A no-output warning points at the line that made the model (keras.Model(inputs, outputs)). */
function warnAtModel(ctx: NativeContext, st: LayerState, message: string): void {
  if (st.created && ctx.warnAt) ctx.warnAt(st.created, message, "no-output");
  else ctx.warn(message, "no-output");
}

const isOpen = (s: Shape | null | undefined): boolean => !s || s.slice(1).some((d) => d === null);

/**
 * A given input shape (--input) for a model built on Inputs with open dims (None): the model is run
 * again at that size, as Keras runs a functional model called on new tensors. A shape that does not
 * fit the declared one is ignored, with a warning.
 */
function fitInputShapes(ctx: NativeContext, name: string, inputs: string[], outputs: string[], given: Shape[]): void {
  const declared = inputs.map((id) => kerasState(ctx).nodes.get(id)?.shape ?? null);
  if (declared.length !== given.length || !compatible(declared.map((s) => s ?? []), given)) {
    const theirs = declared.length > 0 ? `the input of model '${name}', ${declared.map(formatShape).join(", ")}` : `model '${name}', whose inputs could not be computed`;
    warnAtInput(ctx, inputs, `The given input shape ${given.map(formatShape).join(", ")} does not fit ${theirs}; it is ignored.`, "input-mismatch");
    return;
  }
  if (!declared.some(isOpen)) return;
  // Known dims stay as declared (the batch too: None counts as 1); open ones take the given size.
  const fitted = declared.map((s, i) => s!.map((d, j) => (j === 0 || d !== null ? d : given[i][j])));
  const why = rerunAtInputShapes(ctx, inputs, outputs, fitted);
  if (why) {
    warnAtInput(ctx, inputs, `Model '${name}' could not be run again at the given input shape ${given.map(formatShape).join(", ")}: ${asClause(why)}. Its open dimensions stay unknown.`, "input-rerun");
  }
}

/** One warning when conv/dense layers (or nested models) have unknown output sizes: their MACs count as 0. */
function warnOpenSizes(ctx: NativeContext, name: string, inputs: string[], outputs: string[]): void {
  const records = kerasState(ctx).nodes;
  const shapes = inputs.map((id) => records.get(id)?.shape ?? null);
  // Sizes left open by a layer's own unknown hyperparameter (Dense(n_classes) from data) are warned about where it is made.
  if (!shapes.some(isOpen)) return;
  const open = modelNodeIds(ctx, inputs, outputs).filter((id) => {
    const r = records.get(id)!;
    return (r.category === "conv" || r.category === "dense" || r.op === "Functional") && isOpen(r.shape);
  }).sort((a, b) => records.get(a)!.order - records.get(b)!.order);
  if (open.length === 0) return;
  const layersNamed = open.slice(0, 3).map((id) => `'${id}'`).join(", ") + (open.length > 3 ? ", ..." : "");
  const plural = open.length === 1 ? "" : "s";
  // A size to suggest, in the model's own layout: images 224 x 224, other open dims (sequences) 128.
  const sized = (shapes.find(isOpen) ?? [null]).slice(1).map((d, _, rest) => d ?? (rest.length === 3 ? 224 : 128));
  const tuple = `(${sized.join(", ")}${sized.length === 1 ? "," : ""})`;
  warnAtInput(ctx, inputs,
    `In model '${name}', ${open.length} conv/dense layer${plural} or nested model${plural} (${layersNamed}) ` +
      `${open.length === 1 ? "has an unknown output size" : "have unknown output sizes"} because the input size is open (${shapes.map(formatShape).join(", ")}); ` +
      `${open.length === 1 ? "its MACs are" : "their MACs are"} counted as 0. Give the Input a size, e.g. keras.Input(shape=${tuple}) ` +
      `or input_shape=${tuple}, or pass one with --input ${[1, ...sized].join(",")}.`,
    "open-input-size",
  );
}

/** Warnings about a model's input size point at its (first) Input, not at whatever the analysis ran last. */
function warnAtInput(ctx: NativeContext, inputs: string[], message: string, code: string): void {
  const site = kerasState(ctx).nodes.get(inputs[0] ?? "")?.site;
  if (site && ctx.warnAt) ctx.warnAt(site, message, code);
  else ctx.warn(message, code);
}
