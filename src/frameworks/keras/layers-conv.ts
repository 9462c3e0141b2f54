// Convolution layers (1-3D, depthwise, separable, transposed). Weight and MAC formulas follow
// Keras's kernels: kernel (*k, cin/groups, filters) + bias (filters).

import type { JsonValue, Shape } from "../../ir/types";
import type { NativeContext, PyClass, PyInstance, Value } from "../../interp/values";
import { toInt } from "../../interp/args";
import { type ConvConfig, readConvConfig } from "./conv-config";
import { activationAttr } from "./activation-names";
import { type BuiltinApply, type BuiltinResult, sizeArg, weight } from "./builtin-def";
import type { Weight } from "./layer-state";
import { defineLayer } from "./layer-class";
import { convOutputLength, deconvOutputLength, formatShape, spatialLayout } from "./shapes";
import { warnUnsized } from "./unsized";

type Variant = "conv" | "depthwise" | "separable" | "transpose";

type ConvCfg = ConvConfig & { groups: number; depthMultiplier: number };

/** "causal" is for convolutions only; the message, unchanged, names the two paddings every conv takes. */
const PADDINGS = ["valid", "same", "causal"];

function readConfig(ctx: NativeContext, a: Record<string, Value | undefined>, rank: number, variant: Variant, self: PyInstance, className: string): ConvCfg {
  return readConvConfig(ctx, a, rank, {
    paddings: PADDINGS,
    badPadding: (padding) => `padding must be "valid" or "same", got '${padding}'.`,
    filters: () => (variant === "depthwise" ? 0 : sizeArg(ctx, self, className, a.filters, "filters")),
    own: () => ({ groups: toInt(ctx, a.groups, "groups", 1), depthMultiplier: toInt(ctx, a.depth_multiplier, "depth_multiplier", 1) }),
  });
}

function toAttrs(c: ConvCfg, variant: Variant): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {
    kernel_size: c.kernel,
    strides: c.strides,
    padding: c.padding,
    dilation_rate: c.dilation,
    use_bias: c.useBias,
  };
  if (variant !== "depthwise") out.filters = c.filters;
  if (variant === "conv") out.groups = c.groups;
  if (variant === "depthwise" || variant === "separable") out.depth_multiplier = c.depthMultiplier;
  if (c.channelsFirst) out.data_format = "channels_first";
  return out;
}

function applyConv(x: BuiltinApply, variant: Variant): BuiltinResult {
  const c = x.cfg.__conv as unknown as ConvCfg;
  const inShape = x.shapes[0];
  const rank = c.rank + 2;
  if (inShape.length !== rank) {
    x.ctx.reportError(
      `${x.className} '${x.name}' expects a ${rank}D input (batch, ${c.rank} spatial dims, channels), got shape ${formatShape(inShape)}.`,
      "shape-mismatch",
    );
    return { shape: inShape };
  }
  const { spatial, channel } = spatialLayout(rank, c.channelsFirst);
  const cin = inShape[channel];
  const inSpatial = spatial.map((i) => inShape[i]);
  const outSpatial = inSpatial.map((d, i) =>
    variant === "transpose"
      ? deconvOutputLength(d, c.kernel[i], c.padding, c.strides[i], c.dilation[i])
      : convOutputLength(d, c.kernel[i], c.padding, c.strides[i], c.dilation[i]),
  );
  const cout = variant === "depthwise" ? (cin === null ? null : cin * c.depthMultiplier) : c.filters;
  const shape: Shape = c.channelsFirst ? [inShape[0], cout, ...outSpatial] : [inShape[0], ...outSpatial, cout];
  if (cin === null) {
    warnUnsized(x.ctx, x.layer, `${x.className} '${x.name}' needs a known number of input channels; its weights are counted as 0.`);
    return { shape };
  }
  // Filters the analyzer cannot know: warned about where the layer was made.
  if (c.filters === null) return { shape, attrs: { in_channels: cin } };
  const filters = c.filters;
  if (variant === "conv" && cin % c.groups !== 0) {
    x.ctx.reportError(
      `${x.className} '${x.name}' has groups=${c.groups}, which does not divide its ${cin} input channels.`,
      "shape-mismatch",
    );
  }
  const k = c.kernel.reduce((p, v) => p * v, 1);
  const outArea = outSpatial.every((d) => d !== null) ? (outSpatial as number[]).reduce((p, v) => p * v, 1) : 0;
  const inArea = inSpatial.every((d) => d !== null) ? (inSpatial as number[]).reduce((p, v) => p * v, 1) : 0;
  const dm = c.depthMultiplier;
  const weights: Weight[] = [];
  let macs = 0;
  switch (variant) {
    case "conv":
      weights.push(weight("kernel", [...c.kernel, Math.floor(cin / c.groups), filters]));
      if (c.useBias) weights.push(weight("bias", [filters]));
      macs = outArea * k * Math.floor(cin / c.groups) * filters;
      break;
    case "depthwise":
      weights.push(weight("kernel", [...c.kernel, cin, dm]));
      if (c.useBias) weights.push(weight("bias", [cin * dm]));
      macs = outArea * k * cin * dm;
      break;
    case "separable":
      weights.push(weight("depthwise_kernel", [...c.kernel, cin, dm]));
      weights.push(weight("pointwise_kernel", [...c.kernel.map(() => 1), cin * dm, filters]));
      if (c.useBias) weights.push(weight("bias", [filters]));
      macs = outArea * k * cin * dm + outArea * cin * dm * filters;
      break;
    case "transpose":
      weights.push(weight("kernel", [...c.kernel, filters, cin]));
      if (c.useBias) weights.push(weight("bias", [filters]));
      macs = inArea * k * cin * filters;
      break;
  }
  return { shape, weights, macs, attrs: { in_channels: cin } };
}

