// torch.nn.functional: stateless ops on tensors. Each call makes one node scoped to the module whose
// forward is running; weights passed to F.linear / F.conv2d only supply shapes.

import { type Kwargs, type NativeContext, type PyModule, type PyTensor, type Value, builtin, int, unknown } from "../../interp/values";
import { bindArgs, toBool, toInt, toIntTuple } from "../../interp/args";
import type { JsonValue, Shape } from "../../ir/types";
import { asTensor, opNode, tensorOrUndefined } from "./nodes";
import { parseDims, sameShape, scaledDotProductAttention, softmaxLike } from "./ops-math";
import { LOSS_FUNCTIONS } from "./losses";
import { adaptiveShape, parseOutputSize, parsePool, poolAttrs, pooledShape } from "./layers-pool";
import { resizedShape } from "./layers-misc";
import { pixelShuffleShape } from "./layers-shuffle";
import { jsonOf } from "./layers-activation";
import { shapeOfTensorLike } from "./tensor-class";
import { convOut, formatShape, numelOf } from "./shape-math";
import { indexValue } from "./tensor-index";
import { blocksNode, foldShape, parseBlocks, unfoldShape } from "./layers-fold";

type Fn = (ctx: NativeContext, args: Value[], kwargs: Kwargs) => Value;

const ACTIVATION_SPECS: Record<string, string[]> = {
  relu: ["inplace="],
  relu6: ["inplace="],
  leaky_relu: ["negative_slope=", "inplace="],
  gelu: ["approximate="],
  silu: ["inplace="],
  mish: ["inplace="],
  elu: ["alpha=", "inplace="],
  selu: ["inplace="],
  celu: ["alpha=", "inplace="],
  sigmoid: [],
  tanh: [],
  hardswish: ["inplace="],
  hardsigmoid: ["inplace="],
  hardtanh: ["min_val=", "max_val=", "inplace="],
  softplus: ["beta=", "threshold="],
  softsign: [],
  logsigmoid: [],
};

function activation(op: string, spec: string[]): Fn {
  return (ctx, args, kwargs) => {
    const a = bindArgs(ctx, op, args, kwargs, ["input", ...spec]);
    const attrs: Record<string, JsonValue> = {};
    for (const k of spec.map((s) => s.replace("=", ""))) {
      const j = jsonOf(a[k]);
      if (j !== undefined) attrs[k] = j;
    }
    return sameShape(ctx, op, "activation", asTensor(ctx, a.input, op), attrs);
  };
}

function pool(op: string, n: number, kind: "max" | "avg"): Fn {
  const spec =
    kind === "max"
      ? ["input", "kernel_size", "stride=", "padding=", "dilation=", "ceil_mode=", "return_indices="]
      : ["input", "kernel_size", "stride=", "padding=", "ceil_mode=", "count_include_pad=", "divisor_override="];
  return (ctx, args, kwargs) => {
    const a = bindArgs(ctx, op, args, kwargs, spec);
    const x = asTensor(ctx, a.input, op);
    const p = parsePool(ctx, a, n, kind);
    let shape = pooledShape(x.shape, n, p);
    if (typeof shape === "string") {
      ctx.reportError(`${op}: ${shape}.`, "shape-mismatch");
      shape = x.shape.map((d, i) => (i >= x.shape.length - n ? 1 : d));
    }
    return opNode(ctx, { op, category: "pooling", inputs: [x], shape, attrs: poolAttrs(p) });
  };
}

function adaptive(op: string, n: number): Fn {
  return (ctx, args, kwargs) => {
    const a = bindArgs(ctx, op, args, kwargs, ["input", "output_size", "return_indices="]);
    const x = asTensor(ctx, a.input, op);
    const out = parseOutputSize(ctx, a.output_size, n);
    return opNode(ctx, { op, category: "pooling", inputs: [x], shape: adaptiveShape(x.shape, n, out), attrs: { output_size: out } });
  };
}

const dropout = (op: string): Fn => (ctx, args, kwargs) => {
  const a = bindArgs(ctx, op, args, kwargs, ["input", "p=", "training=", "inplace="]);
  return sameShape(ctx, op, "dropout", asTensor(ctx, a.input, op), { p: jsonOf(a.p) ?? 0.5 });
};

