// Values of small tensors computed while a model is built, where real model code takes its layer
// widths or per-block rates from tensor arithmetic: RegNet's `torch.arange(depth) * w_a + w_0` ...
// `.round().int().tolist()`, ConvNeXt's and Swin's `[x.item() for x in torch.linspace(0, rate, n)]`.
// Only tensors made from known numbers carry values (at most MAX_VALUES); every other tensor stays
// shape-only, and reading its values gives an unknown as before. Float tensors compute in float32,
// PyTorch's default dtype, so a width rounded from them rounds as it does in PyTorch.

import type { Shape } from "../../ir/types";
import { type PyTensor, type Value, bool, float, int, list } from "../../interp/values";
import { numelOf } from "./shape-math";

export const MAX_VALUES = 4096;

export type DType = "torch.float32" | "torch.float64" | "torch.int64" | "torch.bool";

const DTYPE_NAMES: Record<string, DType> = {
  "torch.float32": "torch.float32",
  "torch.float": "torch.float32",
  "torch.float64": "torch.float64",
  "torch.double": "torch.float64",
  "torch.int64": "torch.int64",
  "torch.long": "torch.int64",
  "torch.int32": "torch.int64",
  "torch.int": "torch.int64",
  "torch.bool": "torch.bool",
};

/** The dtype a `dtype=` argument names (torch.float32 is the string "torch.float32" here). */
export function dtypeNamed(v: Value | undefined): DType | undefined {
  return v?.kind === "str" ? DTYPE_NAMES[v.v.startsWith("torch.") ? v.v : `torch.${v.v}`] : undefined;
}

export const isFloatType = (d: DType): boolean => d === "torch.float32" || d === "torch.float64";

function cast(d: DType, x: number): number {
  switch (d) {
    case "torch.float32":
      return Math.fround(x);
    case "torch.int64":
      return Math.trunc(x);
    case "torch.bool":
      return x ? 1 : 0;
    default:
      return x;
  }
}

/** Gives `t` these values, cast to `dtype`; leaves it shape-only when there are too many or none. */
export function withValues(t: PyTensor, values: readonly number[] | undefined, dtype: DType): PyTensor {
  if (!values || values.length > MAX_VALUES || values.length !== knownNumel(t.shape)) return t;
  t.values = values.map((x) => cast(dtype, x));
  t.dtype = dtype;
  return t;
}

function knownNumel(shape: Shape): number {
  return shape.every((d) => d !== null) ? numelOf(shape) : -1;
}

/** A tensor's values with its dtype, when it has them. */
export function valuesOf(t: PyTensor): { values: readonly number[]; dtype: DType } | undefined {
  return t.values ? { values: t.values, dtype: (t.dtype as DType | undefined) ?? "torch.float32" } : undefined;
}

/** An operand of arithmetic: a tensor with values, or a Python number ("weak" in type promotion). */
interface Operand {
  values: readonly number[];
  dtype: DType;
  /** A Python scalar: it never widens an int tensor to int64 or a float tensor to float64. */
  weak: boolean;
}

function operand(v: Value): Operand | undefined {
  if (v.kind === "int") return { values: [v.v], dtype: "torch.int64", weak: true };
  if (v.kind === "float") return { values: [v.v], dtype: "torch.float64", weak: true };
  if (v.kind === "bool") return { values: [v.v ? 1 : 0], dtype: "torch.bool", weak: true };
  if (v.kind === "tensor" && v.values) return { values: v.values, dtype: (v.dtype as DType | undefined) ?? "torch.float32", weak: false };
  return undefined;
}

