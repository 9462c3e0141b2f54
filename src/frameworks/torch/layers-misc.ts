// Linear, Embedding, Dropout, Flatten/Unflatten, Upsample, Identity, and the opaque stand-in for
// layer classes we do not know.

import {
  type NativeContext,
  type PyClass,
  type PyInstance,
  type PyTensor,
  type Value,
  NONE,
  OBJECT_CLASS,
  bool,
  builtin,
  float,
  int,
  nativeClass,
  unknown,
} from "../../interp/values";
import { toBool, toInt, toIntTuple, toNumber, toStr } from "../../interp/args";
import type { Shape } from "../../ir/types";
import { addWeight, checkDim, checkRank, defineLayer, intTuple, layerLabel, makesOwnNode, setAttrs } from "./define-layer";
import { jsonOf } from "./layers-activation";
import { MODULE_CLASS } from "./module";
import { moduleNode, tensorOrUndefined } from "./nodes";
import { flattenShape, numelOf } from "./shape-math";
import { moduleState } from "./state";

const Linear = defineLayer<{ inF: number; outF: number; bias: boolean }>({
  name: "Linear",
  spec: ["in_features", "out_features", "bias=", "device=", "dtype="],
  init(ctx, self, a) {
    const inF = toInt(ctx, a.in_features, "in_features");
    const outF = toInt(ctx, a.out_features, "out_features");
    const bias = toBool(ctx, a.bias, true);
    addWeight(ctx, self, "weight", [outF, inF]);
    addWeight(ctx, self, "bias", [outF], bias);
    setAttrs(self, { in_features: int(inF), out_features: int(outF) });
    return { inF, outF, bias };
  },
  forward(ctx, self, c, x) {
    let shape: Shape = x.shape;
    if (shape.length === 0) {
      checkRank(ctx, self, "Linear", x, [1, 2]);
      shape = [c.inF];
    }
    checkDim(ctx, self, "Linear", "input features", c.inF, shape[shape.length - 1]);
    const lead = shape.slice(0, -1);
    // Applies to the last dimension of any rank: one in*out product per leading position.
    const macs = numelOf(lead) * c.inF * c.outF;
    return moduleNode(ctx, self, {
      op: "Linear",
      category: "dense",
      inputs: [x],
      shape: [...lead, c.outF],
      macs,
      attrs: { in_features: c.inF, out_features: c.outF, bias: c.bias },
    });
  },
});

const Embedding = defineLayer<{ num: number; dim: number }>({
  name: "Embedding",
  spec: ["num_embeddings", "embedding_dim", "padding_idx=", "max_norm=", "norm_type=", "scale_grad_by_freq=", "sparse=", "_weight=", "_freeze=", "device=", "dtype="],
  init(ctx, self, a) {
    const num = toInt(ctx, a.num_embeddings, "num_embeddings");
    const dim = toInt(ctx, a.embedding_dim, "embedding_dim");
    addWeight(ctx, self, "weight", [num, dim]);
    setAttrs(self, { num_embeddings: int(num), embedding_dim: int(dim), padding_idx: a.padding_idx ?? NONE });
    return { num, dim };
  },
  forward: (ctx, self, c, x) =>
    moduleNode(ctx, self, {
      op: "Embedding",
      category: "embedding",
      inputs: [x],
      shape: [...x.shape, c.dim],
      attrs: { num_embeddings: c.num, embedding_dim: c.dim },
    }),
});

function dropoutClass(name: string): PyClass {
  return defineLayer<{ p: number }>({
    name,
    spec: ["p=", "inplace="],
    init(ctx, self, a) {
      const p = toNumber(ctx, a.p, "p", 0.5);
      if (p < 0 || p > 1) ctx.raise("ValueError", `${name}: dropout probability has to be between 0 and 1, but got ${p}.`);
      setAttrs(self, { p: float(p), inplace: bool(toBool(ctx, a.inplace, false)) });
      return { p };
    },
    forward: (ctx, self, c, x) =>
      moduleNode(ctx, self, { op: name, category: "dropout", inputs: [x], shape: [...x.shape], attrs: { p: c.p } }),
  });
}

const Flatten = defineLayer<{ start: number; end: number }>({
  name: "Flatten",
  spec: ["start_dim=", "end_dim="],
  init(ctx, self, a) {
    const start = toInt(ctx, a.start_dim, "start_dim", 1);
    const end = toInt(ctx, a.end_dim, "end_dim", -1);
    setAttrs(self, { start_dim: int(start), end_dim: int(end) });
    return { start, end };
  },
  forward(ctx, self, c, x) {
    let shape = flattenShape(x.shape, c.start, c.end);
    if (typeof shape === "string") {
      ctx.reportError(`${layerLabel(self, "Flatten")}: ${shape} (input shape ${JSON.stringify(x.shape)}).`, "shape-mismatch");
      shape = [x.shape[0] ?? null, null];
    }
    return moduleNode(ctx, self, { op: "Flatten", category: "reshape", inputs: [x], shape, attrs: { start_dim: c.start, end_dim: c.end } });
  },
});

