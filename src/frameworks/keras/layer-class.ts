// keras.layers.Layer: the native base class of every layer and model. It names layers, tracks
// weights (add_weight) and sublayers (attributes), and on `__call__` either applies a builtin
// layer or runs a user subclass's `call` inside a scope of its own.

import {
  type Kwargs,
  type NativeContext,
  type PyClass,
  type PyInstance,
  type Value,
  NONE,
  OBJECT_CLASS,
  builtin,
  bool,
  dict,
  float,
  int,
  list,
  nativeClass,
  str,
  tuple,
  unknown,
} from "../../interp/values";
import { bindArgs, toBool } from "../../interp/args";
import type { JsonValue, Shape } from "../../ir/types";
import { type BuiltinLayerDef, applyBuiltin, builtinDefOf, registerBuiltinDef, unknownInput } from "./builtin-def";
import { emitNode, flattenTensors, isKerasTensor, kerasTensor } from "./emit";
import { type LayerState, initLayerState, layerState, ownWeightTotals, trackedSublayers } from "./layer-state";
import { shapeToTuple, valueToShape } from "./shapes";
import { recordedCall } from "./replay";
import { adoptVariables } from "./variables";
import { buildLayer, layerWeightAttr, weightTensor } from "./layer-build";
import { fillCallArgs, maskOf, setUserLayerMask } from "./masks";
import { kerasState } from "./state";
import { layerClosure, paramTotalsOf } from "./totals";
import { warnUnsized } from "./unsized";

const prop = (fget: (self: PyInstance, ctx: NativeContext) => Value): Value => ({
  kind: "property",
  fget: builtin("property", (args, _kw, ctx) => fget(args[0] as PyInstance, ctx)),
});

/** Looks `name` up along the MRO and tells whether the first definition is user (Python) code. */
export function userDefines(cls: PyClass, name: string): boolean {
  for (const c of cls.mro) {
    if (c.dict.has(name)) return !c.native;
  }
  return false;
}

/** Pulls the base-Layer keyword arguments (name, trainable, input_shape, ...) out of a kwargs dict. */
export function baseLayerInit(ctx: NativeContext, extra: Value | undefined): {
  name?: string;
  trainable?: boolean;
  batchInputShape?: Shape;
} {
  // One pass over the extra keywords (usually just `name`) rather than a lookup per keyword Keras
  // knows. Keys as the dict holds them (hashKey: "s" and the string).
  let nameV: Value | undefined;
  let tr: Value | undefined;
  let batchInputShape: Value | undefined;
  let batchShape: Value | undefined;
  let inputShape: Value | undefined;
  let inputDim: Value | undefined;
  let batchSize: Value | undefined;
  if (extra && extra.kind === "dict") {
    for (const [key, entry] of extra.map) {
      switch (key) {
        case "sname": nameV = entry.value; break;
        case "strainable": tr = entry.value; break;
        case "sbatch_input_shape": batchInputShape = entry.value; break;
        case "sbatch_shape": batchShape = entry.value; break;
        case "sinput_shape": inputShape = entry.value; break;
        case "sinput_dim": inputDim = entry.value; break;
        case "sbatch_size": batchSize = entry.value; break;
      }
    }
  }
  const out: { name?: string; trainable?: boolean; batchInputShape?: Shape } = {};
  if (nameV && nameV.kind === "str") out.name = nameV.v;
  if (tr && tr.kind !== "none") out.trainable = ctx.truthy(tr);
  const batchInput = batchInputShape ?? batchShape;
  const batch = batchSize && batchSize.kind === "int" ? batchSize.v : null;
  if (batchInput && batchInput.kind !== "none") out.batchInputShape = valueToShape(ctx, batchInput, "batch_input_shape");
  else if (inputShape && inputShape.kind !== "none") {
    out.batchInputShape = [batch, ...valueToShape(ctx, inputShape, "input_shape")];
  } else if (inputDim && inputDim.kind === "int") out.batchInputShape = [batch, inputDim.v];
  return out;
}

function layerInit(args: Value[], kwargs: Kwargs, ctx: NativeContext): Value {
  const self = args[0] as PyInstance;
  const a = bindArgs(ctx, "Layer.__init__", args.slice(1), kwargs, LAYER_INIT_ARGS);
  const base = baseLayerInit(ctx, a.kwargs);
  const name = a.name && a.name.kind === "str" ? a.name.v : base.name;
  initLayerState(ctx, self, { ...base, name, trainable: toBool(ctx, a.trainable, base.trainable ?? true) });
  return NONE;
}

