// How KerasTensors behave under Python operators, attributes and indexing. Like Keras's
// automatic TF-op layers, `x + y` on symbolic tensors makes a node of its own.

import type { BinOperator } from "../../python/ast";
import type { Dim, JsonValue, Shape } from "../../ir/types";
import type { TensorProtocol } from "../../interp/tensor-protocol";
import { type NativeContext, type PyTensor, type PyUnknown, type Value, NONE, builtin, derivedUnknown, int, str, unknown } from "../../interp/values";
import { isNdarray, ndarrayShape } from "../../interp/numpy-array";
import { emitNode, isKerasTensor, isWeightTensor, kerasTensor } from "./emit";
import { broadcastShapes, formatShape, numelBatchAsOne, shapeToTuple } from "./shapes";
import { recorded } from "./replay";
import { uniqueName } from "./state";
import { unmodelledKerasLayer } from "./unmodelled-layer";

const OP_NAMES: Partial<Record<BinOperator, string>> = {
  "+": "add",
  "-": "subtract",
  "*": "multiply",
  "/": "divide",
  "//": "floor_divide",
  "%": "mod",
  "**": "power",
  "@": "matmul",
};

const VERBS: Record<string, string> = { add: "add", subtract: "subtract", multiply: "multiply", divide: "divide" };

/** The shape of `a @ b` (batch dims broadcast), without checks: for constants, which make no node. */
function matmulShape(a: Shape, b: Shape): Shape | null {
  const batch = broadcastShapes(a.slice(0, -2), b.slice(0, -2));
  if (!batch || a.length < 1 || b.length < 2) return null;
  return [...batch, ...(a.length >= 2 ? [a[a.length - 2]] : []), b[b.length - 1]];
}

/** `a @ b`: batch dims broadcast, contracting a's last with b's second-to-last. */
function matmul(ctx: NativeContext, a: PyTensor, b: PyTensor, name: string): PyTensor {
  const k = a.shape[a.shape.length - 1] ?? null;
  const kb = b.shape.length >= 2 ? b.shape[b.shape.length - 2] : b.shape[0];
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes(batchA, batchB);
  if (b.shape.length < 2 || (k !== null && kb !== null && k !== kb) || !batch) {
    ctx.reportError(`'${name}' cannot multiply matrices of shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}.`, "shape-mismatch");
  }
  const shape: Shape = [...(batch ?? batchA), a.shape[a.shape.length - 2] ?? null, b.shape[b.shape.length - 1] ?? null];
  const numel = numelBatchAsOne(shape);
  const macs = numel !== null && k !== null ? numel * k : 0;
  const id = emitNode(ctx, { op: "matmul", category: "math", name, inputs: [a, b], shape, macs });
  return kerasTensor(shape, id);
}

/**
 * What a skipped statement left (`b` after `b = layers.Dense(8)(missing(x))`) stands for a tensor of
 * unknown shape: an op on it is that same unknown, which keeps its mark, so later uses stay quiet
 * and the model's output is not given a shape (and weights) it might not have. A plain unknown is
 * a number the analyzer could not compute (`tf.shape(x)[0]` of an open dim, an unknown
 * hyperparameter): it scales a tensor without changing its shape. Stubs do not leave plain unknowns
 * where a tensor would be (a layer called on an unknown skips its statement).
 */
export function skippedOperand(...vs: Value[]): PyUnknown | undefined {
  for (const v of vs) if (v.kind === "unknown" && v.reported) return v;
  return undefined;
}

/**
 * What an op gives when an operand is not a tensor: the operand's own unknown (data the analyzer does
 * not load, named as it was), else an unknown saying that a tensor was needed.
 */
export function notATensor(op: string, ...vs: Value[]): PyUnknown {
  const data = vs.find((v): v is PyUnknown => v.kind === "unknown");
  return data ? derivedUnknown(data, `${op}() of ${data.why}`) : unknown(`${op}() needs a symbolic tensor.`);
}

/** True when every tensor given is a constant (a weight, tf.zeros(...)): ops on them stay constants, off the graph. */
const allConstant = (ts: PyTensor[]): boolean => ts.every(isWeightTensor);