const Unflatten = defineLayer<{ dim: number; sizes: number[] }>({
  name: "Unflatten",
  spec: ["dim", "unflattened_size"],
  init(ctx, self, a) {
    const dim = toInt(ctx, a.dim, "dim");
    const sz = a.unflattened_size;
    const sizes = sz && (sz.kind === "tuple" || sz.kind === "list") ? sz.items.map((v, i) => toInt(ctx, v, `unflattened_size[${i}]`)) : [toInt(ctx, sz, "unflattened_size")];
    setAttrs(self, { dim: int(dim), unflattened_size: intTuple(sizes) });
    return { dim, sizes };
  },
  forward(ctx, self, c, x) {
    const d = c.dim < 0 ? c.dim + x.shape.length : c.dim;
    const known = c.sizes.filter((s) => s !== -1).reduce((p, q) => p * q, 1);
    const here = x.shape[d] ?? null;
    const sizes: Shape = c.sizes.map((s) => (s === -1 ? (here === null ? null : here / known) : s));
    const shape = [...x.shape.slice(0, d), ...sizes, ...x.shape.slice(d + 1)];
    return moduleNode(ctx, self, { op: "Unflatten", category: "reshape", inputs: [x], shape, attrs: { dim: c.dim, unflattened_size: c.sizes } });
  },
});

/** Output shape of Upsample / F.interpolate: explicit size or floor(input * scale) per spatial dim. */
export function resizedShape(ctx: NativeContext, shape: Shape, size: Value | undefined, scale: Value | undefined): Shape {
  const n = Math.max(shape.length - 2, 1);
  const lead = shape.slice(0, shape.length - n);
  const spatial = shape.slice(shape.length - n);
  if (size && size.kind !== "none") return [...lead, ...toIntTuple(ctx, size, n, "size")];
  if (scale && scale.kind !== "none") {
    const fs = scale.kind === "tuple" || scale.kind === "list" ? scale.items.map((v) => toNumber(ctx, v, "scale_factor")) : new Array(n).fill(toNumber(ctx, scale, "scale_factor"));
    return [...lead, ...spatial.map((d, i) => (d === null ? null : Math.floor(d * (fs[i] ?? fs[0]))))];
  }
  return ctx.raise("ValueError", "Either size or scale_factor should be defined.");
}

const Upsample = defineLayer<{ size?: Value; scale?: Value; mode: string }>({
  name: "Upsample",
  spec: ["size=", "scale_factor=", "mode=", "align_corners=", "recompute_scale_factor="],
  init(ctx, self, a) {
    const mode = toStr(ctx, a.mode, "mode", "nearest");
    setAttrs(self, { size: a.size ?? NONE, scale_factor: a.scale_factor ?? NONE, mode: { kind: "str", v: mode } });
    return { size: a.size, scale: a.scale_factor, mode };
  },
  forward(ctx, self, c, x) {
    const shape = resizedShape(ctx, x.shape, c.size, c.scale);
    const attrs = { mode: c.mode, size: jsonOf(c.size) ?? null, scale_factor: jsonOf(c.scale) ?? null };
    return moduleNode(ctx, self, { op: "Upsample", category: "reshape", inputs: [x], shape, attrs });
  },
});

/** nn.Identity makes no node: it hands its input back unchanged. */
const Identity = defineLayer<null>({
  name: "Identity",
  spec: ["*args", "**kwargs"],
  init: () => null,
  forward: (_ctx, _self, _c, x) => x,
});

const opaqueCache = new Map<string, PyClass>();

/**
 * A stand-in class for an nn layer we do not model: constructing it warns, applying it makes an
 * opaque node that passes its first tensor argument's shape through.
 */
export function opaqueLayerClass(name: string): PyClass {
  const hit = opaqueCache.get(name);
  if (hit) return hit;
  const message = `Unknown layer '${name}': shown as an opaque node that passes its input shape through.`;
  const cls = nativeClass(name, "torch.nn", [MODULE_CLASS, OBJECT_CLASS], {
    __init__: builtin(`${name}.__init__`, (args, _kw, ctx) => {
      const self = args[0] as PyInstance;
      const st = moduleState(self);
      st.created ??= ctx.site();
      st.makesNode = makesOwnNode(self);
      self.dict.set("training", bool(true));
      ctx.warn(message, "unsupported");
      return NONE;
    }),
    forward: builtin(`${name}.forward`, (args, kwargs, ctx) => {
      const self = args[0] as PyInstance;
      // Its signature is unknown: the first tensor passed, by position or else by keyword.
      const passed = [...args.slice(1), ...kwargs.values()];
      const x = passed.map((v) => tensorOrUndefined(ctx, v)).find((t): t is PyTensor => t !== undefined);
      if (!x) return unknown(`The output of the unknown layer '${name}' cannot be determined.`);
      return moduleNode(ctx, self, { op: name, category: "opaque", inputs: [x], shape: [...x.shape], opaque: message });
    }),
  });
  opaqueCache.set(name, cls);
  return cls;
}

export const MISC_CLASSES: Record<string, PyClass> = {
  Linear,
  Embedding,
  Dropout: dropoutClass("Dropout"),
  Dropout1d: dropoutClass("Dropout1d"),
  Dropout2d: dropoutClass("Dropout2d"),
  Dropout3d: dropoutClass("Dropout3d"),
  AlphaDropout: dropoutClass("AlphaDropout"),
  Flatten,
  Unflatten,
  Upsample,
  Identity,
};
