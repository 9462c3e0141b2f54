// keras.ops functions that make or rearrange arrays (arange, linspace, expand_dims, squeeze,
// transpose, tf.linalg's matrix_transpose), and the stand-in for the keras.ops functions we do not model. A tensor
// made from Python numbers (ops.arange) is a constant: it has no producer node, and ops on
// constants stay constants, so only layers applied to them (an Embedding of positions) show.

import type { Shape } from "../../ir/types";
import { type NativeContext, type PyClass, type PyTensor, type PyUnknown, type Value, NONE, OBJECT_CLASS, builtin, derivedUnknown, int, list, nativeClass, unknown } from "../../interp/values";
import { bindArgs, isNoneOrMissing, toInt } from "../../interp/args";
import { emitNode, isKerasTensor, isWeightTensor, kerasTensor } from "./emit";
import { harmlessClass } from "./harmless";
import { broadcastShapes, formatShape, normAxis } from "./shapes";
import { recordedBuiltin, recordedCall } from "./replay";
import { einsumShape } from "../../ir/einops-pattern";
import { kerasBinary, notATensor, skippedOperand } from "./protocol";
import { kerasState, uniqueName } from "./state";
import { scalarCast } from "./ops-scalar";

/** The result of a shape-only op: a constant stays a constant, anything else gets a node. */
function reshaped(ctx: NativeContext, op: string, x: PyTensor, shape: Shape, attrs: Record<string, number | number[] | string> = {}): PyTensor {
  if (isWeightTensor(x)) return kerasTensor(shape, "");
  const id = emitNode(ctx, { op, category: "reshape", name: uniqueName(ctx, op), attrs, inputs: [x], shape });
  return kerasTensor(shape, id);
}

const arange = builtin("arange", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "arange", args, kwargs, ["start", "stop=", "step=", "dtype="]);
  const given = [a.start, a.stop, a.step].filter((v): v is Value => !isNoneOrMissing(v));
  const skipped = skippedOperand(...given);
  if (skipped) return skipped;
  // A bound known only at run time (`tf.range(tf.shape(x)[-1])`, positions of an open-length
  // sequence) still makes a 1-D constant: of unknown length.
  if (!given.every((v) => v.kind === "int" || v.kind === "float")) return kerasTensor([null], "");
  const num = (v: Value | undefined, fallback: number): number => (v && (v.kind === "int" || v.kind === "float") ? v.v : fallback);
  // arange(n) counts from 0 to n, like Python's range.
  const [start, stop] = isNoneOrMissing(a.stop) ? [0, num(a.start, 0)] : [num(a.start, 0), num(a.stop, 0)];
  const step = num(a.step, 1);
  if (step === 0) return ctx.raise("ValueError", "arange() step must not be zero.");
  return kerasTensor([Math.max(0, Math.ceil((stop - start) / step))], "");
});

/**
 * keras.ops.linspace / tf.linspace(start, stop, num): `num` values, a 1-D constant (the sinusoidal
 * embeddings' frequencies); start and stop of a known shape other than scalars add their own axes.
 */
const linspace = builtin("linspace", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "linspace", args, kwargs, ["start", "stop", "num=", "endpoint=", "retstep=", "dtype=", "axis=", "name="]);
  const skipped = skippedOperand(a.start!, a.stop!, a.num ?? NONE);
  if (skipped) return skipped;
  const n = a.num === undefined ? 50 : a.num.kind === "int" ? a.num.v : null;
  const ends = [a.start!, a.stop!].map((v) => (isKerasTensor(v) ? v.shape : v.kind === "int" || v.kind === "float" || v.kind === "unknown" ? [] : undefined));
  if (!ends[0] || !ends[1]) return unknown("linspace() of values that are neither numbers nor tensors.");
  const inner = broadcastShapes(ends[0], ends[1]) ?? ends[0];
  const axis = normAxis(toInt(ctx, a.axis, "axis", 0), inner.length + 1) ?? 0;
  const shape = [...inner.slice(0, axis), n, ...inner.slice(axis)];
  const ts = [a.start!, a.stop!].filter(isKerasTensor);
  if (ts.length === 0) return kerasTensor(shape, "");
  const id = emitNode(ctx, { op: "linspace", category: "math", name: uniqueName(ctx, "linspace"), inputs: ts, shape });
  return kerasTensor(shape, id);
});

