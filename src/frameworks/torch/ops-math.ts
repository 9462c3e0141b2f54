// Elementwise arithmetic with broadcasting, shape-preserving unary ops, reductions and matmul on
// symbolic tensors. Shared by the tensor protocol, `torch.*` and `torch.nn.functional`.

import type { JsonValue, NodeCategory, Shape } from "../../ir/types";
import type { NativeContext, PyTensor, Value } from "../../interp/values";
import { toBool, toInt } from "../../interp/args";
import { opNode, tensorOrUndefined } from "./nodes";
import { broadcastShapes, formatShape, matmulShape, normDim } from "./shape-math";
import { binaryValues } from "./tensor-values";

export type ArithOp = "add" | "sub" | "mul" | "div" | "pow" | "floor_divide" | "remainder";

const VERBS: Record<ArithOp, string> = {
  add: "add",
  sub: "subtract",
  mul: "multiply",
  div: "divide",
  pow: "raise to a power",
  floor_divide: "floor-divide",
  remainder: "take the remainder of",
};

/** Number-like scalar operand (Python numbers and values we could not compute). */
function scalarOf(v: Value): JsonValue | undefined {
  if (v.kind === "int" || v.kind === "float" || v.kind === "bool") return v.v;
  if (v.kind === "unknown") return null;
  return undefined;
}

/**
 * `a OP b` with at least one tensor. Tensor+tensor add is a "merge" (residual joins); everything
 * else is "math". Returns undefined when an operand is neither a tensor nor a number.
 */
export function arith(ctx: NativeContext, op: ArithOp, a: Value, b: Value, inplace = false): PyTensor | undefined {
  const ta = tensorOrUndefined(ctx, a);
  const tb = tensorOrUndefined(ctx, b);
  const attrs: Record<string, JsonValue> = inplace ? { inplace: true } : {};
  if (ta && tb) {
    let shape = broadcastShapes(ta.shape, tb.shape);
    if (!shape) {
      ctx.reportError(
        `Cannot ${VERBS[op]} tensors of shapes ${formatShape(ta.shape)} and ${formatShape(tb.shape)}: they do not broadcast.`,
        "shape-mismatch",
      );
      shape = [...ta.shape];
    }
    const category: NodeCategory = op === "add" ? "merge" : "math";
    return binaryValues(op, ta, tb, opNode(ctx, { op, category, inputs: [ta, tb], shape, attrs }));
  }
  const t = ta ?? tb;
  const scalar = ta ? scalarOf(b) : scalarOf(a);
  if (!t || scalar === undefined) return undefined;
  attrs.scalar = scalar;
  if (!ta) attrs.reversed = true;
  return binaryValues(op, a, b, opNode(ctx, { op, category: "math", inputs: [t], shape: [...t.shape], attrs }));
}

/**
 * An elementwise comparison (`x > 0`, `mask == 0`, torch.gt): a bool tensor of the broadcast shape,
 * with values when both sides have them. Undefined when an operand is neither a tensor nor a number.
 */
export function compare(ctx: NativeContext, op: CompareOp, a: Value, b: Value): PyTensor | undefined {
  const ta = tensorOrUndefined(ctx, a);
  const tb = tensorOrUndefined(ctx, b);
  let shape: Shape;
  let inputs: PyTensor[];
  const attrs: Record<string, JsonValue> = {};
  if (ta && tb) {
    shape = broadcastShapes(ta.shape, tb.shape) ?? [...ta.shape];
    if (!broadcastShapes(ta.shape, tb.shape)) {
      ctx.reportError(`Cannot compare tensors of shapes ${formatShape(ta.shape)} and ${formatShape(tb.shape)}: they do not broadcast.`, "shape-mismatch");
    }
    inputs = [ta, tb];
  } else {
    const t = ta ?? tb;
    const scalar = ta ? scalarOf(b) : scalarOf(a);
    if (!t || scalar === undefined) return undefined;
    attrs.scalar = scalar;
    if (!ta) attrs.reversed = true;
    shape = [...t.shape];
    inputs = [t];
  }
  const out = binaryValues(op, a, b, opNode(ctx, { op, category: "math", inputs, shape, attrs }));
  out.dtype = "torch.bool";
  return out;
}