/** F.pad: pairs (left, right) apply from the last dimension backwards. */
const pad: Fn = (ctx, args, kwargs) => {
  const a = bindArgs(ctx, "pad", args, kwargs, ["input", "pad", "mode=", "value="]);
  const x = asTensor(ctx, a.input, "pad");
  // Items may be one-element integer tensors, which PyTorch reads through their __index__.
  const p = a.pad && (a.pad.kind === "tuple" || a.pad.kind === "list") ? a.pad.items.map((v, i) => indexValue(ctx, v, `pad[${i}]`)) : [];
  if (p.length % 2 !== 0 || p.length / 2 > x.shape.length) ctx.raise("ValueError", `pad() needs an even number of values, at most twice the rank, got ${p.length}.`);
  const shape: Shape = [...x.shape];
  for (let i = 0; i < p.length / 2; i++) {
    const d = shape.length - 1 - i;
    const cur = shape[d];
    shape[d] = cur === null ? null : cur + p[2 * i] + p[2 * i + 1];
  }
  return opNode(ctx, { op: "pad", category: "reshape", inputs: [x], shape, attrs: { pad: p, mode: jsonOf(a.mode) ?? "constant" } });
};

const interpolate = (op: string): Fn => (ctx, args, kwargs) => {
  const a = bindArgs(ctx, op, args, kwargs, ["input", "size=", "scale_factor=", "mode=", "align_corners=", "recompute_scale_factor=", "antialias="]);
  const x = asTensor(ctx, a.input, op);
  const shape = resizedShape(ctx, x.shape, a.size, a.scale_factor);
  const attrs = { mode: jsonOf(a.mode) ?? "nearest", size: jsonOf(a.size) ?? null, scale_factor: jsonOf(a.scale_factor) ?? null };
  return opNode(ctx, { op: "interpolate", category: "reshape", inputs: [x], shape, attrs });
};

/** F.linear(x, weight (out, in), bias). */
const linear: Fn = (ctx, args, kwargs) => {
  const a = bindArgs(ctx, "linear", args, kwargs, ["input", "weight", "bias="]);
  const x = asTensor(ctx, a.input, "linear");
  const w = shapeOfTensorLike(a.weight!) ?? ctx.raise("TypeError", "linear() argument 'weight' must be a Tensor.");
  const [outF, inF] = [w[0] ?? null, w[w.length - 1] ?? null];
  const last = x.shape[x.shape.length - 1];
  if (inF !== null && last !== null && last !== inF) {
    ctx.reportError(`linear expects ${inF} input features, got ${last}.`, "shape-mismatch");
  }
  const lead = x.shape.slice(0, -1);
  const macs = numelOf(lead) * (inF ?? 1) * (outF ?? 1);
  return opNode(ctx, { op: "linear", category: "dense", inputs: [x, ...weightTensors(ctx, a.weight, a.bias)], shape: w.length === 1 ? lead : [...lead, outF], macs });
};

/** F.conv2d(x, weight (out, in/groups, kh, kw), ...). */
const conv2d: Fn = (ctx, args, kwargs) => {
  const a = bindArgs(ctx, "conv2d", args, kwargs, ["input", "weight", "bias=", "stride=", "padding=", "dilation=", "groups="]);
  const x = asTensor(ctx, a.input, "conv2d");
  const w = shapeOfTensorLike(a.weight!) ?? ctx.raise("TypeError", "conv2d() argument 'weight' must be a Tensor.");
  const groups = toInt(ctx, a.groups, "groups", 1);
  const s = toIntTuple(ctx, a.stride, 2, "stride", 1);
  const d = toIntTuple(ctx, a.dilation, 2, "dilation", 1);
  const k = [w[2] ?? 1, w[3] ?? 1];
  const same = a.padding?.kind === "str" && a.padding.v === "same";
  const p = a.padding?.kind === "str" ? [0, 0] : toIntTuple(ctx, a.padding, 2, "padding", 0);
  const inC = (w[1] ?? 1) * groups;
  if (x.shape.length === 4 && x.shape[1] !== null && x.shape[1] !== inC) {
    ctx.reportError(`conv2d expects ${inC} input channels, got ${x.shape[1]}.`, "shape-mismatch");
  }
  const lead = x.shape.slice(0, -3);
  const spatial = x.shape.slice(-2).map((len, i) => (same ? len : convOut(len, k[i], s[i], p[i], d[i])));
  const shape = [...lead, w[0], ...spatial];
  const macs = numelOf(lead) * numelOf(spatial) * (w[0] ?? 1) * (w[1] ?? 1) * k[0] * k[1];
  return opNode(ctx, { op: "conv2d", category: "conv", inputs: [x, ...weightTensors(ctx, a.weight, a.bias)], shape, macs, attrs: { stride: s, padding: p, dilation: d, groups } });
};

const embedding: Fn = (ctx, args, kwargs) => {
  const a = bindArgs(ctx, "embedding", args, kwargs, ["input", "weight", "padding_idx=", "max_norm=", "norm_type=", "scale_grad_by_freq=", "sparse="]);
  const x = asTensor(ctx, a.input, "embedding");
  const w = shapeOfTensorLike(a.weight!) ?? ctx.raise("TypeError", "embedding() argument 'weight' must be a Tensor.");
  return opNode(ctx, { op: "embedding", category: "embedding", inputs: [x], shape: [...x.shape, w[1] ?? null] });
};