/** The input structure's shapes as Keras passes them to build(): a tuple, or a list of tuples. */
function buildShapeArg(inputs: Value): Value {
  if (isKerasTensor(inputs)) return shapeToTuple(inputs.shape);
  if (inputs.kind === "list" || inputs.kind === "tuple") {
    return list(inputs.items.map((v) => (isKerasTensor(v) ? shapeToTuple(v.shape) : NONE)));
  }
  return NONE;
}

/**
 * Runs `body` (a layer's call) with the nodes it makes scoped under the layer: its attribute path in
 * the enclosing user layer, else its name (nothing for the top-level model). `ownFrames` call frames
 * that `body` opens first stand for the layer itself and add no scope of their own (a Lambda's function).
 */
export function inLayerScope(ctx: NativeContext, self: PyInstance, body: () => Value, ownFrames = 0): Value {
  const st = layerState(ctx, self);
  const ks = kerasState(ctx);
  const parent = ks.userCalls[ks.userCalls.length - 1];
  const isTopModel = !parent && st.model !== undefined;
  const segment = parent
    ? trackedSublayers(parent.layer).find((s) => s.layer === self)?.path ?? st.name
    : isTopModel
      ? ""
      : st.name;
  ks.userCalls.push({ layer: self, segment, stackDepth: ctx.site().stack.length, ownFrames });
  try {
    return body();
  } finally {
    ks.userCalls.pop();
  }
}

/** Runs a user subclass's `call` with its sublayers' nodes scoped under it. */
export function callUserLayer(ctx: NativeContext, self: PyInstance, args: Value[], kwargs: Kwargs): Value {
  const st = layerState(ctx, self);
  const inputs = args[1] ?? kwargs.get("inputs") ?? NONE;
  const skipped = unknownInput(ctx, () => `${self.cls.name} '${st.name}'`, inputs);
  if (skipped) return skipped;
  if (!st.built) {
    st.built = true;
    st.builtInputShapes = flattenTensors(inputs).map((t) => t.shape);
    if (userDefines(self.cls, "build")) ctx.call(ctx.getAttr(self, "build"), [buildShapeArg(inputs)]);
    // A subclass of a builtin layer with its own call(): Keras builds the builtin's weights first.
    else if (builtinDefOf(self.cls)) buildLayer([self, buildShapeArg(inputs)], new Map(), ctx);
  }
  const previousMask = maskOf(inputs);
  const filled = fillCallArgs(self.cls, args.length - 1, kwargs, previousMask);
  let result = inLayerScope(ctx, self, () => ctx.call(ctx.getAttr(self, "call"), args.slice(1), filled));
  // Weights the user layer made itself get a node of their own, after its body (also when they
  // could not be sized: the node says so).
  if (ownWeightTotals(st).params > 0 || st.unsizedWeights) {
    const outs = flattenTensors(result);
    const first = outs[0];
    const id = emitNode(ctx, {
      layer: self,
      op: self.cls.name,
      category: "math",
      attrs: { customLayer: true, weights: st.weights.map((w) => `${w.name}${JSON.stringify(w.shape)}`) },
      inputs: outs.length > 0 ? outs : flattenTensors(inputs),
      shape: first ? first.shape : null,
    });
    if (isKerasTensor(result)) result = kerasTensor(result.shape, id);
  }
  setUserLayerMask(ctx, self, userDefines(self.cls, "compute_mask"), inputs, previousMask, result);
  if (!st.firstCall) st.firstCall = { inputs, outputs: result };
  return result;
}

