// How KerasTensors behave under Python operators, attributes and indexing. Like Keras's
// automatic TF-op layers, `x + y` on symbolic tensors makes a node of its own.

import type { BinOperator } from "../../python/ast";
import type { Dim, Shape } from "../../ir/types";
import type { TensorProtocol } from "../../interp/tensor-protocol";
import { type NativeContext, type PyTensor, type Value, NONE, builtin, int, str } from "../../interp/values";
import { emitNode, isKerasTensor, kerasTensor } from "./emit";
import { broadcastShapes, formatShape, numelBatchAsOne, shapeToTuple } from "./shapes";
import { recorded } from "./replay";
import { uniqueName } from "./state";

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

/** A binary op on KerasTensors / numbers; also used by tf.add & co. */
export function kerasBinary(ctx: NativeContext, opName: string, left: Value, right: Value): Value | undefined {
  const lt = isKerasTensor(left) ? left : undefined;
  const rt = isKerasTensor(right) ? right : undefined;
  const name = uniqueName(ctx, opName);
  if (lt && rt) {
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
  const operand = other.kind === "int" || other.kind === "float" ? other.v : other.kind === "bool" ? Number(other.v) : null;
  const id = emitNode(ctx, { op: opName, category: "math", name, attrs: { operand, tensorOnLeft: !!lt }, inputs: [t], shape: t.shape });
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

function sliceLength(dim: Dim, start: Value, stop: Value, step: Value): Dim {
  const num = (v: Value): number | undefined => (v.kind === "int" ? v.v : v.kind === "none" ? undefined : NaN);
  const s = num(start);
  const e = num(stop);
  const st = num(step) ?? 1;
  if (dim === null || Number.isNaN(s) || Number.isNaN(e) || Number.isNaN(st) || st === 0) return null;
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + dim : v, st < 0 ? -1 : 0), st < 0 ? dim - 1 : dim);
  const lo = s === undefined ? (st > 0 ? 0 : dim - 1) : clamp(s);
  const hi = e === undefined ? (st > 0 ? dim : -1) : clamp(e);
  return Math.max(0, Math.ceil((hi - lo) / st));
}

const COMPARE_OPS: Record<string, string> = { "==": "equal", "!=": "not_equal", "<": "less", "<=": "less_equal", ">": "greater", ">=": "greater_equal" };

/** `x > 0` on KerasTensors: an elementwise bool tensor of the broadcast shape (keras.ops.greater). */
export function kerasCompare(ctx: NativeContext, opName: string, left: Value, right: Value): Value | undefined {
  const lt = isKerasTensor(left) ? left : undefined;
  const rt = isKerasTensor(right) ? right : undefined;
  const t = lt ?? rt;
  if (!t) return undefined;
  const other = lt ? right : left;
  if (!(lt && rt) && !["int", "float", "bool", "unknown"].includes(other.kind)) return undefined;
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
      default:
        return undefined;
    }
  },
  getItem(ctx, t, index) {
    const run = (x: Value): Value => {
      const src = x as PyTensor;
      const shape = indexShape(src.shape, index);
      const id = emitNode(ctx, { op: "get_item", category: "reshape", name: uniqueName(ctx, "get_item"), inputs: [src], shape });
      return kerasTensor(shape, id);
    };
    return recorded(ctx, (map) => run(map(t)), () => run(t));
  },
};
