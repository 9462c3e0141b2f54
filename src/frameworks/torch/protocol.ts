// The PyTorch tensor protocol: operators, attributes (`x.shape`) and methods (`x.view(-1, n)`) of
// symbolic tensors. Methods are builtins closed over their tensor.

import type { BinOperator } from "../../python/ast";
import type { TensorProtocol } from "../../interp/tensor-protocol";
import { type Kwargs, type NativeContext, type PyTensor, type Value, FALSE, NONE, builtin, int, str, tuple, unknown } from "../../interp/values";
import { bindArgs, toInt, toNumber } from "../../interp/args";
import { type ArithOp, type CompareOp, addCombined, arith, compare, diff, matmul, norm, ordered, outer, parseDims, reduce, sameShape, sameShapeWith, skippedOperand, softmaxLike, where } from "./ops-math";
import {
  chunk,
  expand,
  flatten,
  flip,
  gather,
  getItem,
  indexItem,
  movedim,
  permute,
  repeatInterleave,
  roll,
  sizeArgs,
  split,
  squeeze,
  transpose,
  unbind,
  unflatten,
  unsqueeze,
  view,
} from "./ops-shape";
import { valuesAndIndices } from "./return-types";
import { tensorUnfold } from "./layers-fold";
import { dtypeOfTypeTarget, isTypeTarget, legacyTypeName } from "./tensor-types";
import { newTensor } from "./factories";
import { asTensor, opNode, tensorOrUndefined } from "./nodes";
import { isKnown, numelOf } from "./shape-math";
import { type DType, MAX_VALUES, withValues, converted, dtypeNamed, pythonNumber, singleValue, toList, unaryValues } from "./tensor-values";
import { unknownLayerNode } from "./unknown-layer";

const ARITH: Partial<Record<BinOperator, ArithOp>> = {
  "+": "add",
  "-": "sub",
  "*": "mul",
  "/": "div",
  "**": "pow",
  "//": "floor_divide",
  "%": "remainder",
};

/** A dimension as a Python value: int when known, unknown otherwise. */
export const dimValue = (d: number | null, i: number): Value =>
  d === null ? unknown(`The size of dimension ${i} is not known statically.`) : int(d);

export const shapeTuple = (t: PyTensor): Value => tuple(t.shape.map(dimValue));

type Method = (ctx: NativeContext, t: PyTensor, args: Value[], kwargs: Kwargs) => Value;

const bind = (ctx: NativeContext, name: string, args: Value[], kwargs: Kwargs, spec: string[]) => bindArgs(ctx, name, args, kwargs, spec);

const same: Method = (_ctx, t) => t;
const unaryAct = (op: string, category: "activation" | "math" = "activation", inplace = false): Method => (ctx, t) =>
  unaryValues(op, t, sameShape(ctx, op, category, t, inplace ? { inplace: true } : {}));
/** `.int()`, `.float()`, ...: the same graph tensor; values, when it has them, converted. */
const asType = (dtype: DType): Method => (_ctx, t) => converted(t, dtype);
const arithMethod = (op: ArithOp, inplace = false): Method => (ctx, t, args, kwargs) => {
  const a = bind(ctx, op, args, kwargs, ["other", "alpha=", "rounding_mode="]);
  return arith(ctx, op, t, a.other!, inplace) ?? ctx.raise("TypeError", `${op}() expects a tensor or a number, got ${ctx.repr(a.other!)}.`);
};
/** `t.addcmul(t1, t2, value=1)`, `t.addcdiv_(...)`: t + value * t1 * t2 (or / t2). */
const addCombinedMethod = (op: "addcmul" | "addcdiv", inplace = false): Method => (ctx, t, args, kwargs) => {
  const a = bind(ctx, op, args, kwargs, ["tensor1", "tensor2", "value="]);
  return addCombined(ctx, op, [t, a.tensor1!, a.tensor2!], a.value, inplace) ?? ctx.raise("TypeError", `${op}() expects tensor1 and tensor2 to be tensors, got ${ctx.repr(a.tensor1!)} and ${ctx.repr(a.tensor2!)}.`);
};
const reduceMethod = (op: string): Method => (ctx, t, args, kwargs) => {
  const a = bind(ctx, op, args, kwargs, ["dim=", "keepdim=", "dtype="]);
  return reduce(ctx, op, t, a.dim, a.keepdim);
};
/**
 * var/std over `dim` (all dims when None). Both signatures PyTorch has: `var(dim, unbiased,
 * keepdim)` and `var(dim=None, *, correction=1, keepdim=False)`, and `var(unbiased)` with a bool
 * first. The correction (0 when unbiased=False) is recorded; it changes values, never the shape.
 */
