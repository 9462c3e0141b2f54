// Lowerings of the weighted and spatial layers: convolution (plain, depthwise, grouped, separable),
// dense/linear, batch norm (inference) and pooling. Weights come from `c.weight`, so their count is
// the layer's: PyTorch parameters plus BN running mean/var, or Keras weights incl. moving statistics.

import { applyActivation, fusableActivation, isKnownActivation } from "./activations";
import { isConverted, formatDims } from "./layout";
import { type Lowering, type LoweringContext, type Run, bool, layerHasBias, num, pair, release, str } from "./lower-types";
import type { Padding, TfTensor } from "./tf-api";

function needs4d(c: LoweringContext): string | undefined {
  if (c.inBuilt.length !== 1 || c.inBuilt[0].length !== 4 || c.outBuilt.length !== 4) {
    return `${c.node.op} is profiled only as a 2-D layer on a 4-D input; this one has input ${formatDims(c.inShapes[0] ?? [])}.`;
  }
  if (c.node.attrs.data_format === "channels_first" || c.node.attrs.channels_first === true) {
    return `${c.node.op} uses channels_first, which the tfjs kernels do not run; only channels_last Keras layers are profiled.`;
  }
  return undefined;
}

/** Conv padding: Keras "same"/"valid", PyTorch explicit [ph, pw] (or "same"/"valid" strings). */
function convPadding(c: LoweringContext): Exclude<Padding, number> {
  const p = c.node.attrs.padding;
  if (typeof p === "string") return p.toLowerCase() === "same" ? "same" : "valid";
  const [ph, pw] = pair(c.node.attrs, "padding", [0, 0])!;
  return ph === 0 && pw === 0 ? "valid" : [[0, 0], [ph, ph], [pw, pw], [0, 0]];
}

/** The activation a Keras layer carries (applied after its kernel), or a reason it cannot run. */
function trailingActivation(c: LoweringContext): { name?: string } | string {
  const name = str(c.node.attrs, "activation");
  if (name === undefined) return {};
  return isKnownActivation(name) ? { name } : `${c.node.op}'s activation '${name}' is not supported by the profiler.`;
}

interface ConvGeometry {
  k: [number, number];
  strides: [number, number];
  dilations: [number, number];
  pad: Exclude<Padding, number>;
  /** The activation the layer itself carries (Keras `activation=`), applied after its kernel. */
  activation?: string;
  inC: number;
  outC: number;
}

/** Kernel size, strides, dilations, padding and channels of a conv node, or why it cannot run. */
function convGeometry(c: LoweringContext): ConvGeometry | string {
  const bad = needs4d(c);
  if (bad) return bad;
  const { node } = c;
  const a = node.attrs;
  if (/transpose/i.test(node.op) || a.output_padding !== undefined) return `${node.op}: transposed convolutions are not profiled yet.`;
  const k = pair(a, "kernel_size");
  if (!k) return `${node.op} does not record its kernel size (a functional call with a separate weight tensor), so it is not profiled.`;
  const strides = pair(a, "stride") ?? pair(a, "strides") ?? [1, 1];
  const dilations = pair(a, "dilation") ?? pair(a, "dilation_rate") ?? [1, 1];
  if (Math.max(...strides) > 1 && Math.max(...dilations) > 1) {
    return `${node.op} combines stride ${strides.join("x")} with dilation ${dilations.join("x")}, which tfjs convolutions do not support.`;
  }
  const act = trailingActivation(c);
  if (typeof act === "string") return act;
  return { k, strides, dilations, pad: convPadding(c), activation: act.name, inC: c.inBuilt[0][3], outC: c.outBuilt[3] };
}

/** A plain or depthwise conv's geometry and weights (created through `c.weight`). */
export interface ConvWeights extends ConvGeometry {
  /** Plain: [kh, kw, in, out]; depthwise: [kh, kw, in, out / in]. */
  filter: TfTensor;
  bias?: TfTensor;
}

/** Groups of a conv: depthwise layers have one per input channel; separable ones are not grouped convs. */
function convGroups(c: LoweringContext, g: ConvGeometry): number {
  return /depthwise/i.test(c.node.op) ? g.inC : num(c.node.attrs, "groups", 1)!;
}

