// Shape-changing tensor ops: view/reshape, flatten, permute/transpose, (un)squeeze, expand, cat/stack,
// chunk/split and indexing. Each makes a "reshape" (or "merge" for cat/stack) node.

import type { JsonValue, Shape } from "../../ir/types";
import type { NativeContext, PyTensor, Value } from "../../interp/values";
import { toInt } from "../../interp/args";
import { opNode } from "./nodes";
import { flattenShape, formatShape, inferReshape, isKnown, normDim, numelOf } from "./shape-math";
import { sliceIndices } from "./containers";
import { parseDims } from "./ops-math";
import { type DType, rowValues, sliceValues, withValues } from "./tensor-values";

const reshapeNode = (ctx: NativeContext, op: string, x: PyTensor, shape: Shape, attrs: Record<string, JsonValue> = {}) =>
  opNode(ctx, { op, category: "reshape", inputs: [x], shape, attrs });

/** Size arguments given as `view(2, 3)` or `view((2, 3))`; unknown entries become null. */
export function sizeArgs(ctx: NativeContext, args: Value[]): (number | null)[] {
  const items = args.length === 1 && (args[0].kind === "tuple" || args[0].kind === "list") ? args[0].items : args;
  return items.map((v) => (v.kind === "unknown" ? null : toInt(ctx, v, "size")));
}

function dimOf(ctx: NativeContext, v: Value | undefined, rank: number, fn: string, fallback?: number): number {
  const d = toInt(ctx, v, "dim", fallback);
  const n = normDim(d, Math.max(rank, 1));
  return n ?? ctx.raise("IndexError", `${fn}(): dimension ${d} is out of range for a tensor of rank ${rank}.`);
}

/** view / reshape with -1 inference. */
export function view(ctx: NativeContext, op: string, x: PyTensor, target: (number | null)[]): PyTensor {
  let shape: Shape;
  if (target.some((d) => d === null)) {
    shape = target.map((d) => (d === -1 ? null : d));
  } else {
    const r = inferReshape(x.shape, target as number[]);
    if (typeof r === "string") {
      ctx.reportError(`Cannot ${op} a tensor of shape ${formatShape(x.shape)} to ${formatShape(target)}: ${r}.`, "shape-mismatch");
      shape = target.map((d) => (d === -1 ? null : d));
    } else shape = r;
  }
  return sameValues(x, reshapeNode(ctx, op, x, shape, { shape: target }));
}

/** A reshaped tensor keeps the row-major values of `x`, when it has them. */
function sameValues(x: PyTensor, out: PyTensor): PyTensor {
  return x.values ? withValues(out, x.values, x.dtype as DType) : out;
}

export function flatten(ctx: NativeContext, x: PyTensor, start: number, end: number): PyTensor {
  const r = flattenShape(x.shape, start, end);
  if (typeof r === "string") {
    ctx.reportError(`Cannot flatten a tensor of shape ${formatShape(x.shape)} from dim ${start} to ${end}: ${r}.`, "shape-mismatch");
    return reshapeNode(ctx, "flatten", x, [...x.shape], { start_dim: start, end_dim: end });
  }
  return sameValues(x, reshapeNode(ctx, "flatten", x, r, { start_dim: start, end_dim: end }));
}

export function permute(ctx: NativeContext, x: PyTensor, dimsArgs: Value[]): PyTensor {
  const raw = sizeArgs(ctx, dimsArgs).map((d) => d ?? 0);
  const dims = raw.map((d) => normDim(d, x.shape.length) ?? ctx.raise("IndexError", `permute(): dimension ${d} is out of range for a tensor of rank ${x.shape.length}.`));
  if (dims.length !== x.shape.length || new Set(dims).size !== dims.length) {
    ctx.reportError(`permute() of a tensor of shape ${formatShape(x.shape)} needs each of its ${x.shape.length} dims once, got ${formatShape(raw)}.`, "shape-mismatch");
    return reshapeNode(ctx, "permute", x, [...x.shape], { dims: raw });
  }
  return permuted(ctx, x, dims);
}

/** The permute node for a valid permutation: output dim i is input dim `dims[i]`. */
function permuted(ctx: NativeContext, x: PyTensor, dims: number[]): PyTensor {
  return reshapeNode(ctx, "permute", x, dims.map((d) => x.shape[d]), { dims });
}

