// Image ops on symbolic tensors: extract_patches and resize, under keras.ops.image and under
// TensorFlow's names and arguments (tf.image.extract_patches with [1, h, w, 1] sizes/strides/rates,
// tf.image.resize), each spelling binding its own arguments to one shape rule; and tf.nn's
// depth_to_space / space_to_depth (the sub-pixel upscaling of super-resolution models).

import type { Shape } from "../../ir/types";
import { type NativeContext, type PyBuiltin, type PyTensor, type Value, NONE, builtin, unknown } from "../../interp/values";
import { bindArgs, isNoneOrMissing, toBool, toInt, toIntTuple, toStr } from "../../interp/args";
import { emitNode, isKerasTensor, kerasTensor } from "./emit";
import { convOutputLength, formatShape } from "./shapes";
import { recordedBuiltin } from "./replay";
import { uniqueName } from "./state";
import { notATensor } from "./protocol";

/**
 * Every `size` window of an image batch (stepping by `strides`) flattened into the channels:
 * (B, H', W', size_h * size_w * C) channels-last. Shared by keras.ops.image.extract_patches and
 * tf.image.extract_patches.
 */
function patches(ctx: NativeContext, x: PyTensor, size: number[], strides: number[], dilation: number[], padding: string, channelsFirst: boolean): PyTensor {
  if (x.shape.length !== 4) return ctx.raise("ValueError", `extract_patches() expects a 4D image batch, got shape ${formatShape(x.shape)}.`);
  const [h, w, c] = channelsFirst ? [2, 3, 1] : [1, 2, 3];
  const channels = x.shape[c] === null ? null : size[0] * size[1] * x.shape[c]!;
  const oh = convOutputLength(x.shape[h], size[0], padding, strides[0], dilation[0]);
  const ow = convOutputLength(x.shape[w], size[1], padding, strides[1], dilation[1]);
  const shape: Shape = channelsFirst ? [x.shape[0], channels, oh, ow] : [x.shape[0], oh, ow, channels];
  const id = emitNode(ctx, { op: "extract_patches", category: "reshape", name: uniqueName(ctx, "extract_patches"), attrs: { size, strides, padding }, inputs: [x], shape });
  return kerasTensor(shape, id);
}

/** keras.ops.image.extract_patches(images, size, strides=size, dilation_rate=1, padding="valid"). */
const extractPatches = builtin("extract_patches", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "extract_patches", args, kwargs, ["images", "size", "strides=", "dilation_rate=", "padding=", "data_format="]);
  const x = a.images!;
  if (!isKerasTensor(x)) return notATensor("extract_patches", x);
  const size = toIntTuple(ctx, a.size, 2, "size");
  const strides = isNoneOrMissing(a.strides) ? size : toIntTuple(ctx, a.strides, 2, "strides");
  const dilation = toIntTuple(ctx, a.dilation_rate, 2, "dilation_rate", 1);
  const padding = toStr(ctx, a.padding, "padding", "valid");
  return patches(ctx, x, size, strides, dilation, padding, toStr(ctx, a.data_format, "data_format", "channels_last") === "channels_first");
});

/** The [1, h, w, 1] windows TensorFlow's image ops take, as [h, w]. */
function hw(ctx: NativeContext, v: Value | undefined, what: string): number[] {
  const dims = v ? ctx.iterate(v).map((d, i) => toInt(ctx, d, `${what}[${i}]`)) : [];
  if (dims.length !== 4) return ctx.raise("ValueError", `${what} must have 4 entries, [1, height, width, 1], got ${ctx.repr(v ?? NONE)}.`);
  return [dims[1], dims[2]];
}

/** tf.image.extract_patches(images, sizes, strides, rates, padding): channels-last, padding "VALID" or "SAME". */
const tfExtractPatches = builtin("extract_patches", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "extract_patches", args, kwargs, ["images", "sizes", "strides", "rates", "padding", "name="]);
  const x = a.images!;
  if (!isKerasTensor(x)) return notATensor("extract_patches", x);
  const padding = toStr(ctx, a.padding, "padding").toLowerCase();
  return patches(ctx, x, hw(ctx, a.sizes, "sizes"), hw(ctx, a.strides, "strides"), hw(ctx, a.rates, "rates"), padding, false);
});

/**
 * An image batch (or one image) resized to `size` (height, width); with an aspect ratio to keep
 * (tf's preserve_aspect_ratio) the result fits inside it, so its size is left open.
 */
