// keras.Model (functional and subclassed) and keras.Sequential. Models are layers; their
// graphs are built from the layers' own calls, so every node is recorded exactly once.

import type { Shape } from "../../ir/types";
import {
  type Kwargs,
  type NativeContext,
  type PyClass,
  type PyInstance,
  type PyTensor,
  type Value,
  NONE,
  PyException,
  builtin,
  int,
  list,
  nativeClass,


  unknown,
} from "../../interp/values";
import { bindArgs, toBool } from "../../interp/args";
import { emitNode, flattenTensors, isKerasTensor, kerasTensor } from "./emit";
import { inputLayerTensor, isInputLayer, makeInput } from "./input";
import { LayerClass, baseLayerInit, callUserLayer, userDefines } from "./layer-class";
import { unknownInput } from "./builtin-def";
import { type LayerState, initLayerState, isKerasLayer, layerState, trackedSublayers } from "./layer-state";
import { formatShape, shapeToTuple, valueToShape } from "./shapes";
import { inlineModel, recordedCall, runAtInputShapes } from "./replay";
import { kerasState } from "./state";
import { asClause } from "./clause";
import { layerWeightAttr } from "./layer-build";
import { paramTotalsOf } from "./totals";
import { functionalLayers, functionalNodes } from "./graph-order";

const harmless = (name: string, result: (ctx: NativeContext) => Value = () => NONE): Value =>
  builtin(name, (_a, _k, ctx) => result(ctx));
const prop = (fget: (self: PyInstance, ctx: NativeContext) => Value): Value => ({
  kind: "property",
  fget: builtin("property", (args, _kw, ctx) => fget(args[0] as PyInstance, ctx)),
});

function modelInit(args: Value[], kwargs: Kwargs, ctx: NativeContext): Value {
  const self = args[0] as PyInstance;
  const a = bindArgs(ctx, "Model", args.slice(1), kwargs, ["inputs=", "outputs=", "name=", "trainable=", "**kwargs"]);
  const functional = a.inputs !== undefined && a.outputs !== undefined && a.inputs.kind !== "none";
  const name = a.name?.kind === "str" ? a.name.v : undefined;
  const isBareModel = self.cls === ModelClass;
  const st = initLayerState(ctx, self, {
    ...baseLayerInit(ctx, a.kwargs),
    name,
    trainable: toBool(ctx, a.trainable, true),
    defaultName: functional && isBareModel ? "functional" : undefined,
  });
  st.model = functional ? { kind: "functional", inputs: a.inputs!, outputs: a.outputs! } : { kind: "subclassed" };
  return NONE;
}

/** Output tensors shaped like `structure` (its tensors take `shapes` in turn), each with the nested model node's id. */
function mapOutputs(structure: Value, id: string, shapes: Shape[]): Value {
  if (isKerasTensor(structure)) return kerasTensor(shapes.shift() ?? structure.shape, id);
  if (structure.kind === "list" || structure.kind === "tuple") {
    return { kind: structure.kind, items: structure.items.map((v) => mapOutputs(v, id, shapes)) };
  }
  return structure;
}

/**
 * The nested model's MACs and output shapes for the given inputs. When they fill dims its own Inputs
 * leave open (a headless keras.applications base applied to 224x224 images), the model runs again at
 * that size, as Keras does; otherwise its nodes' own figures hold.
 */
function nestedFigures(ctx: NativeContext, st: LayerState, given: PyTensor[], tried?: ReturnType<typeof runAtInputShapes>): { macs: number; outputs: Shape[] } {
  if (st.model?.kind !== "functional") return { macs: 0, outputs: [] };
  const own = flattenTensors(st.model.inputs);
  const outs = flattenTensors(st.model.outputs);
  const batch = given[0]?.shape[0] ?? null;
  const inner = functionalNodes(ctx, st.model.inputs, st.model.outputs);
  const records = kerasState(ctx).nodes;
  const declared = {
    macs: inner.reduce((sum, n) => sum + (records.get(n)?.macs ?? 0), 0),
    outputs: outs.map((t) => [batch, ...t.shape.slice(1)]),
  };
  const fills = (t: PyTensor, i: number): boolean =>
    t.shape.some((d, j) => j > 0 && d === null && given[i]?.shape.length === t.shape.length && given[i].shape[j] !== null);
  if (!own.some(fills)) return declared;
  const shapes = own.map((t, i) => t.shape.map((d, j) => (j > 0 && d === null && given[i]?.shape.length === t.shape.length ? given[i].shape[j] : d)));
  // A run the caller already tried at these inputs is not repeated.
  const again = tried ?? runAtInputShapes(ctx, own.map((t) => t.node), outs.map((t) => t.node), shapes);
  if (typeof again === "string") {
    ctx.warn(`Model '${st.name}' could not be run again at its input size ${given.map((t) => formatShape(t.shape)).join(", ")}: ${asClause(again)}. Its MACs are those of its open-size layers.`, "input-rerun");
    return declared;
  }
  return { macs: again.macs, outputs: again.outputs.map((s, i) => (s ? [batch, ...s.slice(1)] : declared.outputs[i])) };
}