/**
 * torch.movedim / moveaxis: the dims in `source` go to the positions in `destination`, the others
 * keep their order in the places left; recorded as the permute it is.
 */
export function movedim(ctx: NativeContext, x: PyTensor, source: Value | undefined, destination: Value | undefined, op = "movedim"): PyTensor {
  const rank = x.shape.length;
  const src = parseDims(ctx, source, rank, op) ?? ctx.raise("TypeError", `${op}() missing required argument 'source'.`);
  const dst = parseDims(ctx, destination, rank, op) ?? ctx.raise("TypeError", `${op}() missing required argument 'destination'.`);
  if (src.length !== dst.length) {
    ctx.raise("RuntimeError", `${op}(): source ${formatShape(src)} and destination ${formatShape(dst)} must have the same number of dims.`);
  }
  if (new Set(src).size !== src.length) ctx.raise("RuntimeError", `${op}(): repeated dim in source ${formatShape(src)}.`);
  if (new Set(dst).size !== dst.length) ctx.raise("RuntimeError", `${op}(): repeated dim in destination ${formatShape(dst)}.`);
  const dims = new Array<number>(rank).fill(-1);
  src.forEach((d, i) => (dims[dst[i]] = d));
  const rest = x.shape.map((_, d) => d).filter((d) => !src.includes(d));
  for (let i = 0, j = 0; i < rank; i++) if (dims[i] === -1) dims[i] = rest[j++];
  return permuted(ctx, x, dims);
}

/** Swaps two dims; `fnName` names the call in messages (swapaxes and swapdims make transpose nodes). */
export function transpose(ctx: NativeContext, x: PyTensor, d0: Value | undefined, d1: Value | undefined, op = "transpose", fnName = op): PyTensor {
  const rank = x.shape.length;
  if (op === "t" && rank < 2) return reshapeNode(ctx, op, x, [...x.shape]);
  const a = dimOf(ctx, d0, rank, fnName, rank - 2);
  const b = dimOf(ctx, d1, rank, fnName, rank - 1);
  const shape = [...x.shape];
  [shape[a], shape[b]] = [shape[b], shape[a]];
  return reshapeNode(ctx, op, x, shape, { dim0: a, dim1: b });
}

export function unsqueeze(ctx: NativeContext, x: PyTensor, dim: Value | undefined): PyTensor {
  const d = toInt(ctx, dim, "dim");
  const n = normDim(d, x.shape.length + 1) ?? ctx.raise("IndexError", `unsqueeze(): dimension ${d} is out of range for a tensor of rank ${x.shape.length}.`);
  const shape = [...x.shape];
  shape.splice(n, 0, 1);
  return reshapeNode(ctx, "unsqueeze", x, shape, { dim: n });
}

export function squeeze(ctx: NativeContext, x: PyTensor, dim: Value | undefined): PyTensor {
  const dims = parseDims(ctx, dim, x.shape.length, "squeeze");
  const shape = x.shape.filter((d, i) => !(d === 1 && (!dims || dims.includes(i))));
  return reshapeNode(ctx, "squeeze", x, shape, { dim: dims ?? null });
}

/** expand(*sizes): -1 keeps a dim; new leading dims may be added. */
export function expand(ctx: NativeContext, x: PyTensor, sizes: (number | null)[]): PyTensor {
  const extra = sizes.length - x.shape.length;
  if (extra < 0) {
    ctx.reportError(`expand() needs at least ${x.shape.length} sizes for a tensor of shape ${formatShape(x.shape)}, got ${sizes.length}.`, "shape-mismatch");
    return reshapeNode(ctx, "expand", x, [...x.shape]);
  }
  const shape: Shape = sizes.map((s, i) => (i >= extra && s === -1 ? x.shape[i - extra] : s));
  return reshapeNode(ctx, "expand", x, shape, { sizes });
}

/** torch.cat: all dims but `dim` must agree. */
export function cat(ctx: NativeContext, xs: PyTensor[], dimV: Value | undefined, op = "cat"): PyTensor {
  if (xs.length === 0) return ctx.raise("ValueError", `torch.${op}() expects a non-empty list of tensors.`);
  const rank = xs[0].shape.length;
  const dim = dimOf(ctx, dimV, rank, op, 0);
  const shape = [...xs[0].shape];
  for (const t of xs.slice(1)) {
    const bad = t.shape.length !== rank ? -1 : t.shape.findIndex((d, i) => i !== dim && d !== null && shape[i] !== null && d !== shape[i]);
    if (bad !== -1 || t.shape.length !== rank) {
      ctx.reportError(
        `Cannot concatenate tensors of shapes ${formatShape(xs[0].shape)} and ${formatShape(t.shape)} along dim ${dim}: all other dimensions must match.`,
        "shape-mismatch",
      );
      continue;
    }
    shape[dim] = shape[dim] === null || t.shape[dim] === null ? null : (shape[dim] as number) + (t.shape[dim] as number);
  }
  return opNode(ctx, { op, category: "merge", inputs: xs, shape, attrs: { dim } });
}