/** A binary op on KerasTensors / numbers; also used by tf.add & co. */
export function kerasBinary(ctx: NativeContext, opName: string, left: Value, right: Value): Value | undefined {
  const skipped = skippedOperand(left, right);
  if (skipped) return skipped;
  // A numpy array is a constant of its shape, as Keras converts it (PixelCNN's kernel mask).
  if (isNdarray(left)) left = kerasTensor(ndarrayShape(left), "");
  if (isNdarray(right)) right = kerasTensor(ndarrayShape(right), "");
  const lt = isKerasTensor(left) ? left : undefined;
  const rt = isKerasTensor(right) ? right : undefined;
  if (lt && rt) {
    if (allConstant([lt, rt])) {
      const shape = opName === "matmul" ? matmulShape(lt.shape, rt.shape) : broadcastShapes(lt.shape, rt.shape);
      return kerasTensor(shape ?? lt.shape, "");
    }
    const name = uniqueName(ctx, opName);
    if (opName === "matmul") return matmul(ctx, lt, rt, name);
    let shape = broadcastShapes(lt.shape, rt.shape);
    if (!shape) {
      const verb = VERBS[opName] ?? `apply '${opName}' to`;
      ctx.reportError(`'${name}' cannot ${verb} KerasTensors of shapes ${formatShape(lt.shape)} and ${formatShape(rt.shape)}.`, "shape-mismatch");
      shape = lt.shape;
    }
    const id = emitNode(ctx, { op: opName, category: "merge", name, attrs: { mergeKind: opName }, inputs: [lt, rt], shape });
    return kerasTensor(shape, id);
  }
  const t = lt ?? rt;
  const other = lt ? right : left;
  if (!t || !["int", "float", "bool", "unknown"].includes(other.kind)) return undefined;
  if (allConstant([t])) return kerasTensor(t.shape, "");
  const operand = other.kind === "int" || other.kind === "float" ? other.v : other.kind === "bool" ? Number(other.v) : null;
  const id = emitNode(ctx, { op: opName, category: "math", name: uniqueName(ctx, opName), attrs: { operand, tensorOnLeft: !!lt }, inputs: [t], shape: t.shape });
  return kerasTensor(t.shape, id);
}

/** Shape of `t[index]` (ints drop a dim, slices shrink it, None adds one, ... expands). */
function indexShape(shape: Shape, index: Value): Shape {
  const items = index.kind === "tuple" ? index.items : [index];
  const consumed = items.filter((i) => i.kind !== "none" && i.kind !== "ellipsis").length;
  const out: Shape = [];
  let axis = 0;
  for (const it of items) {
    if (it.kind === "ellipsis") {
      const n = shape.length - consumed;
      for (let j = 0; j < n; j++) out.push(shape[axis++]);
    } else if (it.kind === "none") out.push(1);
    else if (it.kind === "int" || it.kind === "bool") axis++;
    else if (it.kind === "slice") out.push(sliceLength(shape[axis++], it.start, it.stop, it.step));
    else {
      axis++;
      out.push(null);
    }
  }
  while (axis < shape.length) out.push(shape[axis++]);
  return out;
}

/**
 * `t[index]` as the IR records it, in the torch stub's form (`{kind: "slice", start, stop, step}`, ...):
 * the residual analysis tells sibling pieces of one tensor apart by it (Res2Net's `x[..., :w]` and
 * `x[..., w:]`), and the profiler rebuilds the slice from it.
 */
function indexAttr(index: Value): JsonValue[] {
  const items = index.kind === "tuple" ? index.items : [index];
  const bound = (v: Value): number | null | undefined => (v.kind === "int" || v.kind === "bool" ? Number(v.v) : v.kind === "none" ? null : undefined);
  return items.map((it): JsonValue => {
    if (it.kind === "int" || it.kind === "bool") return { kind: "int", value: Number(it.v) };
    if (it.kind === "none") return { kind: "none" };
    if (it.kind === "ellipsis") return { kind: "ellipsis" };
    if (it.kind === "slice") {
      const [start, stop, step] = [bound(it.start), bound(it.stop), bound(it.step)];
      return start === undefined || stop === undefined || step === undefined ? { kind: "unknown" } : { kind: "slice", start, stop, step };
    }
    if (it.kind === "list" && it.items.every((v) => v.kind === "int")) return { kind: "list", values: it.items.map((v) => Number((v as { v: number }).v)) };
    return it.kind === "tensor" ? { kind: "tensor" } : { kind: "unknown" };
  });
}

