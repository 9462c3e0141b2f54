// Functions applied directly to KerasTensors (keras.activations.relu(x), keras.ops.*, tf.nn.*,
// tf.add, tf.concat, tf.reshape, ...): each call becomes a TF-op-like node of its own.

import type { Shape } from "../../ir/types";
import { type Kwargs, type NativeContext, type Value, builtin, int, tuple, unknown } from "../../interp/values";
import { bindArgs, toBool, toInt } from "../../interp/args";
import { emitNode, isKerasTensor, kerasTensor } from "./emit";
import { kerasBinary, kerasCompare, notATensor, skippedOperand } from "./protocol";
import { scalarBinary, scalarCompare, scalarUnary } from "./ops-scalar";
import { normAxis, product, shapeToTuple, valueToShape } from "./shapes";
import { recordedBuiltin } from "./replay";
import { uniqueName } from "./state";

export const ACTIVATIONS = [
  "relu", "relu6", "sigmoid", "hard_sigmoid", "tanh", "softmax", "log_softmax", "softplus", "softsign",
  "elu", "selu", "gelu", "swish", "silu", "hard_swish", "hard_silu", "mish", "leaky_relu", "exponential", "linear",
];

/**
 * An element-wise function: a node with the input's shape; of a Python number, its value (ops-scalar.ts);
 * anything else is handed back as it came.
 */
export function elementwiseOp(name: string, category: "activation" | "math"): Value {
  return builtin(name, (args: Value[], kwargs: Kwargs, ctx: NativeContext) => {
    const x = args[0] ?? kwargs.get("x") ?? kwargs.get("features") ?? kwargs.get("logits") ?? kwargs.get("t");
    if (!isKerasTensor(x)) return (x && scalarUnary(name, x)) ?? x ?? unknown(`${name}() was called without a tensor.`);
    const id = emitNode(ctx, { op: name, category, name: uniqueName(ctx, name), attrs: category === "activation" ? { activation: name } : {}, inputs: [x], shape: x.shape });
    return kerasTensor(x.shape, id);
  });
}

function binaryOp(name: string, opName: string): Value {
  return builtin(name, (args, kwargs, ctx) => {
    const a = bindArgs(ctx, name, args, kwargs, ["x", "y", "name="]);
    return kerasBinary(ctx, opName, a.x!, a.y!) ?? scalarBinary(opName, a.x!, a.y!) ?? unknown(`${name}() needs a symbolic tensor operand.`);
  });
}

/**
 * keras.ops.not_equal / tf.math.greater & co.: a bool tensor of the broadcast shape; of two Python
 * numbers, the bool itself, as TensorFlow computes it eagerly (a condition branches on it).
 */
function compareOp(name: string): Value {
  return builtin(name, (args, kwargs, ctx) => {
    const a = bindArgs(ctx, name, args, kwargs, ["x", "y", "name="]);
    return kerasCompare(ctx, name, a.x!, a.y!) ?? scalarCompare(name, a.x!, a.y!) ?? unknown(`${name}() needs a symbolic tensor operand.`);
  });
}

const concat = (name: string): Value =>
  builtin(name, (args, kwargs, ctx) => {
    const a = bindArgs(ctx, name, args, kwargs, ["values", "axis=", "name="]);
    const items = ctx.iterate(a.values!);
    const skipped = skippedOperand(...items);
    if (skipped) return skipped;
    const ts = items.filter(isKerasTensor);
    if (ts.length === 0) return notATensor(name, ...items);
    const axis = normAxis(toInt(ctx, a.axis, "axis", name === "concat" ? 0 : -1), ts[0].shape.length) ?? 0;
    const shape = ts[0].shape.slice();
    // A piece that is not a tensor (a value the analyzer cannot know) adds an unknown length.
    const parts = items.map((v) => (isKerasTensor(v) ? v.shape[axis] ?? null : null));
    shape[axis] = parts.every((d) => d !== null) ? (parts as number[]).reduce((p, d) => p + d, 0) : null;
    const opName = "concatenate";
    const id = emitNode(ctx, { op: opName, category: "merge", name: uniqueName(ctx, opName), attrs: { mergeKind: "concatenate", axis }, inputs: ts, shape });
    return kerasTensor(shape, id);
  });

const reshape = builtin("reshape", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "reshape", args, kwargs, ["x", "shape", "name="]);
  const x = a.x!;
  if (!isKerasTensor(x)) return notATensor("reshape", x);
  const target = valueToShape(ctx, a.shape!, "shape");
  const free = target.indexOf(-1);
  const total = product(x.shape.map((d, i) => (i === 0 && d === null ? 1 : d)));
  if (free === 0 && x.shape[0] === null) target[0] = null; // -1 in the batch position stays unknown
  else if (free >= 0) {
    const known = product(target.filter((_, i) => i !== free));
    target[free] = total === null || !known ? null : total / known;
  }
  const id = emitNode(ctx, { op: "reshape", category: "reshape", name: uniqueName(ctx, "reshape"), attrs: { shape: target }, inputs: [x], shape: target });
  return kerasTensor(target, id);
});