const expandDims = builtin("expand_dims", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "expand_dims", args, kwargs, ["x", "axis"]);
  const x = a.x!;
  const skipped = skippedOperand(x);
  if (skipped) return skipped;
  // A scalar (a number, or one known only at run time such as tf.shape(x)[0]) becomes a 1-D constant.
  if (x.kind === "int" || x.kind === "float" || x.kind === "unknown") return kerasTensor([1], "");
  if (!isKerasTensor(x)) return notATensor("expand_dims", x);
  const axis = normAxis(toInt(ctx, a.axis, "axis"), x.shape.length + 1);
  if (axis === undefined) return ctx.raise("ValueError", `expand_dims() axis ${ctx.repr(a.axis!)} is out of range for shape ${formatShape(x.shape)}.`);
  const shape = [...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)];
  return reshaped(ctx, "expand_dims", x, shape, { axis });
});

const squeeze = builtin("squeeze", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "squeeze", args, kwargs, ["x", "axis="]);
  const x = a.x!;
  if (!isKerasTensor(x)) return notATensor("squeeze", x);
  const rank = x.shape.length;
  const axes = isNoneOrMissing(a.axis)
    ? x.shape.flatMap((d, i) => (d === 1 ? [i] : []))
    : (a.axis!.kind === "tuple" || a.axis!.kind === "list" ? a.axis!.items : [a.axis!]).map((v) => normAxis(toInt(ctx, v, "axis"), rank) ?? -1);
  for (const i of axes) {
    if (i < 0 || (x.shape[i] !== 1 && x.shape[i] !== null)) {
      return ctx.raise("ValueError", `squeeze() cannot remove axis ${i} of shape ${formatShape(x.shape)}: its size is not 1.`);
    }
  }
  return reshaped(ctx, "squeeze", x, x.shape.filter((_, i) => !axes.includes(i)));
});

const transpose = builtin("transpose", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "transpose", args, kwargs, ["x", "axes="]);
  const x = a.x!;
  if (!isKerasTensor(x)) return notATensor("transpose", x);
  const rank = x.shape.length;
  const axes = isNoneOrMissing(a.axes) ? x.shape.map((_, i) => rank - 1 - i) : ctx.iterate(a.axes!).map((v) => normAxis(toInt(ctx, v, "axes"), rank) ?? 0);
  if (axes.length !== rank) return ctx.raise("ValueError", `transpose() axes ${ctx.repr(a.axes!)} do not match shape ${formatShape(x.shape)}.`);
  return reshaped(ctx, "transpose", x, axes.map((i) => x.shape[i]), { axes });
});

const opClasses = new Map<string, PyClass>();

/**
 * A keras.ops function we do not model (`keras.ops.einsum`, `keras.ops.nn.x`): applied to a symbolic
 * tensor it becomes an opaque node passing that tensor's shape on, with one warning per function;
 * called on anything else, or reached further by attribute, it is harmless.
 */