/**
 * A functional model applied to new tensors. As Keras does, its layers run again on them: inlined
 * into the caller's graph under the model's name, so a `keras.applications` base shows its layers
 * and residual blocks. Where that cannot be done, one node stands for the whole nested model.
 */
function callFunctional(ctx: NativeContext, self: PyInstance, st: LayerState, inputs: Value): Value {
  if (st.model?.kind !== "functional") return NONE;
  const given = flattenTensors(inputs);
  const own = flattenTensors(st.model.inputs);
  let fits = given.length === own.length;
  given.forEach((t, i) => {
    const want = own[i]?.shape;
    if (want && (want.length !== t.shape.length || want.some((d, j) => j > 0 && d !== null && t.shape[j] !== null && d !== t.shape[j]))) {
      ctx.reportError(`Model '${st.name}' expects input shape ${formatShape(want)}, got ${formatShape(t.shape)}.`, "shape-mismatch");
      fits = false;
    }
  });
  let tried: ReturnType<typeof runAtInputShapes> | undefined;
  if (fits) {
    const ownIds = own.map((t) => t.node);
    const outIds = flattenTensors(st.model.outputs).map((t) => t.node);
    // A scratch run first: inlining leaves the nodes it made in the graph if it fails half-way.
    tried = runAtInputShapes(ctx, ownIds, outIds, given.map((t) => t.shape));
    if (typeof tried !== "string") {
      const out = inlineModel(ctx, { name: st.name, layer: self }, ownIds, outIds, given, st.model.outputs);
      if (typeof out !== "string") return out;
    }
  }
  const totals = paramTotalsOf(ctx, [self]);
  const inner = functionalNodes(ctx, st.model.inputs, st.model.outputs);
  const { macs, outputs } = nestedFigures(ctx, st, given, tried);
  const id = emitNode(ctx, {
    layer: self,
    op: "Functional",
    category: "opaque",
    inputs: given,
    shape: outputs[0] ?? null,
    macs,
    attrs: { nestedNodes: inner.length },
    params: { params: totals.params, trainable: totals.trainableParams, nonTrainable: totals.nonTrainableParams },
    opaque: `Nested model '${st.name}' is shown as a single node.`,
  });
  return mapOutputs(st.model.outputs, id, outputs.slice());
}

function modelCall(args: Value[], kwargs: Kwargs, ctx: NativeContext): Value {
  const self = args[0] as PyInstance;
  const st = layerState(ctx, self);
  const inputs = args[1] ?? kwargs.get("inputs") ?? NONE;
  const skipped = unknownInput(ctx, () => `Model '${st.name}'`, inputs);
  if (skipped) return skipped;
  if (st.model?.kind === "functional") return callFunctional(ctx, self, st, inputs);
  if (st.model?.kind === "sequential") return applySequential(ctx, st, inputs);
  if (!userDefines(self.cls, "call")) {
    return ctx.raise("NotImplementedError", `Model '${st.name}' has no call() method and no inputs/outputs.`);
  }
  const topLevel = kerasState(ctx).userCalls.length === 0;
  const result = callUserLayer(ctx, self, args, kwargs);
  const ins = flattenTensors(inputs);
  if (topLevel && !st.lastCall && ins.length > 0) {
    st.lastCall = {
      inputs: ins.map((t) => t.node),
      outputs: flattenTensors(result).map((t) => t.node),
      inputShapes: ins.map((t) => t.shape),
      // What call() returned instead of tensors, said when the model turns out to have no outputs.
      unknownResult: result.kind === "unknown" ? result.why : undefined,
    };
  }
  return result;
}

// ---------- Sequential ----------

function sequentialLayers(st: LayerState): PyInstance[] {
  if (st.model?.kind !== "sequential") return [];
  return st.model.items.filter((v): v is PyInstance => isKerasLayer(v) && !isInputLayer(v));
}

function applySequential(ctx: NativeContext, st: LayerState, inputs: Value): Value {
  let x = inputs;
  for (const layer of sequentialLayers(st)) x = ctx.call(layer, [x]);
  return x;
}