const reduce = (name: string): Value =>
  builtin(name, (args, kwargs, ctx) => {
    const a = bindArgs(ctx, name, args, kwargs, ["x", "axis=", "keepdims=", "name="]);
    const x = a.x!;
    if (!isKerasTensor(x)) return notATensor(name, x);
    const rank = x.shape.length;
    const axesV = a.axis;
    const axes = !axesV || axesV.kind === "none" ? x.shape.map((_, i) => i) : (axesV.kind === "list" || axesV.kind === "tuple" ? axesV.items.map((v) => toInt(ctx, v, "axis")) : [toInt(ctx, axesV, "axis")]).map((v) => normAxis(v, rank) ?? 0);
    const keep = toBool(ctx, a.keepdims, false);
    const shape: Shape = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    const id = emitNode(ctx, { op: name, category: "math", name: uniqueName(ctx, name), attrs: { axis: axes, keepdims: keep }, inputs: [x], shape });
    return kerasTensor(shape, id);
  });

const flattenOp = builtin("flatten", (args, _kw, ctx) => {
  const x = args[0];
  if (!isKerasTensor(x)) return notATensor("flatten", x);
  const shape: Shape = [x.shape[0], product(x.shape.slice(1))];
  const id = emitNode(ctx, { op: "flatten", category: "reshape", name: uniqueName(ctx, "flatten"), inputs: [x], shape });
  return kerasTensor(shape, id);
});

/**
 * keras.ops.shape(x): on a symbolic tensor Keras gives its static shape, a tuple with None where a
 * dimension is unknown, so `s = ops.shape(x); s[1] * s[2]` works like `x.shape`.
 */
const shapeOp = builtin("shape", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "shape", args, kwargs, ["x"]);
  const x = a.x!;
  if (isKerasTensor(x)) return shapeToTuple(x.shape);
  if (x.kind === "tuple" || x.kind === "list") return tuple([int(x.items.length)]);
  if (x.kind === "int" || x.kind === "float" || x.kind === "bool") return tuple([]);
  return unknown(`shape() of ${ctx.repr(x)} is not known.`);
});

/**
 * tf.shape(x): TensorFlow's is a runtime tensor, so an unknown dimension (the batch) reads as an
 * unknown value rather than None; known dimensions are plain ints.
 */
export const tfShapeOp = builtin("shape", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "shape", args, kwargs, ["input", "out_type=", "name="]);
  const x = a.input!;
  if (!isKerasTensor(x)) return ctx.call(shapeOp, [x]);
  return tuple(x.shape.map((d, i) => (d === null ? unknown(`tf.shape(...)[${i}], a dimension known only at run time`) : int(d))));
});

/** The op functions shared by keras.ops, keras.activations, tf and tf.nn. */
export function opFunctions(): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const a of ACTIVATIONS) out[a] = elementwiseOp(a, "activation");
  for (const m of [
    "sqrt", "square", "exp", "log", "abs", "negative", "identity", "stop_gradient", "sign", "rsqrt",
    "sin", "cos", "tan", "sinh", "cosh", "floor", "ceil", "round", "reciprocal", "log1p", "expm1", "erf", "logical_not",
    "clip", "clip_by_value",
  ]) {
    out[m] = elementwiseOp(m, "math");
  }
  out.add = binaryOp("add", "add");
  out.subtract = binaryOp("subtract", "subtract");
  out.multiply = binaryOp("multiply", "multiply");
  out.divide = binaryOp("divide", "divide");
  out.maximum = binaryOp("maximum", "maximum");
  out.minimum = binaryOp("minimum", "minimum");
  out.matmul = binaryOp("matmul", "matmul");
  for (const c of ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "logical_and", "logical_or"]) out[c] = compareOp(c);
  out.concat = concat("concat");
  out.concatenate = concat("concatenate");
  out.reshape = reshape;
  out.flatten = flattenOp;
  out.shape = shapeOp;
  for (const r of ["mean", "sum", "max", "min", "reduce_mean", "reduce_sum", "reduce_max", "reduce_min"]) out[r] = reduce(r);
  // Each call on its own is recorded, so a model can be re-run at another input size (replay.ts).
  for (const k of Object.keys(out)) {
    const f = out[k];
    if (f.kind === "builtin") out[k] = recordedBuiltin(f);
  }
  return out;
}
