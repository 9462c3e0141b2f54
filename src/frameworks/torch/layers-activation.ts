// Shape-preserving activation layers (ReLU, GELU, Softmax, ...) and PReLU, the one with parameters.

import { type PyClass, type Value, int, float } from "../../interp/values";
import { toInt, toNumber } from "../../interp/args";
import type { JsonValue } from "../../ir/types";
import { addWeight, checkDim, defineLayer, setAttrs } from "./define-layer";
import { moduleNode } from "./nodes";

/** A JSON rendering of a simple argument value, or undefined for anything else. */
export function jsonOf(v: Value | undefined): JsonValue | undefined {
  if (!v) return undefined;
  switch (v.kind) {
    case "int":
    case "float":
    case "bool":
    case "str":
      return v.v;
    case "none":
      return null;
    case "tuple":
    case "list": {
      const xs = v.items.map(jsonOf);
      return xs.every((x) => x !== undefined) ? (xs as JsonValue[]) : undefined;
    }
    default:
      return undefined;
  }
}

/** Constructor argument specs of the parameter-free activations. */
const ACTIVATION_SPECS: Record<string, string[]> = {
  ReLU: ["inplace="],
  ReLU6: ["inplace="],
  LeakyReLU: ["negative_slope=", "inplace="],
  GELU: ["approximate="],
  SiLU: ["inplace="],
  Mish: ["inplace="],
  ELU: ["alpha=", "inplace="],
  SELU: ["inplace="],
  CELU: ["alpha=", "inplace="],
  Sigmoid: [],
  Tanh: [],
  Hardswish: ["inplace="],
  Hardsigmoid: ["inplace="],
  Hardtanh: ["min_val=", "max_val=", "inplace="],
  Softplus: ["beta=", "threshold="],
  Softsign: [],
  Tanhshrink: [],
  LogSigmoid: [],
  Softmax: ["dim="],
  LogSoftmax: ["dim="],
  Softmax2d: [],
};

function activationClass(name: string, spec: string[]): PyClass {
  return defineLayer<Record<string, JsonValue>>({
    name,
    spec,
    init(_ctx, self, a) {
      const attrs: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(a)) {
        const j = jsonOf(v);
        if (j !== undefined) attrs[k] = j;
        if (v) self.dict.set(k, v);
      }
      return attrs;
    },
    forward: (ctx, self, attrs, x) =>
      moduleNode(ctx, self, { op: name, category: "activation", inputs: [x], shape: [...x.shape], attrs }),
  });
}

const PReLU = defineLayer<{ n: number }>({
  name: "PReLU",
  spec: ["num_parameters=", "init=", "device=", "dtype="],
  init(ctx, self, a) {
    const n = toInt(ctx, a.num_parameters, "num_parameters", 1);
    addWeight(ctx, self, "weight", [n]);
    setAttrs(self, { num_parameters: int(n), init: float(toNumber(ctx, a.init, "init", 0.25)) });
    return { n };
  },
  forward(ctx, self, cfg, x) {
    // One slope per channel (dim 1), or a single shared slope.
    if (cfg.n !== 1) checkDim(ctx, self, "PReLU", "channels", cfg.n, x.shape.length >= 2 ? x.shape[1] : x.shape[0] ?? null);
    return moduleNode(ctx, self, { op: "PReLU", category: "activation", inputs: [x], shape: [...x.shape], attrs: { num_parameters: cfg.n } });
  },
});

export const ACTIVATION_CLASSES: Record<string, PyClass> = {
  ...Object.fromEntries(Object.entries(ACTIVATION_SPECS).map(([n, spec]) => [n, activationClass(n, spec)])),
  PReLU,
};
