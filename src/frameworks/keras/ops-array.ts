// keras.ops functions that make or rearrange arrays (arange, expand_dims, squeeze, transpose,
// image.extract_patches), and the stand-in for the keras.ops functions we do not model. A tensor
// made from Python numbers (ops.arange) is a constant: it has no producer node, and ops on
// constants stay constants, so only layers applied to them (an Embedding of positions) show.

import type { Shape } from "../../ir/types";
import { type NativeContext, type PyClass, type PyTensor, type Value, OBJECT_CLASS, builtin, nativeClass, unknown } from "../../interp/values";
import { bindArgs, isNoneOrMissing, toInt, toIntTuple, toStr } from "../../interp/args";
import { emitNode, isKerasTensor, isWeightTensor, kerasTensor } from "./emit";
import { harmlessClass } from "./harmless";
import { convOutputLength, formatShape, normAxis } from "./shapes";
import { recordedBuiltin, recordedCall } from "./replay";
import { kerasState, uniqueName } from "./state";

/** The result of a shape-only op: a constant stays a constant, anything else gets a node. */
function reshaped(ctx: NativeContext, op: string, x: PyTensor, shape: Shape, attrs: Record<string, number | number[] | string> = {}): PyTensor {
  if (isWeightTensor(x)) return kerasTensor(shape, "");
  const id = emitNode(ctx, { op, category: "reshape", name: uniqueName(ctx, op), attrs, inputs: [x], shape });
  return kerasTensor(shape, id);
}

const arange = builtin("arange", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "arange", args, kwargs, ["start", "stop=", "step=", "dtype="]);
  const numbers = [a.start, a.stop, a.step].every((v) => isNoneOrMissing(v) || v!.kind === "int" || v!.kind === "float");
  if (!numbers) return unknown("arange() of values the analyzer cannot know.");
  const num = (v: Value | undefined, fallback: number): number => (v && (v.kind === "int" || v.kind === "float") ? v.v : fallback);
  // arange(n) counts from 0 to n, like Python's range.
  const [start, stop] = isNoneOrMissing(a.stop) ? [0, num(a.start, 0)] : [num(a.start, 0), num(a.stop, 0)];
  const step = num(a.step, 1);
  if (step === 0) return ctx.raise("ValueError", "arange() step must not be zero.");
  return kerasTensor([Math.max(0, Math.ceil((stop - start) / step))], "");
});

const expandDims = builtin("expand_dims", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "expand_dims", args, kwargs, ["x", "axis"]);
  const x = a.x!;
  if (!isKerasTensor(x)) return unknown("expand_dims() needs a tensor.");
  const axis = normAxis(toInt(ctx, a.axis, "axis"), x.shape.length + 1);
  if (axis === undefined) return ctx.raise("ValueError", `expand_dims() axis ${ctx.repr(a.axis!)} is out of range for shape ${formatShape(x.shape)}.`);
  const shape = [...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)];
  return reshaped(ctx, "expand_dims", x, shape, { axis });
});

const squeeze = builtin("squeeze", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "squeeze", args, kwargs, ["x", "axis="]);
  const x = a.x!;
  if (!isKerasTensor(x)) return unknown("squeeze() needs a tensor.");
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
  if (!isKerasTensor(x)) return unknown("transpose() needs a tensor.");
  const rank = x.shape.length;
  const axes = isNoneOrMissing(a.axes) ? x.shape.map((_, i) => rank - 1 - i) : ctx.iterate(a.axes!).map((v) => normAxis(toInt(ctx, v, "axes"), rank) ?? 0);
  if (axes.length !== rank) return ctx.raise("ValueError", `transpose() axes ${ctx.repr(a.axes!)} do not match shape ${formatShape(x.shape)}.`);
  return reshaped(ctx, "transpose", x, axes.map((i) => x.shape[i]), { axes });
});

/**
 * keras.ops.image.extract_patches: every `size` window of an image batch (stepping by `strides`,
 * default the size) flattened into the channels: (B, H', W', size_h * size_w * C) channels-last.
 */
const extractPatches = builtin("extract_patches", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "extract_patches", args, kwargs, ["images", "size", "strides=", "dilation_rate=", "padding=", "data_format="]);
  const x = a.images!;
  if (!isKerasTensor(x)) return unknown("extract_patches() needs a tensor.");
  if (x.shape.length !== 4) return ctx.raise("ValueError", `extract_patches() expects a 4D image batch, got shape ${formatShape(x.shape)}.`);
  const size = toIntTuple(ctx, a.size, 2, "size");
  const strides = isNoneOrMissing(a.strides) ? size : toIntTuple(ctx, a.strides, 2, "strides");
  const dilation = toIntTuple(ctx, a.dilation_rate, 2, "dilation_rate", 1);
  const padding = toStr(ctx, a.padding, "padding", "valid");
  const channelsFirst = toStr(ctx, a.data_format, "data_format", "channels_last") === "channels_first";
  const [h, w, c] = channelsFirst ? [2, 3, 1] : [1, 2, 3];
  const channels = x.shape[c] === null ? null : size[0] * size[1] * x.shape[c]!;
  const oh = convOutputLength(x.shape[h], size[0], padding, strides[0], dilation[0]);
  const ow = convOutputLength(x.shape[w], size[1], padding, strides[1], dilation[1]);
  const shape: Shape = channelsFirst ? [x.shape[0], channels, oh, ow] : [x.shape[0], oh, ow, channels];
  const id = emitNode(ctx, { op: "extract_patches", category: "reshape", name: uniqueName(ctx, "extract_patches"), attrs: { size, strides, padding }, inputs: [x], shape });
  return kerasTensor(shape, id);
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
    __call__: builtin("__call__", (args, kwargs, ctx) => recordedCall(ctx, args[0], args.slice(1), kwargs, () => {
      const t = [...args.slice(1), ...kwargs.values()].find((v): v is PyTensor => isKerasTensor(v) && !isWeightTensor(v));
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

export function arrayOps(): Record<string, Value> {
  return { arange, expand_dims: recordedBuiltin(expandDims), squeeze: recordedBuiltin(squeeze), transpose: recordedBuiltin(transpose) };
}

export function imageOps(): Record<string, Value> {
  return { extract_patches: recordedBuiltin(extractPatches) };
}