function unmodelledOpClass(qualified: string): PyClass {
  const hit = opClasses.get(qualified);
  if (hit) return hit;
  const short = qualified.slice(qualified.lastIndexOf(".") + 1);
  const cls = nativeClass(short, qualified.slice(0, qualified.lastIndexOf(".")), [OBJECT_CLASS], {
    __call__: builtin("__call__", (args, kwargs, ctx) => recordedCall(ctx, args, kwargs, () => {
      const t = [...args.slice(1), ...kwargs.values()].find((v): v is PyTensor => isKerasTensor(v) && !isWeightTensor(v));
      // A function of a value the analyzer cannot know (`ops.convert_to_numpy(model.predict(x))`) is
      // unknown too; an object in its place would fail later uses with messages blaming the code.
      const data = [...args.slice(1), ...kwargs.values()].find((v): v is PyUnknown => v.kind === "unknown");
      if (!t && data) return derivedUnknown(data, `${qualified}() of ${data.why}`);
      if (!t) return ctx.newInstance(harmlessClass(short, qualified));
      const warned = kerasState(ctx).warnedOps;
      if (!warned.has(qualified)) {
        warned.add(qualified);
        ctx.warn(`${qualified}() is not modelled: shown as an opaque node whose output shape is assumed equal to its input's.`, "unsupported");
      }
      const opaque = `${qualified}() is not modelled; its output shape is assumed equal to its input's.`;
      const id = emitNode(ctx, { op: short, category: "opaque", name: uniqueName(ctx, short), inputs: [t], shape: t.shape, opaque });
      return kerasTensor(t.shape, id);
    })),
    __getattr__: builtin("__getattr__", (args, _kw, ctx) => {
      const attr = args[1]?.kind === "str" ? args[1].v : "attr";
      return ctx.newInstance(unmodelledOpClass(`${qualified}.${attr}`));
    }),
  });
  opClasses.set(qualified, cls);
  return cls;
}

/** Module `__getattr__` of keras.ops and its submodules: classes are harmless, functions unmodelled ops. */
export function unmodelledOps(moduleName: string): Value {
  return builtin("__getattr__", (args, _kw, ctx) => {
    const name = args[0]?.kind === "str" ? args[0].v : "op";
    if (/^[A-Z]/.test(name)) return harmlessClass(name, moduleName);
    return ctx.newInstance(unmodelledOpClass(`${moduleName}.${name}`));
  });
}

/** keras.ops.stack / tf.stack: a new axis of size len(xs). */
const stack = builtin("stack", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "stack", args, kwargs, ["x", "axis=", "name="]);
  const items = ctx.iterate(a.x!);
  const ts = items.filter(isKerasTensor);
  if (ts.length === 0) return notATensor("stack", ...items);
  const axis = normAxis(toInt(ctx, a.axis, "axis", 0), ts[0].shape.length + 1);
  if (axis === undefined) return ctx.raise("ValueError", `stack() axis ${ctx.repr(a.axis!)} is out of range for shape ${formatShape(ts[0].shape)}.`);
  for (const t of ts.slice(1)) {
    if (formatShape(t.shape) !== formatShape(ts[0].shape)) ctx.reportError(`stack() needs tensors of one shape, got ${formatShape(ts[0].shape)} and ${formatShape(t.shape)}.`, "shape-mismatch");
  }
  const shape = [...ts[0].shape.slice(0, axis), ts.length, ...ts[0].shape.slice(axis)];
  const id = emitNode(ctx, { op: "stack", category: "merge", name: uniqueName(ctx, "stack"), attrs: { axis }, inputs: ts, shape });
  return kerasTensor(shape, id);
});

/** The pieces of `x` along `axis` with these sizes, one node each, as a Python list. */
function splitPieces(ctx: NativeContext, x: PyTensor, axis: number, sizes: (number | null)[]): Value {
  return list(sizes.map((s, i) => reshaped(ctx, "split", x, x.shape.map((d, k) => (k === axis ? s : d)), { axis, index: i })));
}

/** keras.ops.split / tf.split: equal sections (an int) or split points (a list), along `axis`. */
const split = builtin("split", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "split", args, kwargs, ["x", "indices_or_sections", "axis=", "num=", "name="]);
  const x = a.x!;
  if (!isKerasTensor(x)) return notATensor("split", x);
  const axis = normAxis(toInt(ctx, a.axis, "axis", 0), x.shape.length) ?? 0;
  const len = x.shape[axis];
  const how = a.indices_or_sections!;
  let sizes: (number | null)[];
  if (how.kind === "int") {
    if (len !== null && len % how.v !== 0) return ctx.raise("ValueError", `split() cannot cut axis ${axis} of size ${len} into ${how.v} equal parts.`);
    sizes = new Array(how.v).fill(len === null ? null : len / how.v);
  } else {
    // keras.ops.split takes split points, as numpy does (tf.split's sizes: tfSplit below).
    const points = ctx.iterate(how).map((v) => toInt(ctx, v, "indices_or_sections"));
    const ends = [...points, len === null ? NaN : len];
    sizes = ends.map((p, i) => p - (i ? ends[i - 1] : 0)).map((s) => (Number.isNaN(s) ? null : s));
  }
  return splitPieces(ctx, x, axis, sizes);
});

