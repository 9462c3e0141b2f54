// Elementwise arithmetic with broadcasting, shape-preserving unary ops, reductions and matmul on
// symbolic tensors. Shared by the tensor protocol, `torch.*` and `torch.nn.functional`.

import type { JsonValue, NodeCategory, Shape } from "../../ir/types";
import { type NativeContext, type PyTensor, type PyUnknown, type Value, int } from "../../interp/values";
import { toBool, toInt } from "../../interp/args";
import { opNode, tensorOrUndefined } from "./nodes";
import { isNdarray } from "../../interp/numpy-array";
import { fromData } from "./factories";
import { broadcastShapes, formatShape, matmulShape, normDim, numelOf } from "./shape-math";
import { type DType, binaryValues, withValues } from "./tensor-values";

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

/**
 * Number-like scalar operand: a Python number, or an unknown a stub made for a number it could not
 * compute (`x.size(1)` of an unknown dim, `t.item()`), which scales a tensor without changing its shape.
 */
function scalarOf(v: Value): JsonValue | undefined {
  if (v.kind === "int" || v.kind === "float" || v.kind === "bool") return v.v;
  if (v.kind === "unknown") return null;
  return undefined;
}

/**
 * What a skipped statement left (`x` after `x = self.missing(inp)`) may have been a tensor of any
 * shape: an elementwise op on it is that same unknown, which keeps its mark, so later uses stay
 * quiet and the output is not given a shape the model might not have.
 */
export function skippedOperand(...vs: Value[]): PyUnknown | undefined {
  for (const v of vs) if (v.kind === "unknown" && v.reported) return v;
  return undefined;
}

/**
 * The operands of an elementwise `a OP b` with at least one tensor: the tensor inputs and their
 * broadcast shape (a located error when they do not broadcast, naming the `verb`), a number side
 * recorded in `attrs`. Undefined when an operand is neither a tensor nor a number.
 */
function elementwiseOperands(ctx: NativeContext, a: Value, b: Value, verb: string, attrs: Record<string, JsonValue>): { inputs: PyTensor[]; shape: Shape } | undefined {
  const ta = tensorOrUndefined(ctx, a);
  const tb = tensorOrUndefined(ctx, b);
  if (ta && tb) {
    const shape = broadcastShapes(ta.shape, tb.shape);
    if (!shape) {
      ctx.reportError(`Cannot ${verb} tensors of shapes ${formatShape(ta.shape)} and ${formatShape(tb.shape)}: they do not broadcast.`, "shape-mismatch");
    }
    return { inputs: [ta, tb], shape: shape ?? [...ta.shape] };
  }
  const t = ta ?? tb;
  const scalar = ta ? scalarOf(b) : scalarOf(a);
  if (!t || scalar === undefined) return undefined;
  attrs.scalar = scalar;
  if (!ta) attrs.reversed = true;
  return { inputs: [t], shape: [...t.shape] };
}

/**
 * `a OP b` with at least one tensor. Tensor+tensor add is a "merge" (residual joins); everything
 * else is "math". An operand a skipped statement left makes the result that unknown; undefined when
 * an operand is neither a tensor nor a number.
 */
export function arith(ctx: NativeContext, op: ArithOp, a: Value, b: Value, inplace = false): PyTensor | PyUnknown | undefined {
  const skipped = skippedOperand(a, b);
  if (skipped) return skipped;
  // A numpy operand is a constant tensor of its shape, as torch converts it.
  if (isNdarray(a)) a = fromData(ctx, "from_numpy", a, new Map());
  if (isNdarray(b)) b = fromData(ctx, "from_numpy", b, new Map());
  const attrs: Record<string, JsonValue> = inplace ? { inplace: true } : {};
  const o = elementwiseOperands(ctx, a, b, VERBS[op], attrs);
  if (!o) return undefined;
  const category: NodeCategory = op === "add" && o.inputs.length === 2 ? "merge" : "math";
  return binaryValues(op, a, b, opNode(ctx, { op, category, inputs: o.inputs, shape: o.shape, attrs }));
}

/**
 * An elementwise comparison (`x > 0`, `mask == 0`, torch.gt): a bool tensor of the broadcast shape,
 * with values when both sides have them; a skipped statement's unknown operand makes it that unknown.
 * Undefined when an operand is neither a tensor nor a number.
 */
