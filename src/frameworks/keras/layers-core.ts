// Dense, Embedding and the reshaping layers (Flatten, Reshape, Permute, RepeatVector, Identity).

import type { Shape } from "../../ir/types";
import type { PyClass } from "../../interp/values";
import { toBool, toInt } from "../../interp/args";
import { activationAttr } from "./activation-names";
import { sizeArg, weight } from "./builtin-def";
import { defineLayer } from "./layer-class";
import { formatShape, numelBatchAsOne, product, valueToShape } from "./shapes";
import { warnUnsized } from "./unsized";

const dense = (): PyClass =>
  defineLayer({
    className: "Dense",
    category: "dense",
    args: ["units", "activation=", "use_bias="],
    configure: (ctx, a, self) => ({
      units: sizeArg(ctx, self, "Dense", a.units, "units"),
      use_bias: toBool(ctx, a.use_bias, true),
      ...activationAttr(ctx, a.activation),
    }),
    apply(x) {
      const units = x.cfg.units as number | null;
      const s = x.shapes[0];
      const shape: Shape = [...s.slice(0, -1), units];
      const cin = s[s.length - 1];
      // Units the analyzer cannot know: warned about where the layer was made.
      if (units === null) return { shape, attrs: { in_features: cin ?? null } };
      if (s.length < 2 || cin === null || cin === undefined) {
        warnUnsized(x.ctx, x.layer, `Dense '${x.name}' needs a known last input dimension, got shape ${formatShape(s)}; its weights are counted as 0.`);
        return { shape };
      }
      const weights = [weight("kernel", [cin, units])];
      if (x.cfg.use_bias) weights.push(weight("bias", [units]));
      const numel = numelBatchAsOne(s);
      return { shape, weights, macs: numel === null ? 0 : (numel / cin) * cin * units, attrs: { in_features: cin } };
    },
  });

const embedding = (): PyClass =>
  defineLayer({
    className: "Embedding",
    category: "embedding",
    args: ["input_dim", "output_dim", "embeddings_initializer=", "embeddings_regularizer=", "embeddings_constraint=", "mask_zero="],
    configure: (ctx, a, self) => ({
      input_dim: sizeArg(ctx, self, "Embedding", a.input_dim, "input_dim"),
      output_dim: sizeArg(ctx, self, "Embedding", a.output_dim, "output_dim"),
      ...(toBool(ctx, a.mask_zero, false) ? { mask_zero: true } : {}),
    }),
    apply(x) {
      const [rows, dim] = [x.cfg.input_dim as number | null, x.cfg.output_dim as number | null];
      return { shape: [...x.shapes[0], dim], weights: rows === null || dim === null ? [] : [weight("embeddings", [rows, dim])] };
    },
  });

const flatten = (): PyClass =>
  defineLayer({
    className: "Flatten",
    category: "reshape",
    args: ["data_format="],
    apply: (x) => ({ shape: [x.shapes[0][0], product(x.shapes[0].slice(1))] }),
  });

const reshape = (): PyClass =>
  defineLayer({
    className: "Reshape",
    category: "reshape",
    args: ["target_shape"],
    configure: (ctx, a) => ({ target_shape: valueToShape(ctx, a.target_shape!, "target_shape") }),
    apply(x) {
      const target = (x.cfg.target_shape as Shape).slice();
      const s = x.shapes[0];
      const total = product(s.slice(1));
      const free = target.indexOf(-1);
      if (free >= 0) {
        const known = product(target.filter((_, i) => i !== free));
        target[free] = total === null || known === null || known === 0 ? null : total / known;
      }
      const size = product(target);
      if (total !== null && size !== null && total !== size) {
        x.ctx.reportError(
          `Reshape '${x.name}' cannot reshape ${formatShape(s)} (${total} values per sample) to ${formatShape(x.cfg.target_shape as Shape)}.`,
          "shape-mismatch",
        );
      }
      return { shape: [s[0], ...target] };
    },
  });

const permute = (): PyClass =>
  defineLayer({
    className: "Permute",
    category: "reshape",
    args: ["dims"],
    configure: (ctx, a) => ({ dims: valueToShape(ctx, a.dims!, "dims") }),
    apply(x) {
      const s = x.shapes[0];
      return { shape: [s[0], ...(x.cfg.dims as number[]).map((d) => s[d] ?? null)] };
    },
  });

const repeatVector = (): PyClass =>
  defineLayer({
    className: "RepeatVector",
    category: "reshape",
    args: ["n"],
    configure: (ctx, a) => ({ n: toInt(ctx, a.n, "n") }),
    apply: (x) => ({ shape: [x.shapes[0][0], x.cfg.n as number, ...x.shapes[0].slice(1)] }),
  });

const identity = (): PyClass =>
  defineLayer({ className: "Identity", category: "math", args: [], apply: (x) => ({ shape: x.shapes[0] }) });

export function coreLayers(): Record<string, PyClass> {
  return {
    Dense: dense(),
    Embedding: embedding(),
    Flatten: flatten(),
    Reshape: reshape(),
    Permute: permute(),
    RepeatVector: repeatVector(),
    Identity: identity(),
  };
}