/** PyTorch's promotion for two operands (Python scalars weak; floats default to float32). */
function promote(a: Operand, b: Operand): DType {
  const rank = (d: DType) => (d === "torch.bool" ? 0 : d === "torch.int64" ? 1 : 2);
  const strong = [a, b].filter((o) => !o.weak);
  const pool = strong.length ? strong : [a, b];
  let best = pool.reduce((x, o) => (rank(o.dtype) > rank(x) ? o.dtype : x), "torch.bool" as DType);
  if (strong.length === 1) {
    const weak = a.weak ? a : b;
    if (rank(weak.dtype) > rank(best)) best = weak.dtype === "torch.float64" ? "torch.float32" : weak.dtype;
  }
  if (best === "torch.float64" && strong.every((o) => o.dtype !== "torch.float64")) best = "torch.float32";
  return best;
}

const BINARY: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  floor_divide: (a, b) => Math.floor(a / b),
  remainder: (a, b) => a - b * Math.floor(a / b),
  eq: (a, b) => Number(a === b),
  ne: (a, b) => Number(a !== b),
  lt: (a, b) => Number(a < b),
  le: (a, b) => Number(a <= b),
  gt: (a, b) => Number(a > b),
  ge: (a, b) => Number(a >= b),
};

const COMPARISONS = new Set(["eq", "ne", "lt", "le", "gt", "ge"]);

/**
 * Values of `a OP b` for the output `out` (its shape already broadcast), when both sides have values
 * and one of them is a single number or both have the output's size.
 */
export function binaryValues(op: string, a: Value, b: Value, out: PyTensor): PyTensor {
  const f = BINARY[op];
  const x = operand(a);
  const y = operand(b);
  if (!f || !x || !y) return out;
  const n = knownNumel(out.shape);
  const at = (o: Operand, i: number) => (o.values.length === 1 ? o.values[0] : o.values[i]);
  if (n < 0 || ![x, y].every((o) => o.values.length === 1 || o.values.length === n)) return out;
  let dtype = promote(x, y);
  if (COMPARISONS.has(op)) {
    const values = Array.from({ length: n }, (_, i) => f(at(x, i), at(y, i)));
    return withValues(out, values, "torch.bool");
  }
  if (op === "div" && !isFloatType(dtype)) dtype = "torch.float32";
  if (op === "pow" && !isFloatType(dtype) && [x, y].some((o) => isFloatType(o.dtype))) dtype = "torch.float32";
  // Both operands are first held in the result's type, as PyTorch computes: `arange(4) * 1.1` is
  // 1.1 in float32 times each index, rounded to float32.
  const input = (o: Operand, i: number) => (dtype === "torch.float32" ? Math.fround(at(o, i)) : at(o, i));
  const values = Array.from({ length: n }, (_, i) => f(input(x, i), input(y, i)));
  return withValues(out, values, dtype);
}

const UNARY: Record<string, { f: (x: number) => number; float?: boolean }> = {
  neg: { f: (x) => -x },
  abs: { f: Math.abs },
  sign: { f: (x) => Number(x > 0) - Number(x < 0) },
  square: { f: (x) => x * x },
  floor: { f: Math.floor },
  ceil: { f: Math.ceil },
  round: { f: roundHalfEven },
  log: { f: Math.log, float: true },
  log2: { f: Math.log2, float: true },
  log10: { f: Math.log10, float: true },
  log1p: { f: Math.log1p, float: true },
  exp: { f: Math.exp, float: true },
  expm1: { f: Math.expm1, float: true },
  sqrt: { f: Math.sqrt, float: true },
  rsqrt: { f: (x) => 1 / Math.sqrt(x), float: true },
  reciprocal: { f: (x) => 1 / x, float: true },
  sin: { f: Math.sin, float: true },
  cos: { f: Math.cos, float: true },
  sigmoid: { f: (x) => 1 / (1 + Math.exp(-x)), float: true },
};

/** torch.round rounds halves to even, as Python's round does. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Values of an elementwise function of `x` for the output `out`. */
export function unaryValues(op: string, x: PyTensor, out: PyTensor): PyTensor {
  const u = UNARY[op];
  const v = valuesOf(x);
  if (!u || !v) return out;
  const dtype = u.float && !isFloatType(v.dtype) ? "torch.float32" : v.dtype;
  return withValues(out, v.values.map(u.f), dtype);
}

