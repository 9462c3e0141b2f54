// Keras masks: a layer's output can carry a mask (Embedding(mask_zero=True), a layer's own
// compute_mask), and Keras passes it as `mask=` to the next layer whose call() takes one. keras-io's
// NMT transformer relies on it: `if mask is not None: padding_mask = ...` and then uses padding_mask.
// Only the passing matters to the analysis (masks change no shape), so a mask is a tensor of the
// input's shape attached to the output tensor object.

import type { JsonValue } from "../../ir/types";
import { type Kwargs, type NativeContext, type PyClass, type PyFunction, type PyInstance, type PyTensor, type Value, NONE, PyException, list } from "../../interp/values";
import { flattenTensors, isKerasTensor, kerasTensor } from "./emit";

const masks = new WeakMap<PyTensor, Value>();

/** The mask Keras would pass on from `inputs`: a tensor's mask, one per item of a list (None when none has one). */
export function maskOf(inputs: Value): Value {
  if (isKerasTensor(inputs)) return masks.get(inputs) ?? NONE;
  if (inputs.kind === "list" || inputs.kind === "tuple") {
    const each = inputs.items.map(maskOf);
    return each.some((m) => m.kind !== "none") ? list(each) : NONE;
  }
  return NONE;
}

/** Attaches `mask` to the output tensors (a list of masks pairs with the outputs in order). */
function setMask(outputs: Value, mask: Value): void {
  if (mask.kind === "none") return;
  const outs = flattenTensors(outputs);
  const each = (mask.kind === "list" || mask.kind === "tuple") && outs.length > 1 ? mask.items : outs.map(() => mask);
  outs.forEach((t, i) => {
    const m = each[i];
    if (m && m.kind !== "none") masks.set(t, m);
  });
}

/** Layers that keep their input's mask (Keras's supports_masking): elementwise or last-axis maps. */
const PASSES_MASK = new Set([
  "Dense", "EinsumDense", "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "Dropout", "SpatialDropout1D",
  "GaussianNoise", "GaussianDropout", "AlphaDropout", "LayerNormalization", "BatchNormalization", "UnitNormalization", "Identity",
]);

/**
 * The mask of a builtin layer's output: Embedding(mask_zero=True) masks the zero ids (a constant, off
 * the graph: masks change no shape), the layers above keep their input's, the rest drop it.
 */
export function setBuiltinMask(className: string, cfg: Record<string, JsonValue>, input: PyTensor, output: Value): void {
  if (className === "Embedding" && cfg.mask_zero) setMask(output, { ...kerasTensor(input.shape, ""), dtype: "bool" });
  else if (PASSES_MASK.has(className)) setMask(output, maskOf(input));
}

/** The user's `call` function (the first definition along the MRO), to read its parameters. */
function callFunction(cls: PyClass): PyFunction | undefined {
  for (const c of cls.mro) {
    const f = c.dict.get("call");
    if (f) return f.kind === "function" ? f : undefined;
  }
  return undefined;
}

/**
 * The arguments Keras fills in when calling a user layer: `mask=` with the inputs' mask when call()
 * takes a mask and none was given, and `training` when call() requires it without a default
 * (keras-io's `def call(self, inputs, training):` called as `block(x)`). tf.keras 2 passes the
 * signature's default there, None when there is none, while building a model; None also keeps
 * `if training:` on its inference path, so the model builds as it is used for a summary.
 */
export function fillCallArgs(cls: PyClass, positional: number, kwargs: Kwargs, previousMask: Value): Kwargs {
  const fn = callFunction(cls);
  if (!fn) return kwargs;
  const slots = fn.params.filter((p) => p.kind === "posonly" || p.kind === "normal").slice(1);
  const given = (name: string): boolean => {
    const i = slots.findIndex((p) => p.name === name);
    return kwargs.has(name) || (i >= 0 && i < positional);
  };
  const param = (name: string) => fn.params.find((p) => p.name === name && p.kind !== "vararg" && p.kind !== "kwarg");
  let out = kwargs;
  const set = (name: string, v: Value): void => {
    if (out === kwargs) out = new Map(kwargs);
    out.set(name, v);
  };
  if (param("mask") && !given("mask")) set("mask", previousMask);
  const training = param("training");
  if (training && !training.default && !given("training")) set("training", NONE);
  return out;
}

/**
 * The mask of a user layer's outputs, as Keras sets it after call(): the layer's own compute_mask(inputs,
 * mask) when it defines one, the incoming mask when it sets `supports_masking = True`, none otherwise.
 * A compute_mask that fails leaves no mask: a mask is never worth losing the layer's output.
 */
export function setUserLayerMask(ctx: NativeContext, self: PyInstance, ownComputeMask: boolean, inputs: Value, previousMask: Value, outputs: Value): void {
  if (flattenTensors(outputs).length === 0) return;
  if (ownComputeMask) {
    try {
      setMask(outputs, ctx.call(ctx.getAttr(self, "compute_mask"), [inputs, previousMask]));
    } catch (e) {
      if (!(e instanceof PyException)) throw e;
    }
    return;
  }
  const supports = self.dict.get("supports_masking");
  if (supports && ctx.truthy(supports)) setMask(outputs, previousMask);
}