/** tf.split(value, num_or_size_splits, axis): sizes, not split points. */
const tfSplit = builtin("tf.split", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "split", args, kwargs, ["value", "num_or_size_splits", "axis=", "num=", "name="]);
  const how = a.num_or_size_splits!;
  if (how.kind === "int" || !isKerasTensor(a.value)) return split.fn([a.value!, how], new Map([["axis", a.axis ?? int(0)]]), ctx);
  const x = a.value;
  const axis = normAxis(toInt(ctx, a.axis, "axis", 0), x.shape.length) ?? 0;
  const sizes = ctx.iterate(how).map((v) => toInt(ctx, v, "num_or_size_splits"));
  return splitPieces(ctx, x, axis, sizes);
});

/** keras.ops.cast / tf.cast: the same shape in another dtype (a node, as Keras's Cast op). */
const cast = builtin("cast", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "cast", args, kwargs, ["x", "dtype", "name="]);
  const x = a.x!;
  if (!isKerasTensor(x)) return scalarCast(x, a.dtype) ?? x;
  return reshaped(ctx, "cast", x, x.shape, { dtype: a.dtype?.kind === "str" ? a.dtype.v : "?" });
});

/** keras.ops.tile / tf.tile: each axis times its repeat (repeats shorter than the rank pad with 1s in front). */
const tile = builtin("tile", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "tile", args, kwargs, ["x", "repeats", "multiples=", "name="]);
  const x = a.x!;
  if (!isKerasTensor(x)) return notATensor("tile", x);
  const how = a.repeats ?? a.multiples!;
  // Repeats given as a tensor (`tf.concat([batch, [1, 1]])`): as many as its length, each unknown.
  const reps = isKerasTensor(how) && how.shape.length === 1 && how.shape[0] !== null
    ? new Array<null>(how.shape[0]).fill(null)
    : ctx.iterate(how).map((v) => (v.kind === "int" ? v.v : null));
  const rank = Math.max(reps.length, x.shape.length);
  const dims = [...new Array(rank - x.shape.length).fill(1), ...x.shape];
  const r = [...new Array(rank - reps.length).fill(1), ...reps];
  const shape = dims.map((d, i) => (d === null || r[i] === null ? null : d * r[i]!));
  return reshaped(ctx, "tile", x, shape);
});

/** keras.ops.pad / tf.pad(x, [[before, after], ...]): each axis grows by its two pads. */
const pad = builtin("pad", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "pad", args, kwargs, ["x", "pad_width", "mode=", "constant_values=", "paddings=", "name="]);
  const x = a.x!;
  if (!isKerasTensor(x)) return notATensor("pad", x);
  const widths = ctx.iterate(a.pad_width ?? a.paddings!).map((p) => ctx.iterate(p).map((v) => toInt(ctx, v, "pad_width")));
  if (widths.length !== x.shape.length || widths.some((w) => w.length !== 2)) {
    return ctx.raise("ValueError", `pad() needs one [before, after] pair per axis of shape ${formatShape(x.shape)}.`, "shape-mismatch");
  }
  return reshaped(ctx, "pad", x, x.shape.map((d, i) => (d === null ? null : d + widths[i][0] + widths[i][1])), { pad_width: widths.flat() });
});