function resized(ctx: NativeContext, x: PyTensor, size: Value, keepAspect: boolean, channelsFirst: boolean): PyTensor {
  const [th, tw] = ctx.iterate(size).map((d, i) => toInt(ctx, d, `size[${i}]`));
  const rank = x.shape.length;
  if (rank !== 3 && rank !== 4) return ctx.raise("ValueError", `resize() expects an image or a batch of images (3D or 4D), got shape ${formatShape(x.shape)}.`);
  const [h, w] = channelsFirst ? [rank - 2, rank - 1] : [rank - 3, rank - 2];
  const shape = x.shape.map((d, i) => (i === h ? (keepAspect ? null : th) : i === w ? (keepAspect ? null : tw) : d));
  const id = emitNode(ctx, { op: "resize", category: "reshape", name: uniqueName(ctx, "resize"), attrs: { size: [th, tw] }, inputs: [x], shape });
  return kerasTensor(shape, id);
}

/** keras.ops.image.resize(images, size, interpolation=..., ..., data_format=None). */
const resize = builtin("resize", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "resize", args, kwargs, ["images", "size", "interpolation=", "antialias=", "crop_to_aspect_ratio=", "pad_to_aspect_ratio=", "fill_mode=", "fill_value=", "data_format="]);
  if (!isKerasTensor(a.images)) return notATensor("resize", a.images!);
  return resized(ctx, a.images, a.size!, false, toStr(ctx, a.data_format, "data_format", "channels_last") === "channels_first");
});

/** tf.image.resize(images, size, method=..., preserve_aspect_ratio=False, antialias=False). */
const tfResize = builtin("resize", (args, kwargs, ctx) => {
  const a = bindArgs(ctx, "resize", args, kwargs, ["images", "size", "method=", "preserve_aspect_ratio=", "antialias=", "name="]);
  if (!isKerasTensor(a.images)) return notATensor("resize", a.images!);
  return resized(ctx, a.images, a.size!, toBool(ctx, a.preserve_aspect_ratio, false), false);
});

/**
 * tf.nn.depth_to_space(input, block_size, data_format="NHWC") moves channels into b x b spatial blocks:
 * (N, H, W, C) -> (N, H*b, W*b, C/b^2); space_to_depth is the inverse, (N, H/b, W/b, C*b^2). A size that
 * does not divide is a shape mismatch, as TensorFlow rejects it; its axis is then left unknown.
 */
function blockRearrange(op: "depth_to_space" | "space_to_depth"): PyBuiltin {
  return builtin(op, (args, kwargs, ctx) => {
    const a = bindArgs(ctx, op, args, kwargs, ["input", "block_size", "data_format=", "name="]);
    const x = a.input!;
    if (!isKerasTensor(x)) return notATensor(op, x);
    const b = toInt(ctx, a.block_size, "block_size");
    if (b < 2) return ctx.raise("ValueError", `${op}() block_size must be at least 2, got ${b}.`);
    const format = toStr(ctx, a.data_format, "data_format", "NHWC");
    if (format !== "NHWC" && format !== "NCHW") return ctx.raise("ValueError", `${op}() data_format must be "NHWC" or "NCHW", got '${format}'.`);
    if (x.shape.length !== 4) return ctx.raise("ValueError", `${op}() expects a 4D tensor, got shape ${formatShape(x.shape)}.`, "shape-mismatch");
    const [h, w, c] = format === "NCHW" ? [2, 3, 1] : [1, 2, 3];
    const divided = (d: number | null, by: number, what: string): number | null => {
      if (d === null) return null;
      if (d % by === 0) return d / by;
      ctx.reportError(`${op}() needs the ${what} (${d}) to be divisible by ${by}, got shape ${formatShape(x.shape)}.`, "shape-mismatch");
      return null;
    };
    const times = (d: number | null, by: number): number | null => (d === null ? null : d * by);
    const shape = x.shape.slice();
    if (op === "depth_to_space") {
      shape[c] = divided(x.shape[c], b * b, "channel count");
      shape[h] = times(x.shape[h], b);
      shape[w] = times(x.shape[w], b);
    } else {
      shape[h] = divided(x.shape[h], b, "height");
      shape[w] = divided(x.shape[w], b, "width");
      shape[c] = times(x.shape[c], b * b);
    }
    const id = emitNode(ctx, { op, category: "reshape", name: uniqueName(ctx, op), attrs: { block_size: b, data_format: format }, inputs: [x], shape });
    return kerasTensor(shape, id);
  });
}

/** tf.nn's image rearrangements (also tf.depth_to_space, TensorFlow 1's name for it). */
export function tfNnImageOps(): Record<string, Value> {
  return { depth_to_space: recordedBuiltin(blockRearrange("depth_to_space")), space_to_depth: recordedBuiltin(blockRearrange("space_to_depth")) };
}

export function imageOps(): Record<string, Value> {
  return { extract_patches: recordedBuiltin(extractPatches), resize: recordedBuiltin(resize) };
}

/** tf.image: TensorFlow's spelling of the image ops. */
export function tfImageOps(): Record<string, Value> {
  return { extract_patches: recordedBuiltin(tfExtractPatches), resize: recordedBuiltin(tfResize) };
}