function layerCall(args: Value[], kwargs: Kwargs, ctx: NativeContext): Value {
  const self = args[0] as PyInstance;
  const st = layerState(ctx, self);
  if (userDefines(self.cls, "call")) return callUserLayer(ctx, self, args, kwargs);
  const def = builtinDefOf(self.cls);
  if (def?.call) {
    const bound = bindArgs(ctx, `${def.className}.call`, args.slice(1), kwargs, def.call.spec);
    const given = def.call.tensors.map((n) => bound[n]).filter((v): v is Value => v !== undefined && v.kind !== "none");
    // One named input (Attention's `inputs`, a list) is the inputs as given; several are gathered.
    const inputs = def.call.tensors.length === 1 ? given[0] ?? NONE : tuple(given);
    return applyBuiltin(ctx, self, st, def, inputs, bound);
  }
  const inputs = args[1] ?? kwargs.get("inputs");
  if (!inputs) return ctx.raise("TypeError", `Layer '${st.name}' was called without inputs.`);
  if (def) return applyBuiltin(ctx, self, st, def, inputs);
  // A bare Layer with no call(): Keras would raise; we keep the graph whole with a pass-through.
  const t = flattenTensors(inputs)[0];
  if (!t) return unknown(`Layer '${st.name}' has no call() to apply.`);
  const id = emitNode(ctx, { layer: self, op: self.cls.name, category: "opaque", inputs: [t], shape: t.shape, opaque: "Layer without a call() method." });
  return kerasTensor(t.shape, id);
}

function layerSetAttr(args: Value[], _kw: Kwargs, ctx: NativeContext): Value {
  const self = args[0] as PyInstance;
  const name = args[1].kind === "str" ? args[1].v : "";
  const value = args[2];
  const st = layerState(ctx, self);
  if (name === "trainable") {
    // Keras's setter freezes (or unfreezes) the layer and every layer inside it, so a frozen base
    // stays frozen when its layers are reused through `base.output` in a new model.
    const trainable = ctx.truthy(value);
    for (const l of layerClosure(ctx, [self])) layerState(ctx, l).trainable = trainable;
  }
  else if (name === "name" && value.kind === "str") st.name = value.v;
  else {
    adoptVariables(st, name, value);
    self.dict.set(name, value);
  }
  return NONE;
}

/** add_weight(shape, initializer, ...) (Keras 3) or add_weight(name, shape, ...) (Keras 2). */
function addWeight(args: Value[], kwargs: Kwargs, ctx: NativeContext): Value {
  const self = args[0] as PyInstance;
  const nameFirst = args[1]?.kind === "str";
  const spec = nameFirst
    ? ["name=", "shape=", "dtype=", "initializer=", "regularizer=", "trainable=", "**kwargs"]
    : ["shape=", "initializer=", "dtype=", "trainable=", "autocast=", "regularizer=", "constraint=", "**kwargs"];
  const a = bindArgs(ctx, "add_weight", args.slice(1), kwargs, spec);
  const st = layerState(ctx, self);
  const nameV = a.name ?? (a.kwargs?.kind === "dict" ? a.kwargs.map.get("sname")?.value : undefined);
  const wname = nameV && nameV.kind === "str" ? nameV.v : `weight_${st.weights.length}`;
  const shape = a.shape && a.shape.kind !== "none" ? valueToShape(ctx, a.shape, "shape") : [];
  if (shape.some((d) => d === null)) {
    warnUnsized(ctx, self, `Weight '${wname}' of layer '${st.name}' has an unknown shape ${ctx.repr(a.shape ?? NONE)}; it is counted as 0 parameters.`);
  }
  const dims = shape.map((d) => d ?? 0);
  st.weights.push({ name: wname, shape: dims, count: dims.reduce((p, d) => p * d, 1), trainable: toBool(ctx, a.trainable, true) });
  return kerasTensor(shape, "");
}

function countParams(args: Value[], _kw: Kwargs, ctx: NativeContext): Value {
  const self = args[0] as PyInstance;
  return int(paramTotalsOf(ctx, [self]).params);
}

const firstCallShape = (st: LayerState, which: "inputs" | "outputs"): Value => {
  const v = st.firstCall?.[which];
  if (!v) return unknown(`Layer '${st.name}' has not been called yet.`);
  if (isKerasTensor(v)) return shapeToTuple(v.shape);
  if (v.kind === "list" || v.kind === "tuple") return list(flattenTensors(v).map((t) => shapeToTuple(t.shape)));
  return unknown(`Layer '${st.name}' has no symbolic ${which}.`);
};