function sliceLength(dim: Dim, start: Value, stop: Value, step: Value): Dim {
  const num = (v: Value): number | undefined => (v.kind === "int" ? v.v : v.kind === "none" ? undefined : NaN);
  const s = num(start);
  const e = num(stop);
  const st = num(step) ?? 1;
  if (dim === null || dim === undefined || Number.isNaN(s) || Number.isNaN(e) || Number.isNaN(st) || st === 0) return null;
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + dim : v, st < 0 ? -1 : 0), st < 0 ? dim - 1 : dim);
  const lo = s === undefined ? (st > 0 ? 0 : dim - 1) : clamp(s);
  const hi = e === undefined ? (st > 0 ? dim : -1) : clamp(e);
  return Math.max(0, Math.ceil((hi - lo) / st));
}

const COMPARE_OPS: Record<string, string> = { "==": "equal", "!=": "not_equal", "<": "less", "<=": "less_equal", ">": "greater", ">=": "greater_equal" };

/** `x > 0` on KerasTensors: an elementwise bool tensor of the broadcast shape (keras.ops.greater). */
export function kerasCompare(ctx: NativeContext, opName: string, left: Value, right: Value): Value | undefined {
  const skipped = skippedOperand(left, right);
  if (skipped) return skipped;
  const lt = isKerasTensor(left) ? left : undefined;
  const rt = isKerasTensor(right) ? right : undefined;
  const t = lt ?? rt;
  if (!t) return undefined;
  const other = lt ? right : left;
  if (!(lt && rt) && !["int", "float", "bool", "unknown"].includes(other.kind)) return undefined;
  if (allConstant(lt && rt ? [lt, rt] : [t])) return kerasTensor((lt && rt ? broadcastShapes(lt.shape, rt.shape) : null) ?? t.shape, "");
  const name = uniqueName(ctx, opName);
  let shape = lt && rt ? broadcastShapes(lt.shape, rt.shape) : t.shape;
  if (!shape) {
    ctx.reportError(`'${name}' cannot compare KerasTensors of shapes ${formatShape(lt!.shape)} and ${formatShape(rt!.shape)}.`, "shape-mismatch");
    shape = t.shape;
  }
  const id = emitNode(ctx, { op: opName, category: "math", name, inputs: lt && rt ? [lt, rt] : [t], shape });
  return kerasTensor(shape, id);
}

export const kerasTensorProtocol: TensorProtocol = {
  compare(ctx, op, left, right) {
    if (left.kind === "none" || right.kind === "none") return undefined;
    return kerasCompare(ctx, COMPARE_OPS[op], left, right);
  },
  binary(ctx, op, left, right) {
    const opName = OP_NAMES[op];
    if (!opName) return undefined;
    let unsupported = false;
    const run = (l: Value, r: Value): Value => {
      const v = kerasBinary(ctx, opName, l, r);
      unsupported = v === undefined;
      return v ?? NONE;
    };
    const out = recorded(ctx, (map) => run(map(left), map(right)), () => run(left, right));
    return unsupported ? undefined : out;
  },
  unary(ctx, op, operand) {
    if (op === "+") return operand;
    const opName = op === "-" ? "negative" : "invert";
    const run = (x: Value): Value => {
      const t = x as PyTensor;
      if (isWeightTensor(t)) return kerasTensor(t.shape, "");
      const id = emitNode(ctx, { op: opName, category: "math", name: uniqueName(ctx, opName), inputs: [t], shape: t.shape });
      return kerasTensor(t.shape, id);
    };
    return recorded(ctx, (map) => run(map(operand)), () => run(operand));
  },
  attr(_ctx, t, name) {
    switch (name) {
      case "shape":
        return shapeToTuple(t.shape);
      case "ndim":
        return int(t.shape.length);
      case "dtype":
        return str(t.dtype ?? "float32");
      case "name":
        return str(t.node);
      case "get_shape":
        return builtin("get_shape", () => shapeToTuple(t.shape));
      // A weight's new value (PixelCNN masks its conv kernel in call()): values are not modelled.
      case "assign":
      case "assign_add":
      case "assign_sub":
        return isWeightTensor(t) ? builtin(name, () => t) : undefined;
      default:
        return undefined;
    }
  },
  getItem(ctx, t, index) {
    const run = (x: Value): Value => {
      const src = x as PyTensor;
      const shape = indexShape(src.shape, index);
      if (isWeightTensor(src)) return kerasTensor(shape, "");
      const id = emitNode(ctx, { op: "get_item", category: "reshape", name: uniqueName(ctx, "get_item"), attrs: { index: indexAttr(index) }, inputs: [src], shape });
      return kerasTensor(shape, id);
    };
    return recorded(ctx, (map) => run(map(t)), () => run(t));
  },
  unknownLayer: unmodelledKerasLayer,
};