/** Builds a Sequential once (creating its InputLayer); undefined when no input shape is known. */
export function buildSequential(ctx: NativeContext, self: PyInstance, shape?: Shape): { input: PyTensor; output: PyTensor } | undefined {
  const st = layerState(ctx, self);
  if (st.model?.kind !== "sequential") return undefined;
  if (st.model.built) return st.model.built;
  const first = st.model.items[0];
  let input: PyTensor | undefined;
  if (first && isKerasTensor(first)) input = first;
  else if (first && isInputLayer(first)) input = inputLayerTensor(ctx, first);
  else {
    const declared = sequentialLayers(st)[0];
    const batchShape = (declared && layerState(ctx, declared).batchInputShape) ?? shape;
    if (batchShape) input = makeInput(ctx, batchShape);
  }
  if (!input) return undefined;
  const out = applySequential(ctx, st, input);
  if (!isKerasTensor(out)) return undefined;
  st.model.built = { input, output: out };
  st.built = true;
  st.firstCall = { inputs: input, outputs: out };
  return st.model.built;
}

export function sequentialInputError(name: string): string {
  return `Sequential model '${name}' has no input shape: give its first layer input_shape=(...), start it with keras.Input(shape=(...)), or pass the input shape to the analysis.`;
}

/** What Keras sets on a model in compile() and fit(), which static analysis does not run. */
const TRAINING_ATTRS: Record<string, string> = {
  history: "model.history, the History that fit() records",
  optimizer: "model.optimizer, set by compile()",
  loss: "model.loss, set by compile()",
  compiled_loss: "model.compiled_loss, set by compile()",
  compiled_metrics: "model.compiled_metrics, set by compile()",
  metrics_names: "model.metrics_names, set by compile() and fit()",
};

/** A model attribute not found on the instance: training state is unknown, anything else as for any layer. */
function modelAttr(args: Value[], kwargs: Kwargs, ctx: NativeContext): Value {
  const name = args[1]?.kind === "str" ? args[1].v : "";
  const training = TRAINING_ATTRS[name];
  return training ? unknown(`${training}, which static analysis does not run`) : layerWeightAttr(args, kwargs, ctx);
}

export const ModelClass: PyClass = nativeClass("Model", "keras.models", [LayerClass], {
  __getattr__: builtin("__getattr__", modelAttr),
  __init__: builtin("__init__", modelInit),
  __call__: builtin("__call__", (args, kwargs, ctx) => recordedCall(ctx, args, kwargs, () => modelCall(args, kwargs, ctx))),
  summary: harmless("summary"),
  compile: harmless("compile"),
  fit: harmless("fit", () => unknown("Training is not analysed.")),
  evaluate: harmless("evaluate", () => unknown("Evaluation is not analysed.")),
  predict: harmless("predict", () => unknown("Prediction is not analysed.")),
  save: harmless("save"),
  save_weights: harmless("save_weights"),
  load_weights: harmless("load_weights"),
  to_json: harmless("to_json", () => unknown("Model serialisation is not analysed.")),
  build: builtin("build", (args, kwargs, ctx) => {
    const self = args[0] as PyInstance;
    const a = bindArgs(ctx, "build", args.slice(1), kwargs, ["input_shape="]);
    const st = layerState(ctx, self);
    const shapeV = a.input_shape;
    if (!shapeV || shapeV.kind === "none") return NONE;
    const multi = (shapeV.kind === "list" || shapeV.kind === "tuple") && shapeV.items.length > 0 && shapeV.items.every((v) => v.kind === "tuple" || v.kind === "list");
    const shapes = multi && (shapeV.kind === "list" || shapeV.kind === "tuple") ? shapeV.items.map((v) => valueToShape(ctx, v, "input_shape")) : [valueToShape(ctx, shapeV, "input_shape")];
    if (st.model?.kind === "sequential") buildSequential(ctx, self, shapes[0]);
    else if (st.model?.kind === "subclassed" && !st.lastCall) {
      const ins = shapes.map((s) => makeInput(ctx, s));
      ctx.call(self, [ins.length === 1 ? ins[0] : list(ins)]);
    }
    return NONE;
  }),
  count_params: builtin("count_params", (args, _kw, ctx) => {
    const self = args[0] as PyInstance;
    const st = layerState(ctx, self);
    if (st.model?.kind === "sequential" && !buildSequential(ctx, self)) {
      ctx.raise("ValueError", `${sequentialInputError(st.name)} count_params() needs a built model.`);
    }
    return int(paramTotalsOf(ctx, [self]).params);
  }),
  get_layer: builtin("get_layer", (args, kwargs, ctx) => {
    const self = args[0] as PyInstance;
    const a = bindArgs(ctx, "get_layer", args.slice(1), kwargs, ["name=", "index="]);
    const layers = modelLayers(ctx, self);
    if (a.index?.kind === "int") return layers[a.index.v] ?? ctx.raise("ValueError", `Model has no layer at index ${a.index.v}.`);
    const want = a.name?.kind === "str" ? a.name.v : "";
    const hit = layers.find((l) => layerState(ctx, l).name === want);
    return hit ?? ctx.raise("ValueError", `No such layer: ${want}. Existing layers are: ${layers.map((l) => layerState(ctx, l).name).join(", ")}.`);
  }),
  layers: prop((self, ctx) => list(modelLayers(ctx, self))),
  inputs: prop((self, ctx) => list(modelEnds(ctx, self, "inputs"))),
  outputs: prop((self, ctx) => list(modelEnds(ctx, self, "outputs"))),
  input: prop((self, ctx) => single(modelEnds(ctx, self, "inputs"))),
  output: prop((self, ctx) => single(modelEnds(ctx, self, "outputs"))),
  input_shape: prop((self, ctx) => shapesValue(modelEnds(ctx, self, "inputs"))),
  output_shape: prop((self, ctx) => shapesValue(modelEnds(ctx, self, "outputs"))),
});