function varianceArgs(ctx: NativeContext, op: string, args: Value[], kwargs: Kwargs) {
  const positional = args[0]?.kind === "bool" ? [NONE, ...args] : args;
  const a = bind(ctx, op, positional, kwargs, ["dim=", "unbiased=", "keepdim=", "*", "correction=", "out="]);
  const unbiased = a.unbiased && a.unbiased.kind !== "none" ? ctx.truthy(a.unbiased) : undefined;
  const correction = unbiased === false ? 0 : a.correction && a.correction.kind !== "none" ? toNumber(ctx, a.correction, "correction") : 1;
  return { dim: a.dim, keepdim: a.keepdim, correction };
}

const varianceMethod = (op: "var" | "std"): Method => (ctx, t, args, kwargs) => {
  const a = varianceArgs(ctx, op, args, kwargs);
  return reduce(ctx, op, t, a.dim, a.keepdim, { correction: a.correction });
};

/** torch.var_mean / torch.std_mean: the statistic and the mean over the same dims, as a tuple. */
export const statisticAndMean = (op: "var" | "std"): Method => (ctx, t, args, kwargs) => {
  const a = varianceArgs(ctx, `${op}_mean`, args, kwargs);
  return tuple([reduce(ctx, op, t, a.dim, a.keepdim, { correction: a.correction }), reduce(ctx, "mean", t, a.dim, a.keepdim)]);
};

/** max/min with a dim return (values, indices); without one, a 0-d tensor. */
const extremum = (op: string): Method => (ctx, t, args, kwargs) => {
  const a = bind(ctx, op, args, kwargs, ["dim=", "keepdim="]);
  if (a.dim && a.dim.kind === "tensor") return arith(ctx, "add", t, a.dim) ?? t;
  const values = reduce(ctx, op, t, a.dim, a.keepdim);
  if (!a.dim || a.dim.kind === "none") return values;
  const indices = sameShape(ctx, `arg${op}`, "math", values);
  indices.dtype = "torch.int64";
  return valuesAndIndices(ctx, op, values, indices);
};

