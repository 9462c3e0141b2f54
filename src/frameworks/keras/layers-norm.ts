// Normalization and rescaling layers. BatchNormalization owns gamma/beta (trainable) and
// moving mean/variance (non-trainable), so count_params() is 4*C with 2*C non-trainable.

import type { JsonValue, Shape } from "../../ir/types";
import { type NativeContext, type PyClass, type Value, NONE, builtin } from "../../interp/values";
import { toBool, toInt, toNumber } from "../../interp/args";
import { type BuiltinApply, weight } from "./builtin-def";
import type { Weight } from "./layer-state";
import { defineLayer } from "./layer-class";
import { formatShape, normAxis } from "./shapes";
import { warnUnsized } from "./unsized";

function axesOf(ctx: NativeContext, v: Value | undefined, fallback: number): number[] {
  if (!v || v.kind === "none") return [fallback];
  if (v.kind === "list" || v.kind === "tuple") return v.items.map((x, i) => toInt(ctx, x, `axis[${i}]`));
  return [toInt(ctx, v, "axis")];
}

/** The sizes of the normalised axes, or undefined (after a warning) when one is unknown. */
function axisDims(x: BuiltinApply): number[] | undefined {
  const s = x.shapes[0];
  const dims: number[] = [];
  for (const a of x.cfg.axis as number[]) {
    const i = normAxis(a, s.length);
    const d = i === undefined ? null : s[i];
    if (d === null) {
      warnUnsized(x.ctx, x.layer, `${x.className} '${x.name}' normalises axis ${a} of ${formatShape(s)}, whose size is unknown; its weights are counted as 0.`);
      return undefined;
    }
    dims.push(d);
  }
  return dims;
}

const batchNorm = (): PyClass =>
  defineLayer({
    className: "BatchNormalization",
    category: "norm",
    args: ["axis=", "momentum=", "epsilon=", "center=", "scale="],
    configure: (ctx, a) => ({
      axis: axesOf(ctx, a.axis, -1),
      momentum: toNumber(ctx, a.momentum, "momentum", 0.99),
      epsilon: toNumber(ctx, a.epsilon, "epsilon", 0.001),
      center: toBool(ctx, a.center, true),
      scale: toBool(ctx, a.scale, true),
    }),
    apply(x) {
      const dims = axisDims(x);
      if (!dims) return { shape: x.shapes[0] };
      const weights: Weight[] = [];
      if (x.cfg.scale) weights.push(weight("gamma", dims));
      if (x.cfg.center) weights.push(weight("beta", dims));
      weights.push(weight("moving_mean", dims, false), weight("moving_variance", dims, false));
      return { shape: x.shapes[0], weights };
    },
  });

/** LayerNormalization / GroupNormalization style: gamma and beta over the normalised dims. */
function affineNorm(className: string, args: string[], extra?: (ctx: NativeContext, a: Record<string, Value | undefined>) => Record<string, JsonValue>): PyClass {
  return defineLayer({
    className,
    category: "norm",
    args,
    configure: (ctx, a) => ({
      axis: axesOf(ctx, a.axis, -1),
      epsilon: toNumber(ctx, a.epsilon, "epsilon", 0.001),
      center: toBool(ctx, a.center, true),
      scale: toBool(ctx, a.scale, true),
      ...(extra ? extra(ctx, a) : {}),
    }),
    apply(x) {
      const dims = axisDims(x);
      if (!dims) return { shape: x.shapes[0] };
      const weights: Weight[] = [];
      if (x.cfg.scale) weights.push(weight("gamma", dims));
      if (x.cfg.center && !x.cfg.rms_scaling) weights.push(weight("beta", dims));
      return { shape: x.shapes[0], weights };
    },
  });
}

const rescaling = (): PyClass =>
  defineLayer({
    className: "Rescaling",
    category: "math",
    args: ["scale", "offset="],
    configure: (ctx, a) => ({
      scale: a.scale?.kind === "float" || a.scale?.kind === "int" ? a.scale.v : ctx.repr(a.scale!),
      offset: toNumber(ctx, a.offset, "offset", 0),
    }),
    apply: (x) => ({ shape: x.shapes[0] }),
  });

/**
 * Normalization without given mean/variance is adapted to data: Keras 3 (and tf.keras 2) keep the
 * mean and variance over the kept axes plus a scalar sample `count`, all non-trainable, so
 * count_params() is 2 * C + 1. `axis=None` keeps no axis: scalar statistics. adapt() only fills in
 * their values, so here it does nothing.
 */
const normalization = (): PyClass =>
  defineLayer({
    className: "Normalization",
    category: "norm",
    args: ["axis=", "mean=", "variance=", "invert="],
    configure: (ctx, a) => ({
      axis: a.axis?.kind === "none" ? [] : axesOf(ctx, a.axis, -1),
      adaptable: !a.mean || a.mean.kind === "none",
    }),
    apply(x) {
      if (!x.cfg.adaptable) return { shape: x.shapes[0] };
      const dims = axisDims(x);
      if (!dims) return { shape: x.shapes[0] };
      return { shape: x.shapes[0], weights: [weight("mean", dims, false), weight("variance", dims, false), weight("count", [], false)] };
    },
    methods: {
      adapt: builtin("adapt", () => NONE),
      finalize_state: builtin("finalize_state", () => NONE),
    },
  });

const unitNorm = (): PyClass =>
  defineLayer({ className: "UnitNormalization", category: "norm", args: ["axis="], apply: (x) => ({ shape: x.shapes[0] as Shape }) });

export function normLayers(): Record<string, PyClass> {
  return {
    BatchNormalization: batchNorm(),
    LayerNormalization: affineNorm("LayerNormalization", ["axis=", "epsilon=", "center=", "scale=", "rms_scaling="], (ctx, a) => ({
      rms_scaling: toBool(ctx, a.rms_scaling, false),
    })),
    GroupNormalization: affineNorm("GroupNormalization", ["groups=", "axis=", "epsilon=", "center=", "scale="], (ctx, a) => ({
      groups: toInt(ctx, a.groups, "groups", 32),
    })),
    Rescaling: rescaling(),
    Normalization: normalization(),
    UnitNormalization: unitNorm(),
  };
}
