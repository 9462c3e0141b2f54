// Activation and regularisation layers: shapes pass through; only PReLU has weights.

import type { JsonValue } from "../../ir/types";
import type { NativeContext, PyClass, Value } from "../../interp/values";
import { toInt, toNumber } from "../../interp/args";
import { activationName } from "./activation-names";
import { weight } from "./builtin-def";
import { defineLayer } from "./layer-class";
import { warnUnsized } from "./unsized";

const passThrough = (className: string, category: "activation" | "dropout", args: string[], configure?: (ctx: NativeContext, a: Record<string, Value | undefined>) => Record<string, JsonValue>): PyClass =>
  defineLayer({ className, category, args, configure, apply: (x) => ({ shape: x.shapes[0] }) });

const num = (ctx: NativeContext, v: Value | undefined, what: string): JsonValue =>
  v === undefined || v.kind === "none" ? null : toNumber(ctx, v, what);

const prelu = (): PyClass =>
  defineLayer({
    className: "PReLU",
    category: "activation",
    args: ["alpha_initializer=", "alpha_regularizer=", "alpha_constraint=", "shared_axes="],
    configure(ctx, a) {
      const v = a.shared_axes;
      const axes = !v || v.kind === "none" ? [] : v.kind === "list" || v.kind === "tuple" ? v.items.map((x) => toInt(ctx, x, "shared_axes")) : [toInt(ctx, v, "shared_axes")];
      return { shared_axes: axes };
    },
    apply(x) {
      const s = x.shapes[0];
      const shared = x.cfg.shared_axes as number[];
      const dims = s.slice(1).map((d, i) => (shared.includes(i + 1) ? 1 : d));
      if (dims.some((d) => d === null)) {
        warnUnsized(x.ctx, x.layer, `PReLU '${x.name}' needs known input dimensions, got shape with unknown sizes; its weights are counted as 0.`);
        return { shape: s };
      }
      return { shape: s, weights: [weight("alpha", dims as number[])] };
    },
  });

export function activationLayers(): Record<string, PyClass> {
  const dropout = (name: string): PyClass =>
    passThrough(name, "dropout", ["rate", "noise_shape=", "seed="], (ctx, a) => ({ rate: toNumber(ctx, a.rate, "rate") }));
  return {
    Activation: passThrough("Activation", "activation", ["activation"], (ctx, a) => ({
      activation: activationName(ctx, a.activation) ?? "linear",
    })),
    ReLU: passThrough("ReLU", "activation", ["max_value=", "negative_slope=", "threshold="], (ctx, a) => ({
      max_value: num(ctx, a.max_value, "max_value"),
      negative_slope: num(ctx, a.negative_slope, "negative_slope") ?? 0,
      threshold: num(ctx, a.threshold, "threshold") ?? 0,
    })),
    LeakyReLU: passThrough("LeakyReLU", "activation", ["negative_slope=", "alpha="], (ctx, a) => ({
      negative_slope: num(ctx, a.negative_slope ?? a.alpha, "negative_slope") ?? 0.3,
    })),
    ELU: passThrough("ELU", "activation", ["alpha="], (ctx, a) => ({ alpha: num(ctx, a.alpha, "alpha") ?? 1 })),
    Softmax: passThrough("Softmax", "activation", ["axis="], (ctx, a) => ({ axis: toInt(ctx, a.axis, "axis", -1) })),
    PReLU: prelu(),
    Dropout: dropout("Dropout"),
    SpatialDropout1D: dropout("SpatialDropout1D"),
    SpatialDropout2D: dropout("SpatialDropout2D"),
    SpatialDropout3D: dropout("SpatialDropout3D"),
    AlphaDropout: dropout("AlphaDropout"),
    GaussianDropout: dropout("GaussianDropout"),
    GaussianNoise: passThrough("GaussianNoise", "dropout", ["stddev", "seed="], (ctx, a) => ({ stddev: toNumber(ctx, a.stddev, "stddev") })),
    ActivityRegularization: passThrough("ActivityRegularization", "dropout", ["l1=", "l2="]),
  };
}