/** keras.ops.norm(x, axis=None, keepdims=False): a reduction over `axis` (every axis when None). */
const norm = builtin("norm", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "norm", args, kwargs, ["x", "ord=", "axis=", "keepdims="]);
  const x = a.x!;
  if (!isKerasTensor(x)) return notATensor("norm", x);
  const rank = x.shape.length;
  const axes = isNoneOrMissing(a.axis)
    ? x.shape.map((_, i) => i)
    : (a.axis!.kind === "tuple" || a.axis!.kind === "list" ? a.axis!.items : [a.axis!]).map((v) => normAxis(toInt(ctx, v, "axis"), rank) ?? 0);
  const keep = a.keepdims?.kind === "bool" && a.keepdims.v;
  const shape = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
  const id = emitNode(ctx, { op: "norm", category: "math", name: uniqueName(ctx, "norm"), attrs: { axis: axes }, inputs: [x], shape });
  return kerasTensor(shape, id);
});

/** keras.ops.where(condition, x1, x2): the three shapes broadcast together. */
const where = builtin("where", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "where", args, kwargs, ["condition", "x1=", "x2="]);
  const ts = [a.condition, a.x1, a.x2].filter((v): v is PyTensor => !!v && isKerasTensor(v));
  if (!isKerasTensor(a.condition) || isNoneOrMissing(a.x1)) return unknown("where() with one argument gives indices the analyzer cannot know.");
  let shape: Shape | undefined = ts[0].shape;
  for (const t of ts.slice(1)) shape = shape && broadcastShapes(shape, t.shape);
  if (!shape) {
    ctx.reportError(`where() cannot broadcast shapes ${ts.map((t) => formatShape(t.shape)).join(", ")}.`, "shape-mismatch");
    shape = ts[0].shape;
  }
  const id = emitNode(ctx, { op: "where", category: "math", name: uniqueName(ctx, "where"), inputs: ts, shape });
  return kerasTensor(shape, id);
});

/** keras.ops.einsum / tf.einsum: the contraction's shape and multiply-accumulates (as matmul counts them). */
const einsum = builtin("einsum", (args, _kwargs, ctx) => {
  const eq = args[0]?.kind === "str" ? args[0].v : ctx.raise("TypeError", "einsum() expects an equation string first, e.g. 'bij,bkj->bik'.");
  const xs = args.slice(1);
  if (!xs.every(isKerasTensor)) return unknown("einsum() of values that are not symbolic tensors.");
  const r = einsumShape(eq, xs.map((x) => x.shape));
  if (typeof r === "string") return ctx.raise("ValueError", `einsum(): ${r}.`, "shape-mismatch");
  // MACs per sample, as Keras layers count them: an unknown batch counts as 1.
  const perSample = einsumShape(eq, xs.map((x) => x.shape.map((d, i) => (i === 0 && d === null ? 1 : d))));
  const macs = typeof perSample === "string" ? 0 : perSample.macs;
  const id = emitNode(ctx, { op: "einsum", category: "math", name: uniqueName(ctx, "einsum"), attrs: { equation: eq }, inputs: xs, shape: r.shape, macs });
  return kerasTensor(r.shape, id);
});

/** keras.ops.argmax / argmin (tf.argmax): the axis removed (or everything, axis None in keras.ops). */
const argExtreme = (op: string, tfDefaultAxis: boolean) =>
  builtin(op, (args, kwargs, ctx) => {
    const a = bindArgs(ctx, op, args, kwargs, ["x", "axis=", "keepdims=", "output_type=", "name="]);
    const x = a.x!;
    if (!isKerasTensor(x)) return notATensor(op, x);
    const axisV = isNoneOrMissing(a.axis) ? (tfDefaultAxis ? int(0) : undefined) : a.axis;
    const keep = a.keepdims?.kind === "bool" && a.keepdims.v;
    const axis = axisV ? normAxis(toInt(ctx, axisV, "axis"), x.shape.length) : undefined;
    const shape = axis === undefined ? [] : keep ? x.shape.map((d, i) => (i === axis ? 1 : d)) : x.shape.filter((_, i) => i !== axis);
    const id = emitNode(ctx, { op, category: "math", name: uniqueName(ctx, op), attrs: { axis: axis ?? null }, inputs: [x], shape });
    return kerasTensor(shape, id);
  });