const shapeKeeping = (op: string, category: "norm" | "math", spec: string[]): Fn => (ctx, args, kwargs) => {
  const a = bindArgs(ctx, op, args, kwargs, ["input", ...spec]);
  const x = asTensor(ctx, a.input, op);
  return opNode(ctx, { op, category, inputs: [x, ...weightTensors(ctx, a.weight, a.bias)], shape: [...x.shape], attrs: {} });
};

/**
 * The weight and bias handed to a functional layer, as graph inputs: a module's own Parameters (or a
 * subclassed stub layer's, as timm's LayerNorm2d passes them to F.layer_norm) then show their count
 * on a row of the table, as the layer classes do on theirs.
 */
function weightTensors(ctx: NativeContext, ...vs: (Value | undefined)[]): PyTensor[] {
  return vs.flatMap((v) => {
    const t = v && v.kind !== "none" ? tensorOrUndefined(ctx, v) : undefined;
    return t ? [t] : [];
  });
}

/** F.one_hot(t, num_classes=-1): one more dim of num_classes (unknown when inferred from the data). */
const oneHot: Fn = (ctx, args, kwargs) => {
  const a = bindArgs(ctx, "one_hot", args, kwargs, ["input", "num_classes="]);
  const x = asTensor(ctx, a.input, "one_hot");
  const n = toInt(ctx, a.num_classes, "num_classes", -1);
  const out = opNode(ctx, { op: "one_hot", category: "math", inputs: [x], shape: [...x.shape, n < 0 ? null : n], attrs: { num_classes: n } });
  out.dtype = "torch.int64";
  return out;
};

/** F.glu(x, dim=-1): the halves along `dim` gate each other, so that dim halves. */
const glu: Fn = (ctx, args, kwargs) => {
  const a = bindArgs(ctx, "glu", args, kwargs, ["input", "dim="]);
  const x = asTensor(ctx, a.input, "glu");
  const [dim] = parseDims(ctx, a.dim ?? int(-1), x.shape.length, "glu")!;
  const len = x.shape[dim];
  if (len !== null && len % 2 !== 0) ctx.reportError(`glu(): dim ${dim} of a tensor of shape ${formatShape(x.shape)} must be even, got ${len}.`, "shape-mismatch");
  const shape = [...x.shape];
  shape[dim] = len === null ? null : Math.floor(len / 2);
  return opNode(ctx, { op: "glu", category: "activation", inputs: [x], shape, attrs: { dim } });
};

const sdpa: Fn = (ctx, args, kwargs) => {
  const op = "scaled_dot_product_attention";
  const a = bindArgs(ctx, op, args, kwargs, ["query", "key", "value", "attn_mask=", "dropout_p=", "is_causal=", "scale=", "enable_gqa="]);
  const [q, k, v] = (["query", "key", "value"] as const).map((n) => asTensor(ctx, a[n], op, n));
  const attrs = { dropout_p: jsonOf(a.dropout_p) ?? 0, is_causal: toBool(ctx, a.is_causal, false), scale: jsonOf(a.scale) ?? null };
  return scaledDotProductAttention(ctx, q, k, v, tensorOrUndefined(ctx, a.attn_mask), attrs);
};

/** F.pixel_shuffle(x, r) / F.pixel_unshuffle(x, r): channels traded for r x r spatial positions. */
const pixelShuffle = (op: string, arg: string, inverse: boolean): Fn => (ctx, args, kwargs) => {
  const a = bindArgs(ctx, op, args, kwargs, ["input", arg]);
  const x = asTensor(ctx, a.input, op);
  const r = toInt(ctx, a[arg], arg);
  const shape = x.shape.length >= 3 ? pixelShuffleShape(x.shape, r, inverse) : `expects at least 3 dimensions, got ${formatShape(x.shape)}`;
  if (typeof shape === "string") return ctx.raise("ValueError", `${op}(): ${shape}.`, "shape-mismatch");
  return opNode(ctx, { op, category: "reshape", inputs: [x], shape, attrs: { [arg]: r } });
};

/** F.unfold (im2col) and F.fold (col2im), as nn.Unfold / nn.Fold. */
const unfold: Fn = (ctx, args, kwargs) => {
  const a = bindArgs(ctx, "unfold", args, kwargs, ["input", "kernel_size", "dilation=", "padding=", "stride="]);
  const x = asTensor(ctx, a.input, "unfold");
  const c = parseBlocks(ctx, a);
  return blocksNode(ctx, "unfold", x, unfoldShape(x.shape, c), { kernel_size: c.kernel, dilation: c.dilation, padding: c.padding, stride: c.stride });
};

