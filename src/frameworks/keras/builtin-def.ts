// The table-driven description of a built-in Keras layer, and how one is applied to tensors:
// compute the output shape, build weights on first use, check reuse, emit the node.

import type { JsonValue, NodeCategory, Shape } from "../../ir/types";
import { type NativeContext, type PyClass, type PyInstance, type PyTensor, type PyUnknown, type Value, tuple } from "../../interp/values";
import { emitNode, isKerasTensor, kerasTensor } from "./emit";
import { type LayerState, type Weight, layerState, ownWeightTotals } from "./layer-state";
import { toInt } from "../../interp/args";
import { isNdarray, ndarrayShape } from "../../interp/numpy-array";
import { formatShape, product } from "./shapes";
import { setBuiltinMask } from "./masks";
import { asClause } from "./clause";
import { markSized, unsizedCount, warnUnsized } from "./unsized";

export interface BuiltinApply {
  ctx: NativeContext;
  layer: PyInstance;
  /** Layer name, for messages: `Add 'add_3' cannot add ...`. */
  name: string;
  className: string;
  cfg: Record<string, JsonValue>;
  /** Input shapes (one for single-input layers). */
  shapes: Shape[];
  /** First input value as given (Lambda and friends may look at it). */
  raw: Value;
  /** The bound call arguments of layers with a `call` spec (MultiHeadAttention's key, flags, ...). */
  call?: Record<string, Value | undefined>;
}

export interface BuiltinResult {
  shape: Shape | null;
  macs?: number;
  /** Weights the layer has for these inputs; the first application's are kept. */
  weights?: Weight[];
  /** Extra attrs resolved at call time (e.g. input channels). */
  attrs?: Record<string, JsonValue>;
  /**
   * Further outputs (MultiHeadAttention's attention scores): the call then returns a tuple, the
   * output first; each extra one is a node of its own (`<layer>_<name>`) fed by the layer's node.
   */
  extraOutputs?: { name: string; shape: Shape }[];
}

export interface BuiltinLayerDef {
  className: string;
  category: NodeCategory;
  /** bindArgs spec of the layer's own arguments, in Keras's positional order. */
  args: string[];
  defaults?: Record<string, Value>;
  /** Parses the bound arguments into JSON config (shown as node attrs). */
  configure?(ctx: NativeContext, a: Record<string, Value | undefined>, self: PyInstance): Record<string, JsonValue>;
  /** Merge layers take a list of tensors; "either" accepts a tensor or a list (unknown layers). */
  multiInput?: boolean | "either";
  /** Set for layers we cannot model (Lambda, unknown classes): the reason shown on the node. */
  opaque?: string;
  /** Unknown layer classes: the output shape is only assumed to be the input's (shape-assumptions.ts). */
  assumesShape?: boolean;
  /**
   * Layers called with several named tensors rather than one `inputs` structure
   * (MultiHeadAttention's `(query, value, key=None, ...)`): the call's bindArgs spec, and the names
   * whose tensors are the inputs, in order (absent or None ones left out).
   */
  call?: { spec: string[]; tensors: string[] };
  /** Methods of the layer class beyond Layer's own (Normalization.adapt). */
  methods?: Record<string, Value>;
  apply(x: BuiltinApply): BuiltinResult;
}

const defs = new WeakMap<PyClass, BuiltinLayerDef>();

export function registerBuiltinDef(cls: PyClass, def: BuiltinLayerDef): void {
  defs.set(cls, def);
}

export function builtinDefOf(cls: PyClass): BuiltinLayerDef | undefined {
  for (const c of cls.mro) {
    const d = defs.get(c);
    if (d) return d;
  }
  return undefined;
}

export function weight(name: string, shape: number[], trainable = true): Weight {
  return { name, shape, count: product(shape) ?? 0, trainable };
}

/**
 * A node's attrs: the layer's config with the call's attrs over it (`{ ...cfg, ...extra }`), less the
 * keys starting with "__", which hold parsed internals, not attrs to show.
 */
function publicAttrs(cfg: Record<string, JsonValue>, extra: Record<string, JsonValue> | undefined): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const k in cfg) if (!k.startsWith("__")) out[k] = cfg[k];
  if (extra) for (const k in extra) if (!k.startsWith("__")) out[k] = extra[k];
  return out;
}

function sameWeights(a: Weight[], b: Weight[]): boolean {
  return a.length === b.length && a.every((w, i) => w.count === b[i].count);
}

/**
 * A size argument the analyzer cannot know, typically computed from the data (`Dense(n_classes)` with
 * `n_classes = len(np.unique(y_train))`): the layer is still made, with that size unknown (null), so
 * the rest of the model builds; a warning names the layer, whose weights are not counted (for good:
 * no later build can size them). Known values read as `toInt` reads them.
 */
export function sizeArg(ctx: NativeContext, self: PyInstance, className: string, v: Value | undefined, what: string): number | null {
  if (v?.kind !== "unknown") return toInt(ctx, v, what);
  // Also when an earlier skipped statement left it (`n = len(chars)` after the file read failed): that
  // warning does not say that this layer's weights are missing from the totals.
  const name = layerState(ctx, self).name;
  warnUnsized(ctx, self, `${className} '${name}' takes its ${what} from a value the analyzer cannot know (${asClause(v.why)}): its output size is unknown and its weights are not counted.`);
  return null;
}