const single = (ts: PyTensor[]): Value => (ts.length === 1 ? ts[0] : ts.length === 0 ? unknown("The model is not built.") : list(ts));
const shapesValue = (ts: PyTensor[]): Value =>
  ts.length === 1 ? shapeToTuple(ts[0].shape) : ts.length === 0 ? unknown("The model is not built.") : list(ts.map((t) => shapeToTuple(t.shape)));

/** A model's layers as `model.layers` lists them. */
export function modelLayers(ctx: NativeContext, self: PyInstance): PyInstance[] {
  const st = layerState(ctx, self);
  if (st.model?.kind === "functional") return functionalLayers(ctx, st.model.inputs, st.model.outputs);
  if (st.model?.kind === "sequential") return sequentialLayers(st);
  return trackedSublayers(self).map((s) => s.layer);
}

function modelEnds(ctx: NativeContext, self: PyInstance, which: "inputs" | "outputs"): PyTensor[] {
  const st = layerState(ctx, self);
  if (st.model?.kind === "functional") return flattenTensors(st.model[which]);
  if (st.model?.kind === "sequential") {
    const b = buildSequential(ctx, self);
    return b ? [which === "inputs" ? b.input : b.output] : [];
  }
  const fc = st.firstCall;
  return fc ? flattenTensors(which === "inputs" ? fc.inputs : fc.outputs) : [];
}

export const SequentialClass: PyClass = nativeClass("Sequential", "keras.models", [ModelClass], {
  __init__: builtin("__init__", (args, kwargs, ctx) => {
    const self = args[0] as PyInstance;
    const a = bindArgs(ctx, "Sequential", args.slice(1), kwargs, ["layers=", "trainable=", "name=", "**kwargs"]);
    const name = a.name?.kind === "str" ? a.name.v : undefined;
    const st = initLayerState(ctx, self, { name, trainable: toBool(ctx, a.trainable, true) });
    st.model = { kind: "sequential", items: a.layers && a.layers.kind !== "none" ? [...ctx.iterate(a.layers)] : [] };
    return NONE;
  }),
  add: builtin("add", (args, _kw, ctx) => {
    const self = args[0] as PyInstance;
    const st = layerState(ctx, self);
    const layer = args[1];
    if (!layer || st.model?.kind !== "sequential") return NONE;
    if (!isKerasTensor(layer) && !isKerasLayer(layer)) {
      ctx.raise("TypeError", `Sequential.add() expects a Keras layer, got ${ctx.repr(layer)}.`);
    }
    st.model.items.push(layer);
    const built = st.model.built;
    if (built && isKerasLayer(layer) && !isInputLayer(layer)) {
      const out = ctx.call(layer, [built.output]);
      if (isKerasTensor(out)) {
        built.output = out;
        st.firstCall = { inputs: built.input, outputs: out };
      }
    }
    return NONE;
  }),
  pop: builtin("pop", (args, _kw, ctx) => {
    const st = layerState(ctx, args[0] as PyInstance);
    if (st.model?.kind === "sequential") return st.model.items.pop() ?? NONE;
    return NONE;
  }),
  summary: builtin("summary", (args, _kw, ctx) => {
    try {
      buildSequential(ctx, args[0] as PyInstance);
    } catch (e) {
      if (!(e instanceof PyException)) throw e;
    }
    return NONE;
  }),
});