export function stack(ctx: NativeContext, xs: PyTensor[], dimV: Value | undefined): PyTensor {
  if (xs.length === 0) return ctx.raise("ValueError", "torch.stack() expects a non-empty list of tensors.");
  const rank = xs[0].shape.length;
  const d = toInt(ctx, dimV, "dim", 0);
  const dim = normDim(d, rank + 1) ?? ctx.raise("IndexError", `stack(): dimension ${d} is out of range.`);
  for (const t of xs.slice(1)) {
    if (formatShape(t.shape) !== formatShape(xs[0].shape)) {
      ctx.reportError(`stack expects each tensor to be equal size, but got ${formatShape(xs[0].shape)} and ${formatShape(t.shape)}.`, "shape-mismatch");
      break;
    }
  }
  const shape = [...xs[0].shape];
  shape.splice(dim, 0, xs.length);
  const out = opNode(ctx, { op: "stack", category: "merge", inputs: xs, shape, attrs: { dim } });
  // Stacked along the first dimension, the values follow one another (Swin's coordinate grids).
  return dim === 0 && xs.every((x) => x.values) ? withValues(out, xs.flatMap((x) => x.values!), xs[0].dtype as DType) : out;
}

/**
 * torch.meshgrid(*tensors, indexing="ij"): one tensor per input, each the grid's full shape (with
 * "xy", the first two dimensions swapped), with values when the inputs have them.
 */
export function meshgrid(ctx: NativeContext, xs: PyTensor[], indexing: string): PyTensor[] {
  for (const [i, x] of xs.entries()) {
    if (x.shape.length > 1) ctx.raise("ValueError", `meshgrid expects 0-d or 1-d tensors, got tensors[${i}] of shape ${formatShape(x.shape)}.`);
  }
  const sizes = xs.map((x) => (x.shape.length === 0 ? 1 : x.shape[0]));
  const swap = indexing === "xy" && xs.length >= 2;
  const order = xs.map((_, i) => (swap && i < 2 ? 1 - i : i));
  const shape = order.map((i) => sizes[i]);
  return xs.map((x, k) => {
    const out = opNode(ctx, { op: "meshgrid", category: "reshape", inputs: [x], shape, attrs: { index: k, indexing } });
    if (!x.values || shape.some((s) => s === null)) return out;
    const dims = shape as number[];
    const axis = order.indexOf(k);
    const stride = numelOf(dims.slice(axis + 1));
    const total = numelOf(dims);
    const values = Array.from({ length: total }, (_, i) => x.values![Math.floor(i / stride) % dims[axis]] ?? x.values![0]);
    return withValues(out, values, x.dtype as DType);
  });
}

/** split/chunk pieces along `dim`, one node each; `start` records where each begins when known. */
function pieces(ctx: NativeContext, op: string, x: PyTensor, dim: number, sizes: (number | null)[]): PyTensor[] {
  let start: number | null = 0;
  return sizes.map((s, i) => {
    const shape = [...x.shape];
    shape[dim] = s;
    const node = reshapeNode(ctx, op, x, shape, { dim, index: i, start });
    const withPieceValues = x.values && start !== null && s !== null ? sliceValues(x, dim, start, s, node) : node;
    start = start === null || s === null ? null : start + s;
    return withPieceValues;
  });
}

export function chunk(ctx: NativeContext, x: PyTensor, chunksV: Value | undefined, dimV: Value | undefined): PyTensor[] {
  const chunks = toInt(ctx, chunksV, "chunks");
  const dim = dimOf(ctx, dimV, x.shape.length, "chunk", 0);
  const len = x.shape[dim];
  if (len === null) return pieces(ctx, "chunk", x, dim, new Array(chunks).fill(null));
  const size = Math.ceil(len / chunks);
  const sizes: number[] = [];
  for (let left = len; left > 0; left -= size) sizes.push(Math.min(size, left));
  return pieces(ctx, "chunk", x, dim, sizes);
}

