// Conv1d/2d/3d and ConvTranspose1d/2d: exact PyTorch parameter counts, output sizes and MACs.

import { type NativeContext, type PyClass, type PyInstance, type PyTensor, type Value, int, str, bool } from "../../interp/values";
import { toBool, toInt, toIntTuple } from "../../interp/args";
import type { JsonValue, Shape } from "../../ir/types";
import { type Args, addWeight, checkDim, checkRank, defineLayer, guessShape, intTuple, layerLabel, setAttrs } from "./define-layer";
import { moduleNode } from "./nodes";
import { convOut, convTransposeOut, formatShape, numelOf } from "./shape-math";

interface ConvConfig {
  inC: number;
  outC: number;
  k: number[];
  stride: number[];
  /** Per-dimension padding, or "same"/"valid". */
  padding: number[] | "same";
  dilation: number[];
  outputPadding: number[];
  groups: number;
  bias: boolean;
  transposed: boolean;
}

const convSpec = ["in_channels", "out_channels", "kernel_size", "stride=", "padding=", "dilation=", "groups=", "bias=", "padding_mode=", "device=", "dtype="];
const transposeSpec = ["in_channels", "out_channels", "kernel_size", "stride=", "padding=", "output_padding=", "groups=", "bias=", "dilation=", "padding_mode=", "device=", "dtype="];

function parseConv(ctx: NativeContext, self: PyInstance, a: Args, n: number, name: string, transposed: boolean): ConvConfig {
  const inC = toInt(ctx, a.in_channels, "in_channels");
  const outC = toInt(ctx, a.out_channels, "out_channels");
  const k = toIntTuple(ctx, a.kernel_size, n, "kernel_size");
  const stride = toIntTuple(ctx, a.stride, n, "stride", 1);
  const dilation = toIntTuple(ctx, a.dilation, n, "dilation", 1);
  const groups = toInt(ctx, a.groups, "groups", 1);
  const bias = toBool(ctx, a.bias, true);
  const outputPadding = toIntTuple(ctx, a.output_padding, n, "output_padding", 0);
  let padding: number[] | "same";
  if (a.padding?.kind === "str") {
    if (a.padding.v === "same") {
      if (stride.some((s) => s !== 1)) ctx.raise("ValueError", `${name}: padding='same' is not supported for strided convolutions.`);
      padding = "same";
    } else if (a.padding.v === "valid") padding = new Array(n).fill(0);
    else return ctx.raise("ValueError", `${name}: invalid padding string '${a.padding.v}', should be one of 'valid' or 'same'.`);
  } else padding = toIntTuple(ctx, a.padding, n, "padding", 0);
  if (groups <= 0) ctx.raise("ValueError", `${name}: groups must be a positive integer, got ${groups}.`);
  if (inC % groups !== 0) ctx.raise("ValueError", `${name}: in_channels (${inC}) must be divisible by groups (${groups}).`);
  if (outC % groups !== 0) ctx.raise("ValueError", `${name}: out_channels (${outC}) must be divisible by groups (${groups}).`);

  // PyTorch weight layouts: conv (out, in/groups, *k); transposed conv (in, out/groups, *k).
  addWeight(ctx, self, "weight", transposed ? [inC, outC / groups, ...k] : [outC, inC / groups, ...k]);
  addWeight(ctx, self, "bias", [outC], bias);
  setAttrs(self, {
    in_channels: int(inC),
    out_channels: int(outC),
    kernel_size: intTuple(k),
    stride: intTuple(stride),
    padding: padding === "same" ? str("same") : a.padding?.kind === "str" ? str("valid") : intTuple(padding),
    dilation: intTuple(dilation),
    groups: int(groups),
    padding_mode: a.padding_mode ?? str("zeros"),
    transposed: bool(transposed),
    output_padding: intTuple(outputPadding),
  });
  return { inC, outC, k, stride, padding, dilation, outputPadding, groups, bias, transposed };
}

/** `ranks`: the input ranks accepted, unbatched and batched ([n + 1, n + 2]). */
function convForward(ctx: NativeContext, self: PyInstance, c: ConvConfig, x: PyTensor, n: number, name: string, ranks: number[]): Value {
  let shape: Shape = x.shape;
  const rankOk = checkRank(ctx, self, name, x, ranks);
  if (!rankOk) shape = guessShape(x, n + 2, c.inC);
  const chDim = shape.length - n - 1;
  checkDim(ctx, self, name, "input channels", c.inC, shape[chDim]);
  const lead = shape.slice(0, chDim);
  const spatialIn = shape.slice(chDim + 1);
  const spatialOut = spatialIn.map((len, i) => {
    if (c.transposed) {
      const p = c.padding === "same" ? 0 : c.padding[i];
      return convTransposeOut(len, c.k[i], c.stride[i], p, c.dilation[i], c.outputPadding[i]);
    }
    if (c.padding === "same") return len;
    return convOut(len, c.k[i], c.stride[i], c.padding[i], c.dilation[i]);
  });
  if (spatialOut.some((d) => d !== null && d <= 0)) {
    // Only worth a message when the input itself looked right; a guessed input is already reported.
    if (rankOk) {
      ctx.reportError(
        `${layerLabel(self, name)} input of shape ${formatShape(shape)} is too small for kernel ${c.k.join("x")}: the output would be ${formatShape(spatialOut)}.`,
        "shape-mismatch",
      );
    }
    for (let i = 0; i < spatialOut.length; i++) if ((spatialOut[i] ?? 1) <= 0) spatialOut[i] = 1;
  }
  const kprod = c.k.reduce((a, b) => a * b, 1);
  const batch = numelOf(lead);
  // Transposed convs are counted per input position (torchvision/fvcore convention); plain ones per output.
  const macs = c.transposed
    ? batch * numelOf(spatialIn) * c.inC * (c.outC / c.groups) * kprod
    : batch * numelOf(spatialOut) * c.outC * (c.inC / c.groups) * kprod;
  const out: Shape = [...lead, c.outC, ...spatialOut];
  const attrs: Record<string, JsonValue> = {
    in_channels: c.inC,
    out_channels: c.outC,
    kernel_size: c.k,
    stride: c.stride,
    padding: c.padding,
    dilation: c.dilation,
    groups: c.groups,
    bias: c.bias,
  };
  if (c.transposed) attrs.output_padding = c.outputPadding;
  return moduleNode(ctx, self, { op: name, category: "conv", inputs: [x], shape: out, macs, attrs });
}

function convClass(name: string, n: number, transposed: boolean): PyClass {
  const ranks = [n + 1, n + 2];
  return defineLayer<ConvConfig>({
    name,
    spec: transposed ? transposeSpec : convSpec,
    init: (ctx, self, a) => parseConv(ctx, self, a, n, name, transposed),
    forward: (ctx, self, cfg, x) => convForward(ctx, self, cfg, x, n, name, ranks),
  });
}

export const CONV_CLASSES: Record<string, PyClass> = {
  Conv1d: convClass("Conv1d", 1, false),
  Conv2d: convClass("Conv2d", 2, false),
  Conv3d: convClass("Conv3d", 3, false),
  ConvTranspose1d: convClass("ConvTranspose1d", 1, true),
  ConvTranspose2d: convClass("ConvTranspose2d", 2, true),
};
