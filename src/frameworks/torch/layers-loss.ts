// Loss modules (CrossEntropyLoss, MSELoss, ...): no parameters; a class-weight tensor is a buffer, as
// in PyTorch. reduction 'mean'/'sum' gives a 0-d tensor, 'none' the per-element (or per-sample) shape.

import type { PyClass } from "../../interp/values";
import { NONE, str } from "../../interp/values";
import { toStr } from "../../interp/args";
import type { Shape } from "../../ir/types";
import { defineLayer, layerLabel, setAttrs } from "./define-layer";
import { registerBuffer } from "./module";
import { moduleNode, tensorOrUndefined } from "./nodes";
import { perSample } from "./losses";

const REDUCTIONS = ["mean", "sum", "none", "batchmean"];

interface LossDef {
  name: string;
  /** Constructor arguments besides `reduction` (PyTorch's order, deprecated size_average/reduce included). */
  spec: string[];
  /** Arguments that PyTorch registers as buffers when given a tensor. */
  buffers?: string[];
  /** True when 'none' drops the class dimension (dim 1, or dim 0 of an unbatched input). */
  perSample?: boolean;
}

function lossClass(def: LossDef): PyClass {
  return defineLayer<{ reduction: string }>({
    name: def.name,
    spec: def.spec,
    init(ctx, self, a) {
      const reduction = toStr(ctx, a.reduction, "reduction", "mean");
      if (!REDUCTIONS.includes(reduction)) ctx.raise("ValueError", `${def.name}: ${reduction} is not a valid value for reduction.`);
      for (const b of def.buffers ?? []) {
        const v = a[b];
        if (v && v.kind !== "none") registerBuffer(self, b, v);
        else self.dict.set(b, NONE);
      }
      setAttrs(self, { reduction: str(reduction) });
      return { reduction };
    },
    forward(ctx, self, c, x, rest, kwargs) {
      const target = tensorOrUndefined(ctx, rest[0] ?? kwargs.get("target"));
      let shape: Shape = [];
      if (c.reduction === "none") shape = def.perSample ? perSample(x, target) : [...x.shape];
      if (!target && rest.length === 0 && !kwargs.has("target")) {
        ctx.reportError(`${layerLabel(self, def.name)} expects an input and a target.`, "shape-mismatch");
      }
      return moduleNode(ctx, self, {
        op: def.name,
        category: "math",
        inputs: target ? [x, target] : [x],
        shape,
        attrs: { reduction: c.reduction },
      });
    },
  });
}

const weighted = ["weight=", "size_average=", "ignore_index=", "reduce=", "reduction="];

export const LOSS_CLASSES: Record<string, PyClass> = {
  CrossEntropyLoss: lossClass({ name: "CrossEntropyLoss", spec: [...weighted, "label_smoothing="], buffers: ["weight"], perSample: true }),
  NLLLoss: lossClass({ name: "NLLLoss", spec: weighted, buffers: ["weight"], perSample: true }),
  MSELoss: lossClass({ name: "MSELoss", spec: ["size_average=", "reduce=", "reduction="] }),
  L1Loss: lossClass({ name: "L1Loss", spec: ["size_average=", "reduce=", "reduction="] }),
  SmoothL1Loss: lossClass({ name: "SmoothL1Loss", spec: ["size_average=", "reduce=", "reduction=", "beta="] }),
  HuberLoss: lossClass({ name: "HuberLoss", spec: ["reduction=", "delta="] }),
  BCELoss: lossClass({ name: "BCELoss", spec: ["weight=", "size_average=", "reduce=", "reduction="], buffers: ["weight"] }),
  BCEWithLogitsLoss: lossClass({
    name: "BCEWithLogitsLoss",
    spec: ["weight=", "size_average=", "reduce=", "reduction=", "pos_weight="],
    buffers: ["weight", "pos_weight"],
  }),
  KLDivLoss: lossClass({ name: "KLDivLoss", spec: ["size_average=", "reduce=", "reduction=", "log_target="] }),
};
