// einops on PyTorch tensors: `rearrange`, `repeat` and `reduce`, and the layers `Rearrange` and
// `Reduce` of einops.layers.torch (lucidrains' ViTs, MLP-Mixer and many more build patches and heads
// with them). Each call is one graph node whose shape comes from solving the pattern.

import { type Kwargs, type NativeContext, type PyInstance, type PyModule, type PyTensor, type Value, NONE, builtin, str } from "../../interp/values";
import { bindArgs, toInt } from "../../interp/args";
import { type EinopsKind, einopsShape } from "../../ir/einops-pattern";
import { asTensor, moduleNode, opNode } from "./nodes";
import { defineLayer } from "./define-layer";

const REDUCTIONS = new Set(["mean", "sum", "max", "min", "prod", "any", "all"]);

/** Axis sizes given by name (`h=8`), from keyword arguments or a `**axes_lengths` dict. */
function axisSizes(ctx: NativeContext, entries: Iterable<[string, Value]>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, v] of entries) out.set(name, toInt(ctx, v, name));
  return out;
}

function dictEntries(v: Value | undefined): [string, Value][] {
  if (!v || v.kind !== "dict") return [];
  return [...v.map.values()].flatMap(({ key, value }) => (key.kind === "str" ? [[key.v, value] as [string, Value]] : []));
}

/**
 * One einops operation on `x` as a graph node, or a located error when the pattern does not fit.
 * `layer`: the Rearrange/Reduce module applying it, whose node it then is (scoped like any layer).
 */
function applyPattern(
  ctx: NativeContext,
  kind: EinopsKind,
  x: PyTensor,
  pattern: string,
  sizes: Map<string, number>,
  reduction?: string,
  layer?: { self: PyInstance; op: string },
): PyTensor {
  if (kind === "reduce" && (!reduction || !REDUCTIONS.has(reduction))) {
    ctx.raise("ValueError", `einops reduce: unknown reduction '${reduction ?? "None"}'; use one of ${[...REDUCTIONS].join(", ")}.`);
  }
  const shape = einopsShape(kind, pattern, x.shape, sizes);
  if (typeof shape === "string") return ctx.raise("ValueError", `einops ${kind}: ${shape}.`, "shape-mismatch");
  const attrs: Record<string, string | number> = { pattern };
  for (const [k, v] of sizes) attrs[k] = v;
  if (reduction) attrs.reduction = reduction;
  const category = kind === "reduce" ? "math" : "reshape";
  if (layer) return moduleNode(ctx, layer.self, { op: layer.op, category, inputs: [x], shape, attrs });
  return opNode(ctx, { op: kind, category, inputs: [x], shape, attrs });
}

/** The reduction's name; einops also takes a function, which the analyzer cannot apply. */
function reductionName(ctx: NativeContext, v: Value | undefined): string | undefined {
  if (!v || v.kind === "none" || v.kind === "str") return v?.kind === "str" ? v.v : undefined;
  return ctx.raise("ValueError", `einops reduce: a reduction given as ${ctx.repr(v)} is not modelled; use one of ${[...REDUCTIONS].join(", ")}.`);
}

const patternOf = (ctx: NativeContext, v: Value | undefined, fn: string): string =>
  v?.kind === "str" ? v.v : ctx.raise("TypeError", `${fn}() expects a pattern string such as 'b c h w -> b (h w) c', got ${v ? ctx.repr(v) : "nothing"}.`);

/** rearrange/repeat/reduce also accept a list of tensors, stacked along a new first axis. */
function tensorArg(ctx: NativeContext, v: Value | undefined, fn: string): PyTensor {
  if (v && (v.kind === "list" || v.kind === "tuple")) {
    const ts = v.items.map((t, i) => asTensor(ctx, t, fn, `tensor[${i}]`));
    if (!ts.length) ctx.raise("ValueError", `${fn}() got an empty list of tensors.`);
    return opNode(ctx, { op: "stack", category: "merge", inputs: ts, shape: [ts.length, ...ts[0].shape], attrs: { dim: 0 } });
  }
  return asTensor(ctx, v, fn, "tensor");
}

function einopsFunction(kind: EinopsKind) {
  return builtin(`einops.${kind}`, (args: Value[], kwargs: Kwargs, ctx: NativeContext) => {
    const x = tensorArg(ctx, args[0] ?? kwargs.get("tensor"), kind);
    const pattern = patternOf(ctx, args[1] ?? kwargs.get("pattern"), kind);
    const named = new Map(kwargs);
    for (const k of ["tensor", "pattern", "reduction"]) named.delete(k);
    const reduction = kind === "reduce" ? reductionName(ctx, args[2] ?? kwargs.get("reduction")) : undefined;
    return applyPattern(ctx, kind, x, pattern, axisSizes(ctx, named), reduction);
  });
}

export function einopsModule(): PyModule {
  const dict = new Map<string, Value>([
    ["rearrange", einopsFunction("rearrange")],
    ["repeat", einopsFunction("repeat")],
    ["reduce", einopsFunction("reduce")],
    ["__version__", str("0.8.0")],
  ]);
  return { kind: "module", name: "einops", dict };
}

interface EinopsLayerConfig {
  pattern: string;
  sizes: Map<string, number>;
  reduction?: string;
}

const REARRANGE_LAYER = defineLayer<EinopsLayerConfig>({
  name: "Rearrange",
  spec: ["pattern", "**axes_lengths"],
  init: (ctx, self, a) => {
    self.dict.set("pattern", a.pattern ?? NONE);
    return { pattern: patternOf(ctx, a.pattern, "Rearrange"), sizes: axisSizes(ctx, dictEntries(a.axes_lengths)) };
  },
  forward: (ctx, self, cfg, x) => applyPattern(ctx, "rearrange", x, cfg.pattern, cfg.sizes, undefined, { self, op: "Rearrange" }),
});

const REDUCE_LAYER = defineLayer<EinopsLayerConfig>({
  name: "Reduce",
  spec: ["pattern", "reduction", "**axes_lengths"],
  init: (ctx, self, a) => {
    self.dict.set("pattern", a.pattern ?? NONE);
    const reduction = reductionName(ctx, a.reduction);
    return { pattern: patternOf(ctx, a.pattern, "Reduce"), sizes: axisSizes(ctx, dictEntries(a.axes_lengths)), reduction };
  },
  forward: (ctx, self, cfg, x) => applyPattern(ctx, "reduce", x, cfg.pattern, cfg.sizes, cfg.reduction, { self, op: "Reduce" }),
});

export function einopsTorchLayersModule(): PyModule {
  const dict = new Map<string, Value>([
    ["Rearrange", REARRANGE_LAYER],
    ["Reduce", REDUCE_LAYER],
  ]);
  return { kind: "module", name: "einops.layers.torch", dict };
}