export const LayerClass: PyClass = nativeClass("Layer", "keras.layers", [OBJECT_CLASS], {
  __init__: builtin("__init__", layerInit),
  __call__: builtin("__call__", (args, kwargs, ctx) => recordedCall(ctx, args, kwargs, () => layerCall(args, kwargs, ctx))),
  __setattr__: builtin("__setattr__", layerSetAttr),
  add_weight: builtin("add_weight", addWeight),
  build: builtin("build", buildLayer),
  __getattr__: builtin("__getattr__", layerWeightAttr),
  call: builtin("call", (args) => args[1] ?? NONE),
  // Keras's default: a layer keeps its input's mask only when it says it supports masking.
  compute_mask: builtin("compute_mask", (args, kwargs, ctx) => {
    const mask = args[2] ?? kwargs.get("mask") ?? kwargs.get("previous_mask") ?? NONE;
    return ctx.truthy(ctx.getAttr(args[0], "supports_masking")) ? mask : NONE;
  }),
  supports_masking: bool(false),
  count_params: builtin("count_params", countParams),
  compute_output_shape: builtin("compute_output_shape", () => unknown("compute_output_shape is not modelled.")),
  get_config: builtin("get_config", (args, _kw, ctx) => layerConfig(layerState(ctx, args[0] as PyInstance))),
  get_weights: builtin("get_weights", () => unknown("Layer weights have no values in static analysis.")),
  set_weights: builtin("set_weights", () => NONE),
  add_loss: builtin("add_loss", () => NONE),
  add_metric: builtin("add_metric", () => NONE),
  name: prop((self, ctx) => str(layerState(ctx, self).name)),
  trainable: prop((self, ctx) => bool(layerState(ctx, self).trainable)),
  built: prop((self, ctx) => bool(layerState(ctx, self).built)),
  dtype: prop(() => str("float32")),
  weights: prop((self, ctx) => list(layerState(ctx, self).weights.map(weightTensor))),
  trainable_weights: prop((self, ctx) => {
    const st = layerState(ctx, self);
    return list(st.trainable ? st.weights.filter((w) => w.trainable).map(weightTensor) : []);
  }),
  non_trainable_weights: prop((self, ctx) => {
    const st = layerState(ctx, self);
    return list(st.weights.filter((w) => !w.trainable || !st.trainable).map(weightTensor));
  }),
  input: prop((self, ctx) => layerState(ctx, self).firstCall?.inputs ?? unknown("The layer has not been called yet.")),
  output: prop((self, ctx) => layerState(ctx, self).firstCall?.outputs ?? unknown("The layer has not been called yet.")),
  input_shape: prop((self, ctx) => firstCallShape(layerState(ctx, self), "inputs")),
  output_shape: prop((self, ctx) => firstCallShape(layerState(ctx, self), "outputs")),
});

const LAYER_INIT_ARGS = ["trainable=", "name=", "dtype=", "**kwargs"];

/** A JSON config value as Python: lists become tuples (kernel_size == (5, 5)), null None. */
function pyValue(v: JsonValue): Value {
  if (v === null) return NONE;
  if (typeof v === "number") return Number.isInteger(v) ? int(v) : float(v);
  if (typeof v === "string") return str(v);
  if (typeof v === "boolean") return bool(v);
  if (Array.isArray(v)) return tuple(v.map(pyValue));
  return dict(Object.entries(v).map(([k, x]) => [str(k), pyValue(x)]));
}

/** get_config(): the name, trainable flag and the builtin layer's parsed arguments (units, kernel_size, ...). */
function layerConfig(st: LayerState): Value {
  const entries: [Value, Value][] = [[str("name"), str(st.name)], [str("trainable"), bool(st.trainable)]];
  for (const [k, v] of Object.entries(st.config)) if (!k.startsWith("__")) entries.push([str(k), pyValue(v)]);
  return dict(entries);
}

/** Makes the native class of a builtin layer, subclassing Layer. */
export function defineLayer(def: BuiltinLayerDef, moduleName = "keras.layers"): PyClass {
  // One spec array per layer class, so argument binding compiles it once.
  const spec = [...def.args, "**kwargs"];
  const init = builtin("__init__", (args, kwargs, ctx) => {
    const self = args[0] as PyInstance;
    const a = bindArgs(ctx, def.className, args.slice(1), kwargs, spec, def.defaults);
    const st = initLayerState(ctx, self, baseLayerInit(ctx, a.kwargs));
    st.className = def.className;
    st.config = def.configure ? def.configure(ctx, a, self) : {};
    return NONE;
  });
  const cls = nativeClass(def.className, moduleName, [LayerClass], { ...def.methods, __init__: init });
  registerBuiltinDef(cls, def);
  return cls;
}
