// keras.Input / keras.layers.InputLayer: the symbolic entry tensors (batch dim None unless given).

import type { Shape } from "../../ir/types";
import { type Kwargs, type NativeContext, type PyClass, type PyInstance, type PyTensor, type Value, NONE, builtin, nativeClass } from "../../interp/values";
import { bindArgs } from "../../interp/args";
import { emitNode, isKerasTensor, kerasTensor, markScopeBase } from "./emit";
import { LayerClass } from "./layer-class";
import { initLayerState, layerState } from "./layer-state";
import { valueToShape } from "./shapes";

const INPUT_ARGS = ["shape=", "batch_size=", "dtype=", "sparse=", "batch_shape=", "name=", "tensor=", "optional=", "**kwargs"];

/** The batch shape an Input/InputLayer call describes; raises a clear error when none is given. */
/** Where the entry leaves the --input shapes, for Inputs whose shape the analysis cannot know. */
export const REQUESTED_INPUTS = "keras-requested-input-shapes";

/**
 * The shape given with --input for the next Input whose own shape is unknown (`shape=x_train.shape[1:]`,
 * read from data): the n-th such Input takes the n-th shape, batch kept open as Keras keeps it.
 */
function requestedShape(ctx: NativeContext, what: string): Shape | undefined {
  const queue = ctx.state.get(REQUESTED_INPUTS) as number[][] | undefined;
  const next = queue?.shift();
  if (!next) return undefined;
  const shape: Shape = [null, ...next.slice(1)];
  ctx.warn(`${what}'s shape comes from data the analyzer cannot read; it uses the --input shape (${next.slice(1).join(", ")}) instead.`, "input-inferred");
  return shape;
}

function batchShapeOf(ctx: NativeContext, what: string, a: Record<string, Value | undefined>): Shape {
  const kw = a.kwargs?.kind === "dict" ? a.kwargs.map : new Map();
  const batch = a.batch_size?.kind === "int" ? a.batch_size.v : null;
  const given = a.batch_shape ?? a.shape ?? kw.get("sbatch_input_shape")?.value ?? kw.get("sinput_shape")?.value;
  if (given?.kind === "unknown") {
    const requested = requestedShape(ctx, what);
    if (requested) return requested;
  }
  const batchShape = a.batch_shape ?? kw.get("sbatch_input_shape")?.value;
  if (batchShape && batchShape.kind !== "none") return valueToShape(ctx, batchShape, "batch_shape");
  const shape = a.shape ?? kw.get("sinput_shape")?.value;
  if (shape && shape.kind !== "none") return [batch, ...valueToShape(ctx, shape, "shape")];
  if (a.tensor && isKerasTensor(a.tensor)) return a.tensor.shape;
  return ctx.raise("ValueError", `${what} needs a shape: pass shape=(...) or batch_shape=(...).`);
}

/** The output tensor of an InputLayer, emitting its node on first use. */
export function inputLayerTensor(ctx: NativeContext, layer: PyInstance): PyTensor {
  const st = layerState(ctx, layer);
  const prev = st.firstCall?.outputs;
  if (prev && isKerasTensor(prev)) return prev;
  const shape = st.batchInputShape ?? [null];
  const id = emitNode(ctx, { layer, op: "InputLayer", category: "input", inputs: [], shape, attrs: { batch_shape: shape } });
  const t = kerasTensor(shape, id);
  st.firstCall = { inputs: NONE, outputs: t };
  st.built = true;
  return t;
}

export const InputLayerClass: PyClass = nativeClass("InputLayer", "keras.layers", [LayerClass], {
  __init__: builtin("__init__", (args: Value[], kwargs: Kwargs, ctx: NativeContext) => {
    const self = args[0] as PyInstance;
    const a = bindArgs(ctx, "InputLayer", args.slice(1), kwargs, INPUT_ARGS);
    const name = a.name?.kind === "str" ? a.name.v : undefined;
    initLayerState(ctx, self, { name, batchInputShape: batchShapeOf(ctx, "InputLayer", a) });
    return NONE;
  }),
  // Calling an InputLayer is not something Keras supports; return its tensor so code goes on.
  __call__: builtin("__call__", (args, _kw, ctx) => inputLayerTensor(ctx, args[0] as PyInstance)),
});

export function isInputLayer(v: Value): v is PyInstance {
  return v.kind === "instance" && v.cls.mro.includes(InputLayerClass);
}

/** Creates an InputLayer for a batch shape and returns its tensor (Sequential / runKerasModel). */
export function makeInput(ctx: NativeContext, batchShape: Shape, name?: string): PyTensor {
  const layer = ctx.newInstance(InputLayerClass);
  initLayerState(ctx, layer, { name, batchInputShape: batchShape });
  return inputLayerTensor(ctx, layer);
}

export const InputFunction: Value = builtin("Input", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "Input", args, kwargs, INPUT_ARGS);
  const name = a.name?.kind === "str" ? a.name.v : undefined;
  markScopeBase(ctx);
  return makeInput(ctx, batchShapeOf(ctx, "Input", a), name);
});
