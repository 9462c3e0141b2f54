// torch.nn.init: weight initialisers change values, never shapes, so each is a no-op returning its
// tensor (torchvision-style init loops then run unchanged).

import { type PyModule, type Value, NONE, builtin, float } from "../../interp/values";

const INITIALISERS = [
  "kaiming_normal_", "kaiming_uniform_", "xavier_normal_", "xavier_uniform_", "normal_", "uniform_", "constant_",
  "zeros_", "ones_", "trunc_normal_", "orthogonal_", "eye_", "dirac_", "sparse_",
  // Deprecated spellings still found in older model code.
  "kaiming_normal", "kaiming_uniform", "xavier_normal", "xavier_uniform", "normal", "uniform", "constant",
];

export function initModule(): PyModule {
  const dict = new Map<string, Value>();
  for (const n of INITIALISERS) dict.set(n, builtin(`torch.nn.init.${n}`, (args) => args[0] ?? NONE));
  dict.set("calculate_gain", builtin("torch.nn.init.calculate_gain", (args) => {
    const nl = args[0]?.kind === "str" ? args[0].v : "linear";
    const gains: Record<string, number> = { relu: Math.SQRT2, tanh: 5 / 3, selu: 0.75, leaky_relu: Math.sqrt(2 / (1 + 0.01 ** 2)) };
    return float(gains[nl] ?? 1);
  }));
  return { kind: "module", name: "torch.nn.init", dict };
}