export const TENSOR_METHODS: Record<string, Method> = {
  size: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "size", args, kwargs, ["dim="]);
    if (!a.dim || a.dim.kind === "none") return shapeTuple(t);
    const d = toInt(ctx, a.dim, "dim");
    const n = d < 0 ? d + t.shape.length : d;
    if (n < 0 || n >= t.shape.length) ctx.raise("IndexError", `size(): dimension ${d} is out of range for a tensor of rank ${t.shape.length}.`);
    return dimValue(t.shape[n], n);
  },
  dim: (_ctx, t) => int(t.shape.length),
  // Only small tensors made from known numbers have values (tensor-values.ts): reading one out of
  // any other (after argmax, a loss, ...) gives an unknown number.
  item: (_ctx, t) => {
    const x = singleValue(t);
    return x === undefined ? unknown("a tensor's value (the analyzer tracks shapes, not values)") : pythonNumber(x, t.dtype as DType);
  },
  tolist: (_ctx, t) => toList(t) ?? unknown("a tensor's values (the analyzer tracks shapes, not values)"),
  ndimension: (_ctx, t) => int(t.shape.length),
  numel: (_ctx, t) => (isKnown(t.shape) ? int(numelOf(t.shape)) : unknown("The number of elements is not known statically.")),
  view: (ctx, t, args) => view(ctx, "view", t, sizeArgs(ctx, args)),
  reshape: (ctx, t, args) => view(ctx, "reshape", t, sizeArgs(ctx, args)),
  view_as: (ctx, t, args) => view(ctx, "view", t, asTensor(ctx, args[0], "view_as", "other").shape),
  reshape_as: (ctx, t, args) => view(ctx, "reshape", t, asTensor(ctx, args[0], "reshape_as", "other").shape),
  flatten: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "flatten", args, kwargs, ["start_dim=", "end_dim="]);
    return flatten(ctx, t, toInt(ctx, a.start_dim, "start_dim", 0), toInt(ctx, a.end_dim, "end_dim", -1));
  },
  permute: (ctx, t, args) => permute(ctx, t, args),
  transpose: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "transpose", args, kwargs, ["dim0", "dim1"]);
    return transpose(ctx, t, a.dim0, a.dim1);
  },
  t: (ctx, t) => transpose(ctx, t, undefined, undefined, "t"),
  // NumPy's names for transpose and for a permute given by the dims that move.
  swapaxes: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "swapaxes", args, kwargs, ["axis0", "axis1"]);
    return transpose(ctx, t, a.axis0, a.axis1, "transpose", "swapaxes");
  },
  swapdims: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "swapdims", args, kwargs, ["dim0", "dim1"]);
    return transpose(ctx, t, a.dim0, a.dim1, "transpose", "swapdims");
  },
  movedim: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "movedim", args, kwargs, ["source", "destination"]);
    return movedim(ctx, t, a.source, a.destination);
  },
  moveaxis: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "moveaxis", args, kwargs, ["source", "destination"]);
    return movedim(ctx, t, a.source, a.destination, "moveaxis");
  },
  unsqueeze: (ctx, t, args, kwargs) => unsqueeze(ctx, t, bind(ctx, "unsqueeze", args, kwargs, ["dim"]).dim),
  squeeze: (ctx, t, args, kwargs) => squeeze(ctx, t, bind(ctx, "squeeze", args, kwargs, ["dim="]).dim),
  expand: (ctx, t, args) => expand(ctx, t, sizeArgs(ctx, args)),
  expand_as: (ctx, t, args) => expand(ctx, t, asTensor(ctx, args[0], "expand_as", "other").shape),
  repeat: (ctx, t, args) => {
    const reps = sizeArgs(ctx, args);
    const padded = [...new Array(Math.max(0, reps.length - t.shape.length)).fill(1), ...t.shape];
    const shape = reps.map((r, i) => (r === null || padded[i] === null ? null : r * padded[i]));
    return opNode(ctx, { op: "repeat", category: "reshape", inputs: [t], shape, attrs: { repeats: reps } });
  },
  chunk: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "chunk", args, kwargs, ["chunks", "dim="]);
    return tuple(chunk(ctx, t, a.chunks, a.dim));
  },
  split: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "split", args, kwargs, ["split_size_or_sections", "dim="]);
    return tuple(split(ctx, t, a.split_size_or_sections, a.dim));
  },
  diff: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "diff", args, kwargs, ["n=", "dim=", "prepend=", "append="]);
    return diff(ctx, t, a.n, a.dim, a.prepend, a.append);
  },
  unbind: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "unbind", args, kwargs, ["dim="]);
    return unbindTuple(ctx, t, a.dim);
  },
  unflatten: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "unflatten", args, kwargs, ["dim", "sizes"]);
    return unflatten(ctx, t, a.dim, a.sizes);
  },
  unfold: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "unfold", args, kwargs, ["dimension", "size", "step"]);
    return tensorUnfold(ctx, t, toInt(ctx, a.dimension, "dimension"), toInt(ctx, a.size, "size"), toInt(ctx, a.step, "step"));
  },
  flip: (ctx, t, args, kwargs) => flip(ctx, t, kwargs.get("dims") ?? (args.length === 1 ? args[0] : tuple(args))),
  fliplr: (ctx, t) => flip(ctx, t, int(1), "fliplr"),
  flipud: (ctx, t) => flip(ctx, t, int(0), "flipud"),
  roll: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "roll", args, kwargs, ["shifts", "dims="]);
    return roll(ctx, t, a.shifts, a.dims);
  },
  repeat_interleave: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "repeat_interleave", args, kwargs, ["repeats", "dim=", "output_size="]);
    return repeatInterleave(ctx, t, a.repeats, a.dim);
  },
  gather: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "gather", args, kwargs, ["dim", "index", "sparse_grad="]);
    return gather(ctx, t, a.dim, asTensor(ctx, a.index, "gather", "index"));
  },
  outer: (ctx, t, args) => outer(ctx, t, asTensor(ctx, args[0], "outer", "vec2")),
  ger: (ctx, t, args) => outer(ctx, t, asTensor(ctx, args[0], "ger", "vec2"), "ger"),
  topk: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "topk", args, kwargs, ["k", "dim=", "largest=", "sorted="]);
    const k = a.k?.kind === "unknown" ? null : toInt(ctx, a.k, "k");
    return valuesAndIndices(ctx, "topk", ...ordered(ctx, "topk", t, k, a.dim));
  },
  sort: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "sort", args, kwargs, ["dim=", "descending=", "stable="]);
    return valuesAndIndices(ctx, "sort", ...ordered(ctx, "sort", t, null, a.dim));
  },
  argsort: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "argsort", args, kwargs, ["dim=", "descending=", "stable="]);
    return ordered(ctx, "sort", t, null, a.dim)[1];
  },
  logsumexp: reduceMethod("logsumexp"),
  new_zeros: newTensor("new_zeros"),
  new_ones: newTensor("new_ones"),
  new_empty: newTensor("new_empty"),
  new_full: newTensor("new_full"),
  new_tensor: newTensor("new_tensor"),
  ...Object.fromEntries(
    (["eq", "ne", "lt", "le", "gt", "ge"] as const).map((op): [string, Method] => [
      op,
      (ctx, t, args) => compare(ctx, op, t, args[0] ?? NONE) ?? ctx.raise("TypeError", `${op}() expects a tensor or a number, got ${ctx.repr(args[0] ?? NONE)}.`),
    ]),
  ),
  masked_fill_: unaryAct("masked_fill", "math"),
  where: (ctx, t, args) => where(ctx, args[0] ?? NONE, t, args[1] ?? NONE) ?? ctx.raise("TypeError", "where() expects a condition tensor and a tensor or number."),
  mean: reduceMethod("mean"),
  norm: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "norm", args, kwargs, ["p=", "dim=", "keepdim=", "dtype="]);
    return norm(ctx, "norm", t, a.p, a.dim, a.keepdim);
  },
  addcmul: addCombinedMethod("addcmul"),
  addcmul_: addCombinedMethod("addcmul", true),
  addcdiv: addCombinedMethod("addcdiv"),
  addcdiv_: addCombinedMethod("addcdiv", true),
  sum: reduceMethod("sum"),
  amax: reduceMethod("amax"),
  amin: reduceMethod("amin"),
  prod: reduceMethod("prod"),
  std: varianceMethod("std"),
  var: varianceMethod("var"),
  max: extremum("max"),
  min: extremum("min"),
  argmax: reduceMethod("argmax"),
  softmax: (ctx, t, args, kwargs) => softmaxLike(ctx, "softmax", t, bind(ctx, "softmax", args, kwargs, ["dim=", "dtype="]).dim),
  log_softmax: (ctx, t, args, kwargs) => softmaxLike(ctx, "log_softmax", t, bind(ctx, "log_softmax", args, kwargs, ["dim=", "dtype="]).dim),
  add: arithMethod("add"),
  add_: arithMethod("add", true),
  sub: arithMethod("sub"),
  sub_: arithMethod("sub", true),
  mul: arithMethod("mul"),
  mul_: arithMethod("mul", true),
  div: arithMethod("div"),
  div_: arithMethod("div", true),
  pow: arithMethod("pow"),
  matmul: (ctx, t, args) => matmul(ctx, t, asTensor(ctx, args[0], "matmul", "other")),
  mm: (ctx, t, args) => matmul(ctx, t, asTensor(ctx, args[0], "mm", "mat2"), "mm"),
  bmm: (ctx, t, args) => matmul(ctx, t, asTensor(ctx, args[0], "bmm", "mat2"), "bmm"),
  masked_fill: unaryAct("masked_fill", "math"),
  clamp: unaryAct("clamp", "math"),
  clamp_: unaryAct("clamp", "math"),
  clip: unaryAct("clamp", "math"),
  contiguous: same,
  to: (_ctx, t, args, kwargs) => {
    const dtype = dtypeNamed(kwargs.get("dtype")) ?? args.map(dtypeNamed).find((d) => d !== undefined);
    return dtype ? converted(t, dtype) : t;
  },
  float: asType("torch.float32"),
  double: asType("torch.float64"),
  half: same,
  bfloat16: same,
  long: asType("torch.int64"),
  int: asType("torch.int64"),
  bool: asType("torch.bool"),
  type_as: same,
  // `x.type()` names its type; `x.type(torch.float16)`, `x.type(torch.cuda.LongTensor)` convert.
  type: (ctx, t, args, kwargs) => {
    const a = bind(ctx, "type", args, kwargs, ["dtype=", "non_blocking=", "**kwargs"]);
    if (!a.dtype || a.dtype.kind === "none") return str(legacyTypeName(t.dtype));
    if (!isTypeTarget(a.dtype)) return ctx.raise("TypeError", `type() expects a dtype or a tensor type such as torch.FloatTensor, got ${ctx.repr(a.dtype)}.`);
    const dtype = dtypeOfTypeTarget(a.dtype);
    return dtype ? converted(t, dtype) : t;
  },
  detach: same,
  // A new Python object: a later `copy[i] = v` (setItem) must not change the original.
  clone: (_ctx, t) => ({ ...t, shape: [...t.shape] }),
  cpu: same,
  cuda: same,
  requires_grad_: same,
  zero_: same,
  fill_: same,
  normal_: same,
  uniform_: same,
  bernoulli_: same,
  bernoulli: same,
  exponential_: same,
  random_: same,
  copy_: same,
};
for (const op of ["relu", "relu_", "sigmoid", "sigmoid_", "tanh", "tanh_", "gelu", "silu"]) {
  TENSOR_METHODS[op] = unaryAct(op.replace(/_$/, ""));
}
for (const op of ["exp", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "abs", "neg", "sign", "floor", "ceil", "round", "sin", "cos", "square", "reciprocal"]) {
  TENSOR_METHODS[op] = unaryAct(op, "math");
  // The in-place form (`x.floor_()`) gives the same shape; the returned tensor is the one to use.
  TENSOR_METHODS[`${op}_`] = unaryAct(op, "math", true);
}
for (const op of ["clamp_min", "clamp_max"]) {
  TENSOR_METHODS[op] = unaryAct(op, "math");
  TENSOR_METHODS[`${op}_`] = unaryAct(op, "math", true);
}
for (const op of ["cumsum", "cumprod"]) {
  const method: (inplace: boolean) => Method = (inplace) => (ctx, t, args, kwargs) => {
    const [dim] = parseDims(ctx, bind(ctx, op, args, kwargs, ["dim", "dtype="]).dim, t.shape.length, op) ?? [null];
    return sameShapeWith(ctx, op, t, { dim }, inplace);
  };
  TENSOR_METHODS[op] = method(false);
  TENSOR_METHODS[`${op}_`] = method(true);
}
for (const op of ["triu", "tril"]) {
  const method: (inplace: boolean) => Method = (inplace) => (ctx, t, args, kwargs) => {
    const diagonal = toInt(ctx, bind(ctx, op, args, kwargs, ["diagonal="]).diagonal, "diagonal", 0);
    if (t.shape.length < 2) ctx.raise("RuntimeError", `${op}: the input tensor must have at least 2 dimensions, got shape ${JSON.stringify(t.shape)}.`);
    return sameShapeWith(ctx, op, t, { diagonal }, inplace);
  };
  TENSOR_METHODS[op] = method(false);
  TENSOR_METHODS[`${op}_`] = method(true);
}