const isPlain = (c: LoweringContext, g: ConvGeometry) => !/separable/i.test(c.node.op) && convGroups(c, g) === 1;
/** One group per input channel (with one input channel this is also a plain conv, the same filter). */
const isDepthwise = (c: LoweringContext, g: ConvGeometry) => !/separable/i.test(c.node.op) && convGroups(c, g) === g.inC;

/** The filter [kh, kw, in, filterOut] and the bias [out] when the layer has one. */
function withWeights(c: LoweringContext, g: ConvGeometry, filterOut = g.outC): ConvWeights {
  const bias = layerHasBias(c.node.attrs) ? c.weight("bias", [g.outC]) : undefined;
  return { ...g, filter: c.weight("kernel", [g.k[0], g.k[1], g.inC, filterOut]), bias };
}

/** Depthwise weights: PyTorch's [out, 1, kh, kw] (groups = in) is tfjs's [kh, kw, in, out / in]. */
function withDepthwiseWeights(c: LoweringContext, g: ConvGeometry): ConvWeights | string {
  if (g.outC % g.inC !== 0) return `${c.node.op} is depthwise but its ${g.outC} output channels are not a multiple of its ${g.inC} input channels.`;
  return withWeights(c, g, g.outC / g.inC);
}

/** The plain conv of a node, or why it is not one (the fused conv + BN lowering builds on it). */
export function plainConv(c: LoweringContext): ConvWeights | string {
  const g = convGeometry(c);
  if (typeof g === "string") return g;
  return isPlain(c, g) ? withWeights(c, g) : `${c.node.op} is not a plain convolution.`;
}

/** The depthwise conv of a node, or why it is not one (the fused depthwise conv + BN lowering builds on it). */
export function depthwiseConv(c: LoweringContext): ConvWeights | string {
  const g = convGeometry(c);
  if (typeof g === "string") return g;
  return isDepthwise(c, g) ? withDepthwiseWeights(c, g) : `${c.node.op} is not a depthwise convolution.`;
}

export const lowerConv: Lowering = (c) => {
  const g = convGeometry(c);
  if (typeof g === "string") return g;
  const { tf, node } = c;
  const a = node.attrs;
  const { k, strides, dilations, pad, inC, outC } = g;
  if (isPlain(c, g)) {
    const p = withWeights(c, g);
    const fused = fusableActivation(g.activation);
    if (tf.fused && fused) {
      const fusedConv = tf.fused.conv2d;
      return (xs) => fusedConv({ x: xs[0], filter: p.filter, strides, pad, dilations, bias: p.bias, activation: fused });
    }
    return (xs) => finishConv(c, xs, tf.conv2d(xs[0], p.filter, strides, pad, "NHWC", dilations), p.bias, g.activation);
  }
  if (isDepthwise(c, g)) {
    const d = withDepthwiseWeights(c, g);
    if (typeof d === "string") return d;
    return (xs) => finishConv(c, xs, tf.depthwiseConv2d(xs[0], d.filter, strides, pad, "NHWC", dilations), d.bias, g.activation);
  }
  const groups = convGroups(c, g);
  const hasBias = layerHasBias(a);
  const bias = hasBias ? c.weight("bias", [outC]) : undefined;
  const finish = (xs: TfTensor[], y: TfTensor) => finishConv(c, xs, y, bias, g.activation);

  if (/separable/i.test(node.op)) {
    if (Array.isArray(pad)) return `${node.op} with explicit padding is not supported by tfjs separable convolutions.`;
    const m = num(a, "depth_multiplier", 1)!;
    const dw = c.weight("depthwise_kernel", [k[0], k[1], inC, m]);
    const pw = c.weight("pointwise_kernel", [1, 1, inC * m, outC]);
    return (xs) => finish(xs, tf.separableConv2d(xs[0], dw, pw, strides, pad, dilations));
  }
  return lowerGrouped(c, k, strides, dilations, pad, groups, finish);
};

/** Adds the bias and the layer's own activation after an unfused conv kernel. */
function finishConv(c: LoweringContext, xs: TfTensor[], y: TfTensor, bias: TfTensor | undefined, activation: string | undefined): TfTensor {
  let out = y;
  if (bias) {
    out = c.tf.add(y, bias);
    release(xs, y);
  }
  if (activation) {
    const z = applyActivation(c.tf, activation, out);
    release(xs, out);
    out = z;
  }
  return out;
}