/** `t.int()`, `t.float()`, `t.to(torch.int64)`: the same tensor in another dtype (values converted). */
export function converted(t: PyTensor, dtype: DType): PyTensor {
  const v = valuesOf(t);
  if (!v) return t;
  return withValues({ ...t }, v.values, dtype);
}

/** A number of a tensor's dtype as the Python value `.item()` and `.tolist()` give. */
export function pythonNumber(x: number, dtype: DType): Value {
  if (dtype === "torch.bool") return bool(x !== 0);
  return isFloatType(dtype) ? float(x) : int(x);
}

/** `.tolist()`: nested lists following the shape; undefined without values. */
export function toList(t: PyTensor): Value | undefined {
  const v = valuesOf(t);
  if (!v || knownNumel(t.shape) < 0) return undefined;
  const dims = t.shape as number[];
  const build = (d: number, offset: number): Value => {
    if (d === dims.length) return pythonNumber(v.values[offset], v.dtype);
    const stride = numelOf(dims.slice(d + 1));
    return list(Array.from({ length: dims[d] }, (_, i) => build(d + 1, offset + i * stride)));
  };
  return build(0, 0);
}

/** The single value of a one-element tensor (`.item()`, `int(t)`), when known. */
export function singleValue(t: PyTensor): number | undefined {
  return t.values && t.values.length === 1 ? t.values[0] : undefined;
}

/** Rows `start, start + step, ...` (count of them) of a tensor with values, as `out`'s values. */
export function rowValues(t: PyTensor, rows: number[], out: PyTensor): PyTensor {
  const v = valuesOf(t);
  if (!v || t.shape.length === 0 || knownNumel(t.shape) < 0) return out;
  const stride = numelOf(t.shape.slice(1) as number[]);
  const values: number[] = [];
  for (const r of rows) for (let j = 0; j < stride; j++) values.push(v.values[r * stride + j]);
  return withValues(out, values, v.dtype);
}

/**
 * Values of the `count` indices from `start` along `dim` (a split/chunk piece, an unbind slice) of a
 * tensor with values, as `out`'s values: timm splits `linspace(0, rate, sum(depths))` per stage.
 */
export function sliceValues(t: PyTensor, dim: number, start: number, count: number, out: PyTensor): PyTensor {
  const v = valuesOf(t);
  if (!v || knownNumel(t.shape) < 0 || dim >= t.shape.length) return out;
  const dims = t.shape as number[];
  const len = dims[dim];
  const inner = numelOf(dims.slice(dim + 1));
  const outer = numelOf(dims.slice(0, dim));
  const values: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let j = start; j < start + count && j < len; j++) values.push(...v.values.slice((o * len + j) * inner, (o * len + j + 1) * inner));
  }
  return withValues(out, values, v.dtype);
}

/** The numbers of nested Python lists given to torch.tensor, flattened, with the dtype they imply. */
export function listValues(v: Value): { values: number[]; dtype: DType } | undefined {
  const values: number[] = [];
  let dtype: DType = "torch.bool";
  let ok = true;
  const walk = (x: Value) => {
    if (!ok) return;
    if (x.kind === "list" || x.kind === "tuple") x.items.forEach(walk);
    else if (x.kind === "bool") values.push(x.v ? 1 : 0);
    else if (x.kind === "int") {
      values.push(x.v);
      if (dtype === "torch.bool") dtype = "torch.int64";
    } else if (x.kind === "float") {
      values.push(x.v);
      dtype = "torch.float32";
    } else if (x.kind === "tensor" && x.values && x.values.length === 1) {
      values.push(x.values[0]);
      const d = (x.dtype as DType | undefined) ?? "torch.float32";
      if (isFloatType(d)) dtype = "torch.float32";
      else if (dtype === "torch.bool" && d === "torch.int64") dtype = "torch.int64";
    } else ok = false;
  };
  walk(v);
  return ok ? { values, dtype } : undefined;
}