/**
 * A layer or model called on a value the analyzer could not compute (directly, or as an item of its
 * list of inputs). Keras would return a tensor; an unknown in its place would later pass for a
 * number (`x + b` would only scale x), so the statement is skipped, with a warning. A value an
 * earlier skipped statement left is returned instead, to be the call's result: its cause is
 * reported, and the statement goes on (`keras.Model(inputs, layer(x))` still makes the model, which
 * then says its output is missing).
 */
export function unknownInput(ctx: NativeContext, what: () => string, inputs: Value): PyUnknown | undefined {
  return unknownItem(ctx, what, inputs.kind === "list" || inputs.kind === "tuple" ? inputs.items : [inputs]);
}

/** unknownInput for inputs given as their items; `what` names the layer, only when there is something to say. */
function unknownItem(ctx: NativeContext, what: () => string, items: Value[]): PyUnknown | undefined {
  const bad = items.find((v): v is PyUnknown => v.kind === "unknown");
  if (!bad || bad.reported) return bad;
  return ctx.raise("ValueError", `${what()} was called on a value the analyzer cannot know (${asClause(bad.why)})`, "unknown-value");
}

/** Applies a builtin layer to `inputs` (a tensor, or a list of tensors for merge layers). */
export function applyBuiltin(
  ctx: NativeContext,
  self: PyInstance,
  st: LayerState,
  def: BuiltinLayerDef,
  inputs: Value,
  call?: Record<string, Value | undefined>,
): Value {
  const isSeq = inputs.kind === "list" || inputs.kind === "tuple";
  if (def.multiInput === true && !isSeq) {
    ctx.raise("ValueError", `${def.className} '${st.name}' must be called on a list of tensors, got ${ctx.repr(inputs)}.`);
  }
  // A numpy array is a constant of its shape, as Keras converts it (`layer(np.zeros((1, 32, 32, 3)))`).
  const items = (def.multiInput && isSeq ? inputs.items : [inputs]).map((v) => (isNdarray(v) ? kerasTensor(ndarrayShape(v), "") : v));
  const skipped = unknownItem(ctx, () => `${def.className} '${st.name}'`, items);
  if (skipped) return skipped;
  const bad = items.find((v) => !isKerasTensor(v));
  if (bad) return ctx.raise("TypeError", `${def.className} '${st.name}' was called on ${ctx.repr(bad)}, which is not a symbolic Keras tensor.`);
  const tensors = items as PyTensor[];
  const shapes = tensors.map((t) => t.shape);
  const warned = unsizedCount(st);
  const res = def.apply({ ctx, layer: self, name: st.name, className: def.className, cfg: st.config, shapes, raw: inputs, call });
  const weights = res.weights ?? [];
  // A layer marked built without weights (an explicit build() whose shape was not readable, or a
  // first call on an unknown input dimension) takes them from its first call that has them.
  let sizedLate = false;
  if (!st.built || (st.weights.length === 0 && weights.length > 0)) {
    sizedLate = st.built;
    st.weights = weights;
    st.built = true;
    st.builtInputShapes = shapes;
    // Sized by this call, which said nothing against it: an earlier call's warning no longer holds.
    if (weights.length > 0 && unsizedCount(st) === warned) markSized(ctx, st);
  } else if (!sameWeights(st.weights, weights) && st.builtInputShapes) {
    const was = st.builtInputShapes.map(formatShape).join(", ");
    const now = shapes.map(formatShape).join(", ");
    ctx.reportError(
      `${def.className} '${st.name}' was built for input shape ${was} but is called again on ${now}.`,
      "shape-mismatch",
    );
  }
  const id = emitNode(ctx, {
    layer: self,
    op: def.className,
    category: def.category,
    attrs: publicAttrs(st.config, res.attrs),
    // Self-attention passes one tensor as query and value: one edge, not two.
    inputs: call ? tensors.filter((t, i) => tensors.findIndex((u) => u.node === t.node) === i) : tensors,
    shape: res.shape,
    macs: res.macs ?? 0,
    opaque: def.opaque,
    assumesShapeOf: def.assumesShape ? def.className : undefined,
  });
  // The node of the call that built it unsized (this one refers to it) now shows the weights.
  if (sizedLate && !st.unsizedWeights) {
    const own = ownWeightTotals(st);
    ctx.graph.updateNode?.(id, { params: own.params, trainableParams: own.trainable, nonTrainableParams: own.nonTrainable, paramsUnknown: false });
  }
  const main = kerasTensor(res.shape ?? shapes[0] ?? [], id);
  const extras = res.extraOutputs?.map((e) => {
    const extraId = emitNode(ctx, { op: e.name, category: "math", name: `${st.name}_${e.name}`, inputs: [main], shape: e.shape });
    return kerasTensor(e.shape, extraId);
  });
  const out = extras ? tuple([main, ...extras]) : main;
  setBuiltinMask(def.className, st.config, tensors[0], main);
  if (!st.firstCall) st.firstCall = { inputs, outputs: out };
  return out;
}