/** Grouped convolution (ResNeXt): split the channels, convolve each group, concatenate. */
function lowerGrouped(
  c: LoweringContext,
  k: [number, number],
  strides: [number, number],
  dilations: [number, number],
  pad: Padding,
  groups: number,
  finish: (xs: TfTensor[], y: TfTensor) => TfTensor,
): Run | string {
  const { tf, node } = c;
  const inC = c.inBuilt[0][3];
  const outC = c.outBuilt[3];
  if (inC % groups !== 0 || outC % groups !== 0) return `${node.op} has groups=${groups}, which does not divide its ${inC} -> ${outC} channels.`;
  const filters = Array.from({ length: groups }, (_, g) => c.weight(`kernel/${g}`, [k[0], k[1], inC / groups, outC / groups]));
  return (xs) => {
    const parts = tf.split(xs[0], groups, 3);
    const outs = parts.map((p, g) => tf.conv2d(p, filters[g], strides, pad, "NHWC", dilations));
    const y = tf.concat(outs, 3);
    for (const t of [...parts, ...outs]) t.dispose();
    return finish(xs, y);
  };
}

export const lowerDense: Lowering = (c) => {
  const { tf, node } = c;
  const a = node.attrs;
  const inF = num(a, "in_features");
  const outF = num(a, "out_features") ?? num(a, "units");
  if (inF === undefined || outF === undefined) {
    return `${node.op} does not record its in/out features (a functional call with a separate weight tensor), so it is not profiled.`;
  }
  if (c.inShapes.length !== 1 || isConverted(c.framework, c.inShapes[0])) {
    return `${node.op} on a 4-D PyTorch tensor (features along W) is not profiled: the tensor runs as NHWC.`;
  }
  const act = trailingActivation(c);
  if (typeof act === "string") return act;
  const kernel = c.weight("kernel", [inF, outF]);
  const bias = layerHasBias(a) ? c.weight("bias", [outF]) : undefined;
  const fused = fusableActivation(act.name);
  const flat = c.inBuilt[0].length !== 2;
  return (xs) => {
    const x2 = flat ? tf.reshape(xs[0], [-1, inF]) : xs[0];
    let y: TfTensor;
    if (tf.fused && fused) y = tf.fused.matMul({ a: x2, b: kernel, bias, activation: fused });
    else {
      y = tf.matMul(x2, kernel);
      if (bias) {
        const yb = tf.add(y, bias);
        y.dispose();
        y = yb;
      }
      if (act.name) {
        const z = applyActivation(tf, act.name, y);
        y.dispose();
        y = z;
      }
    }
    release(xs, x2);
    if (!flat) return y;
    const out = tf.reshape(y, c.outBuilt);
    y.dispose();
    return out;
  };
};

/** An inference BatchNorm's tensors (created through `c.weight`): scale and offset are optional. */
export interface BatchNormParams {
  mean: TfTensor;
  variance: TfTensor;
  scale?: TfTensor;
  offset?: TfTensor;
  epsilon: number;
}

/** The BN node's weights, or why it cannot run as a tfjs batchNorm over the last built axis. */
export function batchNormParams(c: LoweringContext): BatchNormParams | string {
  const { node, framework } = c;
  const a = node.attrs;
  const shape = c.inShapes[0];
  if (!shape) return `${node.op} has no input.`;
  // The channel axis must be the built tensor's last one (tfjs batchNorm broadcasts over it).
  const rank = shape.length;
  const axisAttr = a.axis;
  const axis = framework === "keras" ? (Array.isArray(axisAttr) ? axisAttr[0] : axisAttr) : 1;
  const lastAxis = typeof axis === "number" && (axis === -1 || axis === rank - 1 || (framework === "pytorch" && (rank === 2 || rank === 4)));
  if (!lastAxis) return `${node.op} normalises axis ${String(axis)} of a rank-${rank} tensor, which is not its last built axis; not profiled.`;
  const channels = c.inBuilt[0][c.inBuilt[0].length - 1];
  let scale: TfTensor | undefined;
  let offset: TfTensor | undefined;
  if (framework === "pytorch") {
    if (!bool(a, "track_running_stats", true)) return `${node.op} without running statistics normalises with batch statistics at inference; not profiled.`;
    if (bool(a, "affine", true)) {
      scale = c.weight("weight", [channels]);
      offset = c.weight("bias", [channels]);
    }
  } else {
    if (bool(a, "scale", true)) scale = c.weight("gamma", [channels]);
    if (bool(a, "center", true)) offset = c.weight("beta", [channels]);
  }
  const mean = c.weight(framework === "pytorch" ? "running_mean" : "moving_mean", [channels]);
  const variance = c.weight(framework === "pytorch" ? "running_var" : "moving_variance", [channels], "positive");
  const epsilon = num(a, "eps") ?? num(a, "epsilon") ?? 1e-3;
  return { mean, variance, scale, offset, epsilon };
}