/** `x.unbind(dim)`: a tuple of pieces; unknown when the length along dim is. */
function unbindTuple(ctx: NativeContext, t: PyTensor, dim: Value | undefined): Value {
  const pieces = unbind(ctx, t, dim);
  return pieces ? tuple(pieces) : unknown("unbind() of a dimension whose size is not known statically");
}

/** Non-method attributes of a tensor. */
function plainAttr(t: PyTensor, name: string): Value | undefined {
  switch (name) {
    case "shape":
      return shapeTuple(t);
    case "ndim":
      return int(t.shape.length);
    case "dtype":
      return str(t.dtype ?? "torch.float32");
    case "device":
      return str("cpu");
    case "is_cuda":
    case "requires_grad":
      return FALSE;
    case "grad":
      return NONE;
    case "data":
      return t;
    default:
      return undefined;
  }
}

const COMPARE: Record<string, CompareOp> = { "==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge" };

export const torchTensorProtocol: TensorProtocol = {
  unknownLayer: unknownLayerNode,
  compare(ctx, op, left, right) {
    // `t == None` is Python identity, not elementwise.
    if (left.kind === "none" || right.kind === "none") return undefined;
    return compare(ctx, COMPARE[op], left, right);
  },
  binary(ctx, op, left, right, inplace) {
    if (op === "@") {
      const skipped = skippedOperand(left, right);
      if (skipped) return skipped;
      if (left.kind !== "tensor" || right.kind !== "tensor") return undefined;
      return matmul(ctx, left, right);
    }
    const a = ARITH[op];
    return a ? arith(ctx, a, left, right, inplace) : undefined;
  },
  unary(ctx, op, operand) {
    if (op === "+") return operand;
    const name = op === "-" ? "neg" : "bitwise_not";
    return unaryValues(name, operand, sameShape(ctx, name, "math", operand));
  },
  attr(ctx, t, name) {
    if (name === "T") return transpose(ctx, t, int(0), int(Math.max(0, t.shape.length - 1)), "t");
    if (name === "mT" || name === "mH") {
      if (t.shape.length < 2) ctx.raise("RuntimeError", `tensor.${name} is only supported on matrices or batches of matrices, got a ${t.shape.length}-D tensor.`);
      return transpose(ctx, t, int(-2), int(-1), name);
    }
    const plain = plainAttr(t, name);
    if (plain) return plain;
    const m = TENSOR_METHODS[name];
    if (!m) return undefined;
    return builtin(`Tensor.${name}`, (args, kwargs, c) => m(c, t, args, kwargs));
  },
  getItem(ctx, t, index) {
    return getItem(ctx, t, index);
  },
  // `out[:, 1] = self.fc(x)` writes into the same Python object, so later reads of `out` must see
  // the write: the tensor now stands for a "setitem" node reading both the old tensor and the value.
  // Its category is "math", not "reshape": it computes a new tensor from two, rather than viewing
  // one (the profiler passes a reshape's dtype through). Values it had are no longer known (Swin's
  // relative-position index is built this way, and only its shape matters).
  setItem(ctx, t, index, value) {
    const v = tensorOrUndefined(ctx, value);
    const items = index.kind === "tuple" ? index.items : [index];
    const out = opNode(ctx, { op: "setitem", category: "math", inputs: v ? [t, v] : [t], shape: [...t.shape], attrs: { index: items.map(indexItem) } });
    t.node = out.node;
    delete t.values;
    return true;
  },
  iterate(ctx, t) {
    const n = t.shape[0];
    if (t.shape.length === 0) ctx.raise("TypeError", "iteration over a 0-d tensor.");
    if (n === null || n === undefined || n > MAX_VALUES) return undefined;
    return Array.from({ length: n }, (_, i) => getItem(ctx, t, int(i)));
  },
  scalar: singleValue,
};