export type CompareOp = "eq" | "ne" | "lt" | "le" | "gt" | "ge";

/** torch.where(condition, x, y): the three shapes broadcast together. */
export function where(ctx: NativeContext, cond: Value, x: Value, y: Value): PyTensor | undefined {
  const ts = [cond, x, y].map((v) => tensorOrUndefined(ctx, v));
  const shapes = ts.flatMap((t) => (t ? [t.shape] : []));
  if (!ts[0] || [x, y].some((v, i) => !ts[i + 1] && scalarOf(v) === undefined)) return undefined;
  let shape: Shape | undefined = shapes[0];
  for (const s of shapes.slice(1)) shape = shape && broadcastShapes(shape, s);
  if (!shape) {
    ctx.reportError(`torch.where cannot broadcast shapes ${shapes.map(formatShape).join(", ")}.`, "shape-mismatch");
    shape = [...shapes[0]];
  }
  return opNode(ctx, { op: "where", category: "math", inputs: ts.filter((t): t is PyTensor => !!t), shape, attrs: {} });
}

/** A node whose output has its input's shape (activations, exp, clamp, ...). */
export function sameShape(
  ctx: NativeContext,
  op: string,
  category: NodeCategory,
  x: PyTensor,
  attrs: Record<string, JsonValue> = {},
): PyTensor {
  return opNode(ctx, { op, category, inputs: [x], shape: [...x.shape], attrs });
}

/** Parses a `dim` argument: None (all dims), an int, or a tuple of ints; normalised. */
export function parseDims(ctx: NativeContext, dim: Value | undefined, rank: number, fn: string): number[] | undefined {
  if (dim === undefined || dim.kind === "none") return undefined;
  const raw = dim.kind === "tuple" || dim.kind === "list" ? dim.items.map((v) => toInt(ctx, v, "dim")) : [toInt(ctx, dim, "dim")];
  return raw.map((d) => {
    const n = normDim(d, Math.max(rank, 1));
    return n ?? ctx.raise("IndexError", `${fn}(): dimension ${d} is out of range for a tensor of rank ${rank}.`);
  });
}

/** mean/sum/amax/... over `dim` (all dims when None) with keepdim. */
export function reduce(ctx: NativeContext, op: string, x: PyTensor, dim: Value | undefined, keepdim: Value | undefined): PyTensor {
  const dims = parseDims(ctx, dim, x.shape.length, op);
  const keep = toBool(ctx, keepdim, false);
  const all = dims ?? x.shape.map((_, i) => i);
  const shape: Shape = keep ? x.shape.map((d, i) => (all.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !all.includes(i));
  return opNode(ctx, { op, category: "math", inputs: [x], shape, attrs: { dim: dims ?? null, keepdim: keep } });
}

/** torch.matmul / `@` / bmm / mm: MACs are the batched m*n*k product. */
export function matmul(ctx: NativeContext, a: PyTensor, b: PyTensor, op = "matmul"): PyTensor {
  const r = matmulShape(a.shape, b.shape);
  if (typeof r === "string") {
    ctx.reportError(`Cannot ${op} tensors of shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}: ${r}.`, "shape-mismatch");
    const shape = [...a.shape.slice(0, -1), b.shape[b.shape.length - 1] ?? null];
    return opNode(ctx, { op, category: "math", inputs: [a, b], shape });
  }
  return opNode(ctx, { op, category: "math", inputs: [a, b], shape: r.shape, macs: r.macs });
}

/** softmax / log_softmax along `dim` (shape-preserving, validated). */
export function softmaxLike(ctx: NativeContext, op: string, x: PyTensor, dim: Value | undefined): PyTensor {
  const dims = parseDims(ctx, dim, x.shape.length, op);
  return sameShape(ctx, op, "activation", x, { dim: dims ? dims[0] : null });
}