function convDef(className: string, rank: number, variant: Variant): PyClass {
  const head = variant === "depthwise" ? ["kernel_size"] : ["filters", "kernel_size"];
  const middle: Record<Variant, string[]> = {
    conv: ["strides=", "padding=", "data_format=", "dilation_rate=", "groups=", "activation=", "use_bias="],
    depthwise: ["strides=", "padding=", "depth_multiplier=", "data_format=", "dilation_rate=", "activation=", "use_bias="],
    separable: ["strides=", "padding=", "data_format=", "dilation_rate=", "depth_multiplier=", "activation=", "use_bias="],
    transpose: ["strides=", "padding=", "output_padding=", "data_format=", "dilation_rate=", "activation=", "use_bias="],
  };
  return defineLayer({
    className,
    category: "conv",
    args: [...head, ...middle[variant]],
    configure(ctx, a, self) {
      const c = readConfig(ctx, a, rank, variant, self, className);
      return { ...toAttrs(c, variant), ...activationAttr(ctx, a.activation), __conv: c as unknown as JsonValue };
    },
    apply: (x) => applyConv(x, variant),
  });
}

/** Builds the conv classes; aliases share one class as in Keras. */
export function convLayers(): Record<string, PyClass> {
  const conv1d = convDef("Conv1D", 1, "conv");
  const conv2d = convDef("Conv2D", 2, "conv");
  const conv3d = convDef("Conv3D", 3, "conv");
  const sep1d = convDef("SeparableConv1D", 1, "separable");
  const sep2d = convDef("SeparableConv2D", 2, "separable");
  const tr1d = convDef("Conv1DTranspose", 1, "transpose");
  const tr2d = convDef("Conv2DTranspose", 2, "transpose");
  const tr3d = convDef("Conv3DTranspose", 3, "transpose");
  return {
    Conv1D: conv1d,
    Convolution1D: conv1d,
    Conv2D: conv2d,
    Convolution2D: conv2d,
    Conv3D: conv3d,
    Convolution3D: conv3d,
    DepthwiseConv1D: convDef("DepthwiseConv1D", 1, "depthwise"),
    DepthwiseConv2D: convDef("DepthwiseConv2D", 2, "depthwise"),
    SeparableConv1D: sep1d,
    SeparableConvolution1D: sep1d,
    SeparableConv2D: sep2d,
    SeparableConvolution2D: sep2d,
    Conv1DTranspose: tr1d,
    Conv2DTranspose: tr2d,
    Convolution2DTranspose: tr2d,
    Conv3DTranspose: tr3d,
  };
}