export function split(ctx: NativeContext, x: PyTensor, sizeV: Value | undefined, dimV: Value | undefined): PyTensor[] {
  const dim = dimOf(ctx, dimV, x.shape.length, "split", 0);
  const len = x.shape[dim];
  if (sizeV && (sizeV.kind === "tuple" || sizeV.kind === "list")) {
    const sizes = sizeV.items.map((v) => toInt(ctx, v, "split_size"));
    const total = sizes.reduce((a, b) => a + b, 0);
    if (len !== null && total !== len) {
      ctx.reportError(`split sizes ${formatShape(sizes)} sum to ${total}, but dim ${dim} of shape ${formatShape(x.shape)} has ${len}.`, "shape-mismatch");
    }
    return pieces(ctx, "split", x, dim, sizes);
  }
  const size = toInt(ctx, sizeV, "split_size");
  if (len === null) return pieces(ctx, "split", x, dim, [size]);
  const sizes: number[] = [];
  for (let left = len; left > 0; left -= size) sizes.push(Math.min(size, left));
  return pieces(ctx, "split", x, dim, sizes);
}

/** `t[index]`: ints drop a dim, slices narrow it, None adds one, Ellipsis skips; others give unknown dims. */
export function getItem(ctx: NativeContext, x: PyTensor, index: Value): PyTensor {
  const items = index.kind === "tuple" ? index.items : [index];
  const out: Shape = [];
  let src = 0;
  const consumed = items.filter((v) => v.kind !== "none" && v.kind !== "ellipsis").length;
  if (consumed > x.shape.length) ctx.raise("IndexError", `too many indices for tensor of dimension ${x.shape.length}`);
  for (const it of items) {
    if (it.kind === "none") out.push(1);
    else if (it.kind === "ellipsis") {
      const skip = x.shape.length - consumed;
      for (let i = 0; i < skip; i++) out.push(x.shape[src++]);
    } else if (it.kind === "slice") {
      const len = x.shape[src++];
      out.push(len === null ? null : sliceIndices(ctx, it, len).length);
    } else if (it.kind === "int" || it.kind === "bool") {
      src++;
    } else if (it.kind === "tensor") {
      src++;
      out.push(...it.shape);
    } else if (it.kind === "list" && it.items.every((v) => v.kind === "int")) {
      src++;
      out.push(it.items.length);
    } else {
      src++;
      out.push(null);
    }
  }
  out.push(...x.shape.slice(src));
  const result = reshapeNode(ctx, "getitem", x, out, { index: items.map(indexItem) });
  return x.values && items.length === 1 ? rowsTaken(ctx, x, items[0], result) : result;
}

/** Values of `x[i]` or `x[a:b:c]` (rows of the first dimension) for a tensor that has values. */
function rowsTaken(ctx: NativeContext, x: PyTensor, index: Value, out: PyTensor): PyTensor {
  const n = x.shape[0];
  if (n === null || n === undefined) return out;
  if (index.kind === "int") {
    const row = index.v < 0 ? index.v + n : index.v;
    return row >= 0 && row < n ? rowValues(x, [row], out) : out;
  }
  return index.kind === "slice" ? rowValues(x, sliceIndices(ctx, index, n), out) : out;
}

/** One item of `x[...]` as the IR records it (the profiler rebuilds the slice from these). */
export function indexItem(it: Value): JsonValue {
  const known = (v: Value) => v.kind === "int" || v.kind === "bool" || v.kind === "none";
  const part = (v: Value): number | null => (v.kind === "int" || v.kind === "bool" ? Number(v.v) : null);
  if (it.kind === "int" || it.kind === "bool") return { kind: "int", value: Number(it.v) };
  if (it.kind === "slice") {
    if (![it.start, it.stop, it.step].every(known)) return { kind: "unknown" };
    return { kind: "slice", start: part(it.start), stop: part(it.stop), step: part(it.step) };
  }
  if (it.kind === "none") return { kind: "none" };
  if (it.kind === "ellipsis") return { kind: "ellipsis" };
  if (it.kind === "list" && it.items.every((v) => v.kind === "int")) return { kind: "list", values: it.items.map((v) => Number((v as { v: number }).v)) };
  return it.kind === "tensor" ? { kind: "tensor" } : { kind: "unknown" };
}

