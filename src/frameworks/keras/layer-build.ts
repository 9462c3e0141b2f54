// Layer.build(input_shape) called by user code, and a built layer's weights read as attributes
// (`conv.kernel`, `bn.moving_mean`, `emb.embeddings`). Keras's builtin layers create their weights
// in build(), so a layer built explicitly (keras-io's PixelCNN builds its inner Conv2D to shape a
// mask from `conv.kernel`) owns them before its first call, as it does in Keras.

import type { Shape } from "../../ir/types";
import { type Kwargs, type NativeContext, type PyInstance, type PyTensor, type Value, NONE, tuple } from "../../interp/values";
import { builtinDefOf } from "./builtin-def";
import { kerasTensor } from "./emit";
import { type Weight, layerState } from "./layer-state";
import { valueToShape } from "./shapes";

const weightTensors = new WeakMap<Weight, PyTensor>();

/** The tensor standing for a weight: one object per weight, so `layer.kernel is layer.weights[0]`. */
export function weightTensor(w: Weight): PyTensor {
  let t = weightTensors.get(w);
  if (!t) {
    t = kerasTensor(w.shape, "");
    weightTensors.set(w, t);
  }
  return t;
}

const isShapeLike = (v: Value): boolean => v.kind === "tuple" || v.kind === "list" || v.kind === "int" || v.kind === "tensor";

/**
 * The input shapes a build() call describes: `build((None, 28, 28, 1))`, a list of shapes for a
 * layer of several inputs (`Add.build([(None, 4), (None, 4)])`), or one shape per argument
 * (`MultiHeadAttention.build(query_shape, value_shape)`). Undefined when a shape is not readable.
 */
function buildShapes(ctx: NativeContext, args: Value[], kwargs: Kwargs): Shape[] | undefined {
  const named = ["input_shape", "query_shape", "value_shape", "key_shape"].map((k) => kwargs.get(k)).filter((v): v is Value => v !== undefined);
  const given = [...args, ...named].filter((v) => v.kind !== "none");
  const one = given[0];
  const nested = given.length === 1 && (one.kind === "list" || one.kind === "tuple") && one.items.length > 0 && one.items.every((v) => v.kind === "list" || v.kind === "tuple");
  const shapes = nested ? (one as { items: Value[] }).items : given;
  if (shapes.length === 0 || !shapes.every(isShapeLike)) return undefined;
  return shapes.map((v) => valueToShape(ctx, v, "input_shape"));
}

/**
 * Layer.build(input_shape): a builtin layer makes its weights for inputs of these shapes (the
 * same rule its first call uses); any other layer is only marked built.
 */
export function buildLayer(args: Value[], kwargs: Kwargs, ctx: NativeContext): Value {
  const self = args[0] as PyInstance;
  const st = layerState(ctx, self);
  const def = builtinDefOf(self.cls);
  // Weights are made once: by the first build() or call, whichever comes first. A subclass's own
  // build() calling super().build() runs after its call marked the layer built, hence the weights test.
  if (st.weights.length === 0 && def && !def.opaque) {
    const shapes = buildShapes(ctx, args.slice(1), kwargs);
    // An unreadable shape leaves the layer to be built by its first call, as before.
    if (!shapes) return NONE;
    const placeholders = shapes.map((s) => kerasTensor(s, ""));
    const call = def.call ? Object.fromEntries(def.call.tensors.map((n, i) => [n, placeholders[i]])) : undefined;
    const raw = def.multiInput ? tuple(placeholders) : placeholders[0];
    const res = def.apply({ ctx, layer: self, name: st.name, className: def.className, cfg: st.config, shapes, raw, call });
    st.weights = res.weights ?? [];
    st.builtInputShapes = shapes;
  }
  st.built = true;
  return NONE;
}

/**
 * Instance attribute fallback (Python's __getattr__) of every layer: a weight by its name (Dense's
 * `kernel` and `bias`, MultiHeadAttention's `query/kernel` by its last part too). Anything else is
 * the usual AttributeError.
 */
export function layerWeightAttr(args: Value[], _kw: Kwargs, ctx: NativeContext): Value {
  const self = args[0] as PyInstance;
  const name = args[1]?.kind === "str" ? args[1].v : "";
  const st = layerState(ctx, self);
  const w = st.weights.find((x) => x.name === name) ?? st.weights.find((x) => x.name.endsWith(`/${name}`));
  if (w) return weightTensor(w);
  return ctx.raise("AttributeError", `'${self.cls.name}' object has no attribute '${name}'`);
}