export function compare(ctx: NativeContext, op: CompareOp, a: Value, b: Value): PyTensor | PyUnknown | undefined {
  const skipped = skippedOperand(a, b);
  if (skipped) return skipped;
  // A numpy operand is a constant tensor of its shape, as torch converts it.
  if (isNdarray(a)) a = fromData(ctx, "from_numpy", a, new Map());
  if (isNdarray(b)) b = fromData(ctx, "from_numpy", b, new Map());
  const attrs: Record<string, JsonValue> = {};
  const o = elementwiseOperands(ctx, a, b, "compare", attrs);
  if (!o) return undefined;
  const out = binaryValues(op, a, b, opNode(ctx, { op, category: "math", inputs: o.inputs, shape: o.shape, attrs }));
  out.dtype = "torch.bool";
  return out;
}

export type CompareOp = "eq" | "ne" | "lt" | "le" | "gt" | "ge";

/** torch.where(condition, x, y): the three shapes broadcast together. */
export function where(ctx: NativeContext, cond: Value, x: Value, y: Value): PyTensor | PyUnknown | undefined {
  const skipped = skippedOperand(cond, x, y);
  if (skipped) return skipped;
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

/** mean/sum/amax/norm/... over `dim` (all dims when None) with keepdim; `extra` attrs (norm's p) kept. */
export function reduce(ctx: NativeContext, op: string, x: PyTensor, dim: Value | undefined, keepdim: Value | undefined, extra: Record<string, JsonValue> = {}): PyTensor {
  const dims = parseDims(ctx, dim, x.shape.length, op);
  const keep = toBool(ctx, keepdim, false);
  const all = dims ?? x.shape.map((_, i) => i);
  const shape: Shape = keep ? x.shape.map((d, i) => (all.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !all.includes(i));
  return opNode(ctx, { op, category: "math", inputs: [x], shape, attrs: { ...extra, dim: dims ?? null, keepdim: keep } });
}

/**
 * Tensor.norm / torch.norm / torch.linalg.vector_norm: a reduction over `dim` (all dims when None)
 * recording the order, a number or a name ('fro', 'nuc'; infinity as "inf").
 */
export function norm(ctx: NativeContext, op: string, x: PyTensor, p: Value | undefined, dim: Value | undefined, keepdim: Value | undefined): PyTensor {
  const order: JsonValue =
    p === undefined || p.kind === "none" ? null
    : p.kind === "str" ? p.v
    : p.kind === "int" || p.kind === "float" ? (Number.isFinite(p.v) ? p.v : p.v > 0 ? "inf" : "-inf")
    : null;
  return reduce(ctx, op, x, dim, keepdim, { p: order });
}

/**
 * addcmul / addcdiv: `input + value * t1 * t2` (or `/ t2`), the three shapes broadcast together, a
 * numeric `value` recorded; a skipped statement's unknown operand makes it that unknown. Undefined
 * when an operand is not a tensor.
 */
export function addCombined(ctx: NativeContext, op: "addcmul" | "addcdiv", operands: Value[], value: Value | undefined, inplace = false): PyTensor | PyUnknown | undefined {
  const skipped = skippedOperand(...operands);
  if (skipped) return skipped;
  const ts = operands.map((v) => tensorOrUndefined(ctx, v));
  if (ts.some((t) => !t)) return undefined;
  const inputs = ts as PyTensor[];
  let shape: Shape | undefined = inputs[0].shape;
  for (const t of inputs.slice(1)) shape = shape && broadcastShapes(shape, t.shape);
  if (!shape) {
    ctx.reportError(`${op} cannot broadcast the shapes ${inputs.map((t) => formatShape(t.shape)).join(", ")}.`, "shape-mismatch");
    shape = [...inputs[0].shape];
  }
  const attrs: Record<string, JsonValue> = { value: value ? (scalarOf(value) ?? null) : 1 };
  if (inplace) attrs.inplace = true;
  return opNode(ctx, { op, category: "math", inputs, shape, attrs });
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

/** torch.outer(a, b) / ger: [n] x [m] -> [n, m]. */
export function outer(ctx: NativeContext, a: PyTensor, b: PyTensor, op = "outer"): PyTensor {
  if (a.shape.length !== 1 || b.shape.length !== 1) {
    ctx.reportError(`${op}() expects two 1-D tensors, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}.`, "shape-mismatch");
  }
  return opNode(ctx, { op, category: "math", inputs: [a, b], shape: [a.shape[0] ?? null, b.shape[0] ?? null] });
}

/**
 * diff(n, dim, prepend, append): `dim` (prepended and appended along it) shrinks by n; a plain 1-D
 * diff of a tensor with values keeps them.
 */
export function diff(ctx: NativeContext, x: PyTensor, nV: Value | undefined, dimV: Value | undefined, prepend: Value | undefined, append: Value | undefined): PyTensor {
  const n = toInt(ctx, nV, "n", 1);
  const [dim] = parseDims(ctx, dimV ?? int(-1), x.shape.length, "diff")!;
  const extras = [prepend, append].map((v) => tensorOrUndefined(ctx, v));
  const along = (t: PyTensor | undefined, v: Value | undefined): number | null => (t ? (t.shape[dim] ?? 1) : v && v.kind !== "none" ? 1 : 0);
  const parts = [x.shape[dim], along(extras[0], prepend), along(extras[1], append)];
  const shape = [...x.shape];
  shape[dim] = parts.some((p) => p === null) ? null : Math.max(0, (parts as number[]).reduce((a, b) => a + b, 0) - n);
  const out = opNode(ctx, { op: "diff", category: "math", inputs: [x, ...extras.filter((t): t is PyTensor => !!t)], shape, attrs: { n, dim } });
  const plain = n === 1 && parts[1] === 0 && parts[2] === 0;
  return plain && x.values && x.shape.length === 1 ? withValues(out, x.values.slice(1).map((v, i) => v - x.values![i]), x.dtype as DType) : out;
}

/** cumsum/cumprod/triu/tril/...: same shape, with the `dim` or `diagonal` they were given. */
export function sameShapeWith(ctx: NativeContext, op: string, x: PyTensor, attrs: Record<string, JsonValue>, inplace = false): PyTensor {
  return sameShape(ctx, op, "math", x, inplace ? { ...attrs, inplace: true } : attrs);
}

/**
 * topk / sort: the values and their int64 indices (both `dim` = k for topk). Returned as the named
 * pair torch.return_types builds, so `values, indices = ...` and `.values` both work.
 */
export function ordered(ctx: NativeContext, op: "topk" | "sort", x: PyTensor, k: number | null, dimV: Value | undefined): [PyTensor, PyTensor] {
  const [dim] = x.shape.length === 0 ? [0] : parseDims(ctx, dimV ?? int(-1), x.shape.length, op)!;
  const shape = [...x.shape];
  if (op === "topk" && shape.length > 0) {
    const len = shape[dim];
    if (k !== null && len !== null && k > len) ctx.raise("RuntimeError", `Cannot take the top ${k} values along dim ${dim} of a tensor of shape ${formatShape(x.shape)}: it has only ${len}`);
    shape[dim] = k;
  }
  const values = opNode(ctx, { op, category: "math", inputs: [x], shape, attrs: op === "topk" ? { k, dim } : { dim } });
  const indices = sameShape(ctx, `${op}_indices`, "math", values);
  indices.dtype = "torch.int64";
  return [values, indices];
}

/**
 * F.scaled_dot_product_attention: q [..., L, E], k [..., S, E], v [..., S, Ev] -> [..., L, Ev].
 * MACs count both products like matmul does: (L*S*E + L*S*Ev) per batch element of q.
 */
export function scaledDotProductAttention(ctx: NativeContext, q: PyTensor, k: PyTensor, v: PyTensor, mask: PyTensor | undefined, attrs: Record<string, JsonValue>): PyTensor {
  const last = (t: PyTensor, i: number) => t.shape[t.shape.length - i] ?? null;
  const [L, E, S, Ek, Sv, Ev] = [last(q, 2), last(q, 1), last(k, 2), last(k, 1), last(v, 2), last(v, 1)];
  const clash = (a: number | null, b: number | null) => a !== null && b !== null && a !== b;
  if (clash(E, Ek) || clash(S, Sv) || [q, k, v].some((t) => t.shape.length < 2)) {
    ctx.reportError(
      `scaled_dot_product_attention needs query [..., L, E], key [..., S, E] and value [..., S, Ev], got ${formatShape(q.shape)}, ${formatShape(k.shape)} and ${formatShape(v.shape)}.`,
      "shape-mismatch",
    );
  }
  const batch = q.shape.slice(0, -2);
  // Unknown sizes count as 1, as matmul counts them.
  const macs = numelOf(batch) * (L ?? 1) * (S ?? 1) * ((E ?? 1) + (Ev ?? 1));
  const inputs = mask ? [q, k, v, mask] : [q, k, v];
  return opNode(ctx, { op: "scaled_dot_product_attention", category: "math", inputs, shape: [...q.shape.slice(0, -1), Ev], macs, attrs });
}