export const lowerBatchNorm: Lowering = (c) => {
  const p = batchNormParams(c);
  if (typeof p === "string") return p;
  return (xs) => c.tf.batchNorm(xs[0], p.mean, p.variance, p.offset, p.scale, p.epsilon);
};

export const lowerPool: Lowering = (c) => {
  const bad = needs4d(c);
  if (bad) return bad;
  const { tf, node } = c;
  const a = node.attrs;
  const max = /max/i.test(node.op);
  const pool = (x: TfTensor, k: [number, number], s: [number, number], p: "valid" | "same") =>
    max ? tf.maxPool(x, k, s, p) : tf.avgPool(x, k, s, p);

  if (typeof a.padding === "string") {
    // Keras: pool_size / strides / "same" | "valid".
    const k = pair(a, "pool_size", [2, 2])!;
    const s = pair(a, "strides") ?? k;
    const p = a.padding.toLowerCase() === "same" ? "same" : "valid";
    return (xs) => pool(xs[0], k, s, p);
  }
  // PyTorch: explicit padding becomes tf.pad then a valid pool. The end pads are what the output
  // size needs (this also covers ceil_mode), so the tf output equals the analyzer's.
  const k = pair(a, "kernel_size");
  if (!k) return `${node.op} does not record its kernel size.`;
  const s = pair(a, "stride") ?? k;
  const [ph, pw] = pair(a, "padding", [0, 0])!;
  const d = pair(a, "dilation", [1, 1])!;
  if (d[0] !== 1 || d[1] !== 1) return `${node.op} with dilation ${d.join("x")} is not supported by tfjs pooling.`;
  const [, h, w] = c.inBuilt[0];
  const [, oh, ow] = c.outBuilt;
  const bottom = Math.max(0, (oh - 1) * s[0] + k[0] - h - ph);
  const right = Math.max(0, (ow - 1) * s[1] + k[1] - w - pw);
  if (ph === 0 && pw === 0 && bottom === 0 && right === 0) return (xs) => pool(xs[0], k, s, "valid");
  const pads: [number, number][] = [[0, 0], [ph, bottom], [pw, right], [0, 0]];
  // Max pooling pads with -inf (PyTorch ignores padded cells), average pooling with zeros
  // (count_include_pad=True, PyTorch's default).
  const fill = max ? Number.NEGATIVE_INFINITY : 0;
  return (xs) => {
    const padded = tf.pad(xs[0], pads, fill);
    const out = pool(padded, k, s, "valid");
    padded.dispose();
    return out;
  };
};

export const lowerAdaptivePool: Lowering = (c) => {
  const bad = needs4d(c);
  if (bad) return bad;
  const { tf, node } = c;
  const max = /max/i.test(node.op);
  const [, h, w] = c.inBuilt[0];
  const [, oh, ow] = c.outBuilt;
  if (oh === 1 && ow === 1) return (xs) => (max ? tf.max(xs[0], [1, 2], true) : tf.mean(xs[0], [1, 2], true));
  if (h % oh !== 0 || w % ow !== 0) return `${node.op} from ${h}x${w} to ${oh}x${ow} has uneven windows, which tfjs pooling cannot express.`;
  const k: [number, number] = [h / oh, w / ow];
  return (xs) => (max ? tf.maxPool(xs[0], k, k, "valid") : tf.avgPool(xs[0], k, k, "valid"));
};

export const lowerGlobalPool: Lowering = (c) => {
  const { tf, node } = c;
  if (c.inBuilt.length !== 1 || c.inBuilt[0].length !== 4) return `${node.op} is profiled only on a 4-D input.`;
  if (node.attrs.channels_first === true) return `${node.op} uses channels_first, which the tfjs kernels do not run.`;
  const keep = bool(node.attrs, "keepdims", false);
  const max = /max/i.test(node.op);
  return (xs) => (max ? tf.max(xs[0], [1, 2], keep) : tf.mean(xs[0], [1, 2], keep));
};
