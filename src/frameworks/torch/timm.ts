// The few timm helpers that model code imports everywhere (`from timm.models.layers import DropPath,
// to_2tuple, trunc_normal_`): Swin, PVT, ConvNeXt and many more size their layers with `to_2tuple`, so
// leaving them unknown loses whole graphs. timm's other names stay unknown values, as an unmodelled
// module's are: its layer classes applied to a tensor become opaque nodes (unknown-layer.ts). Used only
// where no workspace file provides timm (registry.ts fallback stubs): timm's own source runs as written.

import { type PyModule, type Value, NONE, bool, builtin, float, tuple, unknownName } from "../../interp/values";
import { toBool, toNumber } from "../../interp/args";
import { defineLayer, setAttrs } from "./define-layer";
import { moduleNode } from "./nodes";

/** timm's `_ntuple(n)`: an iterable (not a str) becomes a tuple of its items, anything else n copies. */
function ntuple(n: number): Value {
  return builtin(`to_${n}tuple`, (a, _kw, ctx) => {
    const x = a[0] ?? NONE;
    if (x.kind === "unknown") return x;
    if (x.kind === "list" || x.kind === "tuple" || x.kind === "range" || x.kind === "dict" || x.kind === "set") return tuple(ctx.iterate(x));
    return tuple(Array.from({ length: n }, () => x));
  });
}

/** Weight initialisers change values, not shapes: nothing to model. They return the tensor, as timm's do. */
const initializer = (name: string): Value => builtin(name, (a) => a[0] ?? NONE);

/**
 * Stochastic depth: drops whole residual branches while training, the identity at inference; no weights.
 * A node like nn.Dropout's, so the branch it sits on shows it.
 */
const DropPath = defineLayer<{ p: number }>({
  name: "DropPath",
  spec: ["drop_prob=", "scale_by_keep="],
  init(ctx, self, a) {
    const p = toNumber(ctx, a.drop_prob, "drop_prob", 0);
    setAttrs(self, { drop_prob: float(p), scale_by_keep: bool(toBool(ctx, a.scale_by_keep, true)) });
    return { p };
  },
  forward: (ctx, self, c, x) => moduleNode(ctx, self, { op: "DropPath", category: "dropout", inputs: [x], shape: [...x.shape], attrs: { p: c.p } }),
});

function members(): Record<string, Value> {
  const to = Object.fromEntries([1, 2, 3, 4].map((n) => [`to_${n}tuple`, ntuple(n)]));
  return {
    ...to,
    to_ntuple: builtin("to_ntuple", (a, _kw, ctx) => ntuple(Math.trunc(toNumber(ctx, a[0], "n")))),
    trunc_normal_: initializer("trunc_normal_"),
    trunc_normal_tf_: initializer("trunc_normal_tf_"),
    DropPath,
  };
}

/** A timm module: the helpers above, and an unknown value for any other name, said as for an unmodelled module. */
function timmModule(qualified: string): PyModule {
  const dict = new Map<string, Value>(Object.entries(members()));
  const other = builtin(`${qualified}.__getattr__`, (a, _kw, ctx) => {
    const name = a[0]?.kind === "str" ? a[0].v : "?";
    if (name.startsWith("__")) ctx.raise("AttributeError", `module '${qualified}' has no attribute '${name}'.`);
    ctx.inform(`'${name}' of module '${qualified}' is not modelled by the analyzer; values taken from it are unknown.`, "unknown-module");
    return unknownName(`${qualified}.${name}`);
  });
  dict.set("__getattr__", other);
  return { kind: "module", name: qualified, dict };
}

/** The timm modules that define or re-export the helpers, by dotted name. */
export function timmStubs(): Record<string, () => PyModule> {
  const names = ["timm.layers", "timm.models.layers", "timm.layers.helpers", "timm.models.layers.helpers", "timm.layers.weight_init", "timm.models.layers.weight_init", "timm.layers.drop", "timm.models.layers.drop"];
  return Object.fromEntries(names.map((n) => [n, () => timmModule(n)]));
}