export function arrayOps(): Record<string, Value> {
  return {
    arange,
    linspace: recordedBuiltin(linspace),
    expand_dims: recordedBuiltin(expandDims),
    squeeze: recordedBuiltin(squeeze),
    transpose: recordedBuiltin(transpose),
    stack: recordedBuiltin(stack),
    split: recordedBuiltin(split),
    cast: recordedBuiltin(cast),
    tile: recordedBuiltin(tile),
    einsum: recordedBuiltin(einsum),
    pad: recordedBuiltin(pad),
    norm: recordedBuiltin(norm),
    where: recordedBuiltin(where),
    argmax: recordedBuiltin(argExtreme("argmax", false)),
    argmin: recordedBuiltin(argExtreme("argmin", false)),
  };
}

/** The last two axes swapped, as tf.matmul's transpose_a / transpose_b ask. */
function swapLastTwo(ctx: NativeContext, x: PyTensor): PyTensor {
  const r = x.shape.length;
  const axes = x.shape.map((_, i) => (i === r - 1 ? r - 2 : i === r - 2 ? r - 1 : i));
  return reshaped(ctx, "transpose", x, axes.map((i) => x.shape[i]), { axes });
}

/** The same functions under TensorFlow's names and argument names (tf.range, tf.transpose(perm=)). */
export function tfArrayOps(): Record<string, Value> {
  const ops = arrayOps();
  return {
    ...ops,
    range: builtin("range", (args, kwargs, ctx) => {
      const a = bindArgs(ctx, "range", args, kwargs, ["start", "limit=", "delta=", "dtype=", "name="]);
      return arange.fn([a.start!, a.limit ?? NONE, a.delta ?? NONE], new Map(), ctx);
    }),
    split: recordedBuiltin(tfSplit),
    argmax: recordedBuiltin(argExtreme("argmax", true)),
    argmin: recordedBuiltin(argExtreme("argmin", true)),
    matmul: recordedBuiltin(
      builtin("matmul", (args, kwargs, ctx) => {
        const a = bindArgs(ctx, "matmul", args, kwargs, ["a", "b", "transpose_a=", "transpose_b=", "adjoint_a=", "adjoint_b=", "a_is_sparse=", "b_is_sparse=", "output_type=", "name="]);
        const flag = (v: Value | undefined) => v?.kind === "bool" && v.v;
        const side = (x: Value, t: boolean) => (t && isKerasTensor(x) && x.shape.length >= 2 ? swapLastTwo(ctx, x) : x);
        const l = side(a.a!, flag(a.transpose_a) || flag(a.adjoint_a));
        const r = side(a.b!, flag(a.transpose_b) || flag(a.adjoint_b));
        return kerasBinary(ctx, "matmul", l, r) ?? unknown("matmul() needs a symbolic tensor operand.");
      }),
    ),
    transpose: recordedBuiltin(
      builtin("transpose", (args, kwargs, ctx) => {
        const a = bindArgs(ctx, "transpose", args, kwargs, ["a", "perm=", "conjugate=", "name="]);
        return transpose.fn(a.perm ? [a.a!, a.perm] : [a.a!], new Map(), ctx);
      }),
    ),
  };
}

/** tf.linalg: matrix_transpose (the last two axes swapped), matmul and einsum as tf has them. */
export function tfLinalgOps(): Record<string, Value> {
  const tf = tfArrayOps();
  return {
    matmul: tf.matmul,
    einsum: tf.einsum,
    matrix_transpose: recordedBuiltin(
      builtin("matrix_transpose", (args, kwargs, ctx) => {
        const a = bindArgs(ctx, "matrix_transpose", args, kwargs, ["a", "name=", "conjugate="]);
        const x = a.a!;
        if (!isKerasTensor(x)) return notATensor("matrix_transpose", x);
        if (x.shape.length < 2) return ctx.raise("ValueError", `matrix_transpose() needs at least 2 dimensions, got shape ${formatShape(x.shape)}.`);
        return swapLastTwo(ctx, x);
      }),
    ),
  };
}
