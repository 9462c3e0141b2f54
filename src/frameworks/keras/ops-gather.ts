// Ops that pick rows by index: keras.ops.take / tf.gather (a graph network's node features for the
// requested node ids) and keras.ops.segment_sum / segment_max / tf.math.unsorted_segment_* (summing
// messages back onto their target nodes). The indices may be a graph tensor (a model input), a
// constant, a Python int or a (nested) list; only their shape matters.

import type { Shape } from "../../ir/types";
import { type NativeContext, type PyBuiltin, type PyTensor, type Value, builtin, derivedUnknown } from "../../interp/values";
import { bindArgs, isNoneOrMissing, toInt } from "../../interp/args";
import { isNdarray, ndarrayShape } from "../../interp/numpy-array";
import { emitNode, isKerasTensor, kerasTensor } from "./emit";
import { skippedOperand } from "./protocol";
import { formatShape, normAxis } from "./shapes";
import { recordedBuiltin } from "./replay";
import { uniqueName } from "./state";

/** The shape of an index argument; a value the analyzer cannot know comes back as itself. */
function indicesShape(ctx: NativeContext, op: string, v: Value): Shape | Value {
  if (isKerasTensor(v)) return v.shape;
  if (v.kind === "int" || v.kind === "bool") return [];
  if (isNdarray(v)) return ndarrayShape(v);
  if (v.kind === "list" || v.kind === "tuple") {
    if (v.items.length === 0) return [0];
    const inner = indicesShape(ctx, op, v.items[0]);
    return Array.isArray(inner) ? [v.items.length, ...inner] : inner;
  }
  if (v.kind === "unknown") return derivedUnknown(v, `${op}() of ${v.why}`);
  return ctx.raise("TypeError", `${op}() indices must be a tensor, an int or a list of ints, got ${ctx.repr(v)}.`);
}

/** The node (or, of constants only, the constant) for a gather of `x` by `indices` with this shape. */
function gathered(ctx: NativeContext, op: string, x: PyTensor, indices: Value, shape: Shape, axis: number | null): PyTensor {
  const inputs = isKerasTensor(indices) ? [x, indices] : [x];
  const id = emitNode(ctx, { op, category: "reshape", name: uniqueName(ctx, op), attrs: { axis }, inputs, shape });
  return kerasTensor(shape, id);
}

/** x.shape with axis `axis` replaced by the indices' dims (`batchDims` leading index dims shared with x). */
function gatherShape(ctx: NativeContext, op: string, x: PyTensor, idx: Shape, axisV: Value | undefined, batchDims: number): number | Shape {
  const axis = normAxis(toInt(ctx, axisV, "axis"), x.shape.length);
  if (axis === undefined) return ctx.raise("ValueError", `${op}() axis ${ctx.repr(axisV!)} is out of range for shape ${formatShape(x.shape)}.`);
  return [...x.shape.slice(0, axis), ...idx.slice(batchDims), ...x.shape.slice(axis + 1)];
}

/** keras.ops.take(x, indices, axis=None): with no axis x is flattened first, so the result has the indices' shape. */
const take = builtin("take", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "take", args, kwargs, ["x", "indices", "axis="]);
  const skipped = skippedOperand(a.x!, a.indices!);
  if (skipped) return skipped;
  const x = a.x!;
  if (!isKerasTensor(x)) return x.kind === "unknown" ? derivedUnknown(x, `take() of ${x.why}`) : ctx.raise("TypeError", `take() needs a tensor, got ${ctx.repr(x)}.`);
  const idx = indicesShape(ctx, "take", a.indices!);
  if (!Array.isArray(idx)) return idx;
  const shape = isNoneOrMissing(a.axis) ? idx : gatherShape(ctx, "take", x, idx, a.axis, 0);
  return gathered(ctx, "take", x, a.indices!, shape as Shape, isNoneOrMissing(a.axis) ? null : toInt(ctx, a.axis, "axis"));
});

/** tf.gather(params, indices, validate_indices=None, axis=None, batch_dims=0): axis defaults to batch_dims. */
const gather = builtin("gather", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "gather", args, kwargs, ["params", "indices", "validate_indices=", "axis=", "batch_dims=", "name="]);
  const skipped = skippedOperand(a.params!, a.indices!);
  if (skipped) return skipped;
  const x = a.params!;
  if (!isKerasTensor(x)) return x.kind === "unknown" ? derivedUnknown(x, `gather() of ${x.why}`) : ctx.raise("TypeError", `gather() needs a tensor, got ${ctx.repr(x)}.`);
  const idx = indicesShape(ctx, "gather", a.indices!);
  if (!Array.isArray(idx)) return idx;
  const batchDims = toInt(ctx, a.batch_dims, "batch_dims", 0);
  const axisV = isNoneOrMissing(a.axis) ? { kind: "int" as const, v: batchDims } : a.axis;
  const shape = gatherShape(ctx, "gather", x, idx, axisV, batchDims) as Shape;
  return gathered(ctx, "gather", x, a.indices!, shape, toInt(ctx, axisV, "axis"));
});

/**
 * keras.ops.segment_sum(data, segment_ids, num_segments=None) and kin: one row per segment,
 * (num_segments, *data.shape[ids.rank:]); without num_segments the count depends on the ids' values.
 */
function segmentOp(name: string, spec: string[]): PyBuiltin {
  return builtin(name, (args, kwargs, ctx) => {
    const a = bindArgs(ctx, name, args, kwargs, spec);
    const skipped = skippedOperand(a.data!, a.segment_ids!);
    if (skipped) return skipped;
    const data = a.data!;
    if (!isKerasTensor(data)) return data.kind === "unknown" ? derivedUnknown(data, `${name}() of ${data.why}`) : ctx.raise("TypeError", `${name}() needs a tensor, got ${ctx.repr(data)}.`);
    const ids = indicesShape(ctx, name, a.segment_ids!);
    if (!Array.isArray(ids)) return ids;
    const n = a.num_segments;
    const count = n?.kind === "int" ? n.v : null;
    const shape: Shape = [count, ...data.shape.slice(Math.max(1, ids.length))];
    const inputs = isKerasTensor(a.segment_ids) ? [data, a.segment_ids] : [data];
    const id = emitNode(ctx, { op: name, category: "math", name: uniqueName(ctx, name), attrs: { num_segments: count }, inputs, shape });
    return kerasTensor(shape, id);
  });
}

export function gatherOps(): Record<string, Value> {
  const spec = ["data", "segment_ids", "num_segments=", "sorted="];
  return {
    take: recordedBuiltin(take),
    segment_sum: recordedBuiltin(segmentOp("segment_sum", spec)),
    segment_max: recordedBuiltin(segmentOp("segment_max", spec)),
  };
}

export function tfGatherOps(): Record<string, Value> {
  return { gather: recordedBuiltin(gather) };
}

/** tf.math's segment reductions with num_segments (unsorted_segment_sum & co.). */
export function tfSegmentOps(): Record<string, Value> {
  const spec = ["data", "segment_ids", "num_segments", "name="];
  const out: Record<string, Value> = {};
  for (const r of ["sum", "max", "min", "mean", "prod"]) out[`unsorted_segment_${r}`] = recordedBuiltin(segmentOp(`unsorted_segment_${r}`, spec));
  return out;
}
