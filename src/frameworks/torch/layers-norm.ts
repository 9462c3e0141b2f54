// Normalisation layers. PyTorch counts only affine weight/bias as parameters; running statistics
// (running_mean, running_var and the scalar num_batches_tracked) are buffers: 2*C + 1 elements.

import { type NativeContext, type PyClass, type PyInstance, type PyTensor, bool, float, int } from "../../interp/values";
import { toBool, toInt, toNumber } from "../../interp/args";
import type { Shape } from "../../ir/types";
import { type Args, addBuffer, addWeight, checkDim, checkRank, defineLayer, guessShape, intTuple, layerLabel, setAttrs } from "./define-layer";
import { moduleNode } from "./nodes";
import { formatShape } from "./shape-math";

interface ChannelNormConfig {
  c: number;
  affine: boolean;
  track: boolean;
  eps: number;
  groups?: number;
}

const bnSpec = ["num_features", "eps=", "momentum=", "affine=", "track_running_stats=", "device=", "dtype="];

function channelNorm(name: string, ranks: number[], defaultAffine: boolean, defaultTrack: boolean): PyClass {
  return defineLayer<ChannelNormConfig>({
    name,
    spec: bnSpec,
    init(ctx, self, a) {
      const c = toInt(ctx, a.num_features, "num_features");
      const affine = toBool(ctx, a.affine, defaultAffine);
      const track = toBool(ctx, a.track_running_stats, defaultTrack);
      const eps = toNumber(ctx, a.eps, "eps", 1e-5);
      addWeight(ctx, self, "weight", [c], affine);
      addWeight(ctx, self, "bias", [c], affine);
      if (track) {
        addBuffer(ctx, self, "running_mean", [c]);
        addBuffer(ctx, self, "running_var", [c]);
        addBuffer(ctx, self, "num_batches_tracked", []);
      }
      setAttrs(self, {
        num_features: int(c),
        eps: float(eps),
        momentum: a.momentum ?? float(0.1),
        affine: bool(affine),
        track_running_stats: bool(track),
      });
      return { c, affine, track, eps };
    },
    forward(ctx, self, cfg, x) {
      let shape: Shape = x.shape;
      if (!checkRank(ctx, self, name, x, ranks)) shape = guessShape(x, ranks[ranks.length - 1], cfg.c);
      // InstanceNorm accepts unbatched input (C, ...): its channel dim is then 0.
      const chDim = name.startsWith("Instance") && shape.length === ranks[0] ? 0 : 1;
      checkDim(ctx, self, name, "channels", cfg.c, shape[chDim] ?? null);
      return normNode(ctx, self, name, x, shape, { num_features: cfg.c, eps: cfg.eps, affine: cfg.affine, track_running_stats: cfg.track });
    },
  });
}

function normNode(ctx: NativeContext, self: PyInstance, op: string, x: PyTensor, shape: Shape, attrs: Record<string, number | boolean | number[]>) {
  return moduleNode(ctx, self, { op, category: "norm", inputs: [x], shape: [...shape], attrs });
}

interface LayerNormConfig {
  normalized: number[];
  affine: boolean;
  bias: boolean;
  eps: number;
}

const LayerNorm = defineLayer<LayerNormConfig>({
  name: "LayerNorm",
  spec: ["normalized_shape", "eps=", "elementwise_affine=", "bias=", "device=", "dtype="],
  init(ctx, self, a: Args) {
    const ns = a.normalized_shape;
    const normalized =
      ns && (ns.kind === "tuple" || ns.kind === "list") ? ns.items.map((v, i) => toInt(ctx, v, `normalized_shape[${i}]`)) : [toInt(ctx, ns, "normalized_shape")];
    const affine = toBool(ctx, a.elementwise_affine, true);
    const bias = toBool(ctx, a.bias, true);
    const eps = toNumber(ctx, a.eps, "eps", 1e-5);
    addWeight(ctx, self, "weight", normalized, affine);
    addWeight(ctx, self, "bias", normalized, affine && bias);
    setAttrs(self, { normalized_shape: intTuple(normalized), eps: float(eps), elementwise_affine: bool(affine) });
    return { normalized, affine, bias, eps };
  },
  forward(ctx, self, cfg, x) {
    const n = cfg.normalized.length;
    const tail = x.shape.slice(-n);
    const ok = x.shape.length >= n && tail.every((d, i) => d === null || d === cfg.normalized[i]);
    if (!ok) {
      ctx.reportError(
        `${layerLabel(self, "LayerNorm")} expects the last dimensions to be ${formatShape(cfg.normalized)}, got input of shape ${formatShape(x.shape)}.`,
        "shape-mismatch",
      );
    }
    const shape = ok ? x.shape : [...x.shape.slice(0, Math.max(0, x.shape.length - n)), ...cfg.normalized];
    return normNode(ctx, self, "LayerNorm", x, shape, { normalized_shape: cfg.normalized, eps: cfg.eps, elementwise_affine: cfg.affine });
  },
});

const GroupNorm = defineLayer<ChannelNormConfig>({
  name: "GroupNorm",
  spec: ["num_groups", "num_channels", "eps=", "affine=", "device=", "dtype="],
  init(ctx, self, a) {
    const groups = toInt(ctx, a.num_groups, "num_groups");
    const c = toInt(ctx, a.num_channels, "num_channels");
    if (groups <= 0 || c % groups !== 0) ctx.raise("ValueError", `GroupNorm: num_channels (${c}) must be divisible by num_groups (${groups}).`);
    const affine = toBool(ctx, a.affine, true);
    const eps = toNumber(ctx, a.eps, "eps", 1e-5);
    addWeight(ctx, self, "weight", [c], affine);
    addWeight(ctx, self, "bias", [c], affine);
    setAttrs(self, { num_groups: int(groups), num_channels: int(c), eps: float(eps), affine: bool(affine) });
    return { c, affine, track: false, eps, groups };
  },
  forward(ctx, self, cfg, x) {
    let shape: Shape = x.shape;
    if (x.shape.length < 2) {
      checkRank(ctx, self, "GroupNorm", x, [2, 3, 4, 5]);
      shape = guessShape(x, 2, cfg.c);
    }
    checkDim(ctx, self, "GroupNorm", "channels", cfg.c, shape[1]);
    return normNode(ctx, self, "GroupNorm", x, shape, { num_groups: cfg.groups ?? 1, num_channels: cfg.c, eps: cfg.eps, affine: cfg.affine });
  },
});

export const NORM_CLASSES: Record<string, PyClass> = {
  BatchNorm1d: channelNorm("BatchNorm1d", [2, 3], true, true),
  BatchNorm2d: channelNorm("BatchNorm2d", [4], true, true),
  BatchNorm3d: channelNorm("BatchNorm3d", [5], true, true),
  InstanceNorm1d: channelNorm("InstanceNorm1d", [2, 3], false, false),
  InstanceNorm2d: channelNorm("InstanceNorm2d", [3, 4], false, false),
  LayerNorm,
  GroupNorm,
};