const NONE_SIZES: Value = { kind: "tuple", items: [] };

/** unbind(dim): one piece per index along `dim`, each without that dim; unknown length gives none. */
export function unbind(ctx: NativeContext, x: PyTensor, dimV: Value | undefined): PyTensor[] | undefined {
  const dim = dimOf(ctx, dimV, x.shape.length, "unbind", 0);
  const len = x.shape[dim];
  if (len === null || len === undefined) return undefined;
  const shape = x.shape.filter((_, i) => i !== dim);
  return Array.from({ length: len }, (_, index) => {
    const out = reshapeNode(ctx, "unbind", x, [...shape], { dim, index });
    return x.values ? sliceValues(x, dim, index, 1, out) : out;
  });
}

/** unflatten(dim, sizes): `dim` split into `sizes`, one of which may be -1. */
export function unflatten(ctx: NativeContext, x: PyTensor, dimV: Value | undefined, sizesV: Value | undefined): PyTensor {
  const dim = dimOf(ctx, dimV, x.shape.length, "unflatten");
  const sizes = sizeArgs(ctx, [sizesV ?? NONE_SIZES]);
  const len = x.shape[dim];
  let parts: Shape = sizes.map((s) => (s === -1 ? null : s));
  if (len !== null && sizes.every((s) => s !== null)) {
    const r = inferReshape([len], sizes as number[]);
    if (typeof r === "string") ctx.reportError(`Cannot unflatten dim ${dim} of a tensor of shape ${formatShape(x.shape)} into ${formatShape(sizes)}: ${r}.`, "shape-mismatch");
    else parts = r;
  }
  const shape = [...x.shape.slice(0, dim), ...parts, ...x.shape.slice(dim + 1)];
  return reshapeNode(ctx, "unflatten", x, shape, { dim, sizes });
}

/** flip(dims): same shape; a 1-D tensor's values come out reversed. */
export function flip(ctx: NativeContext, x: PyTensor, dimsV: Value | undefined, fn = "flip"): PyTensor {
  const dims = parseDims(ctx, dimsV, x.shape.length, fn) ?? [];
  const out = reshapeNode(ctx, "flip", x, [...x.shape], { dims });
  return x.values && x.shape.length === 1 && dims.length === 1 ? withValues(out, [...x.values].reverse(), x.dtype as DType) : out;
}

/** roll(shifts, dims): same shape. */
export function roll(ctx: NativeContext, x: PyTensor, shiftsV: Value | undefined, dimsV: Value | undefined): PyTensor {
  const shifts = sizeArgs(ctx, [shiftsV ?? NONE_SIZES]);
  const dims = parseDims(ctx, dimsV, x.shape.length, "roll") ?? null;
  return reshapeNode(ctx, "roll", x, [...x.shape], { shifts, dims });
}

/**
 * repeat_interleave(repeats, dim): with an int, `dim` grows `repeats` times (all elements, flattened,
 * when dim is None); with a tensor of repeats, the new length is its unknown sum.
 */
export function repeatInterleave(ctx: NativeContext, x: PyTensor, repeatsV: Value | undefined, dimV: Value | undefined): PyTensor {
  const repeats = repeatsV?.kind === "int" ? repeatsV.v : null;
  const times = (d: number | null) => (d === null || repeats === null ? null : d * repeats);
  if (dimV === undefined || dimV.kind === "none") {
    const numel = isKnown(x.shape) ? numelOf(x.shape) : null;
    return reshapeNode(ctx, "repeat_interleave", x, [times(numel)], { repeats, dim: null });
  }
  const dim = dimOf(ctx, dimV, x.shape.length, "repeat_interleave");
  const shape = [...x.shape];
  shape[dim] = times(shape[dim]);
  return reshapeNode(ctx, "repeat_interleave", x, shape, { repeats, dim });
}

/** gather(dim, index): the index's shape. */
export function gather(ctx: NativeContext, x: PyTensor, dimV: Value | undefined, index: PyTensor): PyTensor {
  const dim = dimOf(ctx, dimV, x.shape.length, "gather");
  if (index.shape.length !== x.shape.length) {
    ctx.reportError(`gather(): index of shape ${formatShape(index.shape)} must have as many dims as the input of shape ${formatShape(x.shape)}.`, "shape-mismatch");
  }
  return opNode(ctx, { op: "gather", category: "reshape", inputs: [x, index], shape: [...index.shape], attrs: { dim } });
}
