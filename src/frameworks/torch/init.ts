// torch.nn.init: weight initialisers change values, never shapes, so each is a no-op returning its
// tensor (torchvision-style init loops then run unchanged).

import { type NativeContext, type PyModule, type Value, NONE, builtin, float, int, tuple, unknown } from "../../interp/values";
import { shapeOfTensorLike } from "./tensor-class";

const INITIALISERS = [
  "kaiming_normal_", "kaiming_uniform_", "xavier_normal_", "xavier_uniform_", "normal_", "uniform_", "constant_",
  "zeros_", "ones_", "trunc_normal_", "orthogonal_", "eye_", "dirac_", "sparse_",
  // Deprecated spellings still found in older model code: all those torch.nn.init keeps.
  "kaiming_normal", "kaiming_uniform", "xavier_normal", "xavier_uniform", "normal", "uniform", "constant", "orthogonal", "sparse",
];

export function initModule(): PyModule {
  const dict = new Map<string, Value>();
  for (const n of INITIALISERS) dict.set(n, builtin(`torch.nn.init.${n}`, (args) => args[0] ?? NONE));
  dict.set("calculate_gain", builtin("torch.nn.init.calculate_gain", (args) => {
    const nl = args[0]?.kind === "str" ? args[0].v : "linear";
    const gains: Record<string, number> = { relu: Math.SQRT2, tanh: 5 / 3, selu: 0.75, leaky_relu: Math.sqrt(2 / (1 + 0.01 ** 2)) };
    return float(gains[nl] ?? 1);
  }));
  // Private, but imported by timm's lecun_normal_ / variance_scaling_: the fans are read off the shape.
  dict.set("_calculate_fan_in_and_fan_out", builtin("torch.nn.init._calculate_fan_in_and_fan_out", (args, _kw, ctx) => {
    const fans = fansOf(ctx, args[0]);
    return fans ? tuple([fans.fanIn, fans.fanOut]) : unknown("the fans of a tensor whose shape is not known");
  }));
  dict.set("_calculate_correct_fan", builtin("torch.nn.init._calculate_correct_fan", (args, kw, ctx) => {
    const fans = fansOf(ctx, args[0]);
    const mode = args[1] ?? kw.get("mode");
    const out = mode?.kind === "str" && mode.v === "fan_out";
    return fans ? (out ? fans.fanOut : fans.fanIn) : unknown("the fan of a tensor whose shape is not known");
  }));
  return { kind: "module", name: "torch.nn.init", dict };
}

/** PyTorch's rule: fan_in = size(1) x receptive field, fan_out = size(0) x receptive field. */
function fansOf(ctx: NativeContext, t: Value | undefined): { fanIn: Value; fanOut: Value } | undefined {
  const shape = t ? shapeOfTensorLike(t) : undefined;
  if (!shape || shape.some((d) => d === null)) return undefined;
  if (shape.length < 2) {
    return ctx.raise("ValueError", "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  }
  const receptive = (shape.slice(2) as number[]).reduce((a, b) => a * b, 1);
  return { fanIn: int((shape[1] as number) * receptive), fanOut: int((shape[0] as number) * receptive) };
}