const fold: Fn = (ctx, args, kwargs) => {
  const a = bindArgs(ctx, "fold", args, kwargs, ["input", "output_size", "kernel_size", "dilation=", "padding=", "stride="]);
  const x = asTensor(ctx, a.input, "fold");
  const c = parseBlocks(ctx, a);
  const outputSize = toIntTuple(ctx, a.output_size, 2, "output_size");
  return blocksNode(ctx, "fold", x, foldShape(x.shape, outputSize, c), { output_size: outputSize, kernel_size: c.kernel, dilation: c.dilation, padding: c.padding, stride: c.stride });
};

const FUNCTIONS: Record<string, Fn> = {
  unfold,
  fold,
  pixel_shuffle: pixelShuffle("pixel_shuffle", "upscale_factor", false),
  pixel_unshuffle: pixelShuffle("pixel_unshuffle", "downscale_factor", true),
  ...LOSS_FUNCTIONS,
  one_hot: oneHot,
  glu,
  scaled_dot_product_attention: sdpa,
  ...Object.fromEntries(Object.entries(ACTIVATION_SPECS).map(([op, spec]) => [op, activation(op, spec)])),
  softmax: (ctx, args, kwargs) => {
    const a = bindArgs(ctx, "softmax", args, kwargs, ["input", "dim=", "_stacklevel=", "dtype="]);
    return softmaxLike(ctx, "softmax", asTensor(ctx, a.input, "softmax"), a.dim);
  },
  log_softmax: (ctx, args, kwargs) => {
    const a = bindArgs(ctx, "log_softmax", args, kwargs, ["input", "dim=", "_stacklevel=", "dtype="]);
    return softmaxLike(ctx, "log_softmax", asTensor(ctx, a.input, "log_softmax"), a.dim);
  },
  max_pool1d: pool("max_pool1d", 1, "max"),
  max_pool2d: pool("max_pool2d", 2, "max"),
  avg_pool1d: pool("avg_pool1d", 1, "avg"),
  avg_pool2d: pool("avg_pool2d", 2, "avg"),
  adaptive_avg_pool1d: adaptive("adaptive_avg_pool1d", 1),
  adaptive_avg_pool2d: adaptive("adaptive_avg_pool2d", 2),
  adaptive_max_pool1d: adaptive("adaptive_max_pool1d", 1),
  adaptive_max_pool2d: adaptive("adaptive_max_pool2d", 2),
  dropout: dropout("dropout"),
  dropout1d: dropout("dropout1d"),
  dropout2d: dropout("dropout2d"),
  pad,
  interpolate: interpolate("interpolate"),
  upsample: interpolate("upsample"),
  linear,
  conv2d,
  embedding,
  normalize: shapeKeeping("normalize", "math", ["p=", "dim=", "eps=", "out="]),
  layer_norm: shapeKeeping("layer_norm", "norm", ["normalized_shape", "weight=", "bias=", "eps="]),
  batch_norm: shapeKeeping("batch_norm", "norm", ["running_mean", "running_var", "weight=", "bias=", "training=", "momentum=", "eps="]),
  group_norm: shapeKeeping("group_norm", "norm", ["num_groups", "weight=", "bias=", "eps="]),
};

/** A function we do not model: an opaque node passing the first tensor argument's shape through. */
export function opaqueFunction(qualified: string): Fn {
  return (ctx, args) => {
    const message = `Unknown function '${qualified}': shown as an opaque node that passes its input shape through.`;
    ctx.warn(message, "unsupported");
    const x = args.map((v) => tensorOrUndefined(ctx, v)).find((t): t is PyTensor => t !== undefined);
    if (!x) return unknown(`The result of '${qualified}' is not modelled.`);
    const op = qualified.split(".").pop()!;
    return opNode(ctx, { op, category: "opaque", inputs: [x], shape: [...x.shape], opaque: message });
  };
}

export function functionalModule(): PyModule {
  const dict = new Map<string, Value>();
  for (const [name, fn] of Object.entries(FUNCTIONS)) dict.set(name, builtin(`torch.nn.functional.${name}`, (a, k, c) => fn(c, a, k)));
  dict.set(
    "__getattr__",
    builtin("torch.nn.functional.__getattr__", (args, _kw, ctx) => {
      const name = args[0]?.kind === "str" ? args[0].v : "?";
      if (name.startsWith("__")) ctx.raise("AttributeError", `module 'torch.nn.functional' has no attribute '${name}'.`);
      const f = opaqueFunction(`torch.nn.functional.${name}`);
      return builtin(`torch.nn.functional.${name}`, (a, k, c) => f(c, a, k));
    }),
  );
  return { kind: "module", name: "torch.nn.functional", dict };
}
