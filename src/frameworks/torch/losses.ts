// Loss functions of torch.nn.functional. reduction 'mean' (the default) and 'sum' give a 0-d tensor;
// 'none' gives one loss per element: the input's shape, or for class-index losses the target's.

import type { Kwargs, NativeContext, PyTensor, Value } from "../../interp/values";
import { bindArgs } from "../../interp/args";
import type { Shape } from "../../ir/types";
import { asTensor, opNode, tensorOrUndefined } from "./nodes";

type Fn = (ctx: NativeContext, args: Value[], kwargs: Kwargs) => Value;

/** How the per-element loss shape follows from the arguments when reduction is 'none'. */
type Unreduced = "input" | "classes" | "target";

/** Parameter lists after the tensors, as PyTorch declares them (positional use must bind right). */
const LOSSES: Record<string, { tensors: string[]; rest: string[]; unreduced: Unreduced }> = {
  cross_entropy: { tensors: ["input", "target"], rest: ["weight=", "size_average=", "ignore_index=", "reduce=", "reduction=", "label_smoothing="], unreduced: "classes" },
  nll_loss: { tensors: ["input", "target"], rest: ["weight=", "size_average=", "ignore_index=", "reduce=", "reduction="], unreduced: "classes" },
  mse_loss: { tensors: ["input", "target"], rest: ["size_average=", "reduce=", "reduction=", "weight="], unreduced: "input" },
  l1_loss: { tensors: ["input", "target"], rest: ["size_average=", "reduce=", "reduction=", "weight="], unreduced: "input" },
  smooth_l1_loss: { tensors: ["input", "target"], rest: ["size_average=", "reduce=", "reduction=", "beta="], unreduced: "input" },
  huber_loss: { tensors: ["input", "target"], rest: ["reduction=", "delta=", "weight="], unreduced: "input" },
  binary_cross_entropy: { tensors: ["input", "target"], rest: ["weight=", "size_average=", "reduce=", "reduction="], unreduced: "input" },
  binary_cross_entropy_with_logits: { tensors: ["input", "target"], rest: ["weight=", "size_average=", "reduce=", "reduction=", "pos_weight="], unreduced: "input" },
  kl_div: { tensors: ["input", "target"], rest: ["size_average=", "reduce=", "reduction=", "log_target="], unreduced: "input" },
  cosine_embedding_loss: { tensors: ["input1", "input2", "target"], rest: ["margin=", "size_average=", "reduce=", "reduction="], unreduced: "target" },
};

/** cross_entropy/nll_loss per element: the target's shape, or with class probabilities as target, the input's without its class dim. */
export function perSample(input: PyTensor, target: PyTensor | undefined): Shape {
  if (target && target.shape.length !== input.shape.length) return [...target.shape];
  const classDim = input.shape.length >= 2 ? 1 : 0;
  return input.shape.filter((_, i) => i !== classDim);
}

function loss(op: string): Fn {
  const spec = LOSSES[op];
  return (ctx, args, kwargs) => {
    const a = bindArgs(ctx, op, args, kwargs, [...spec.tensors, ...spec.rest]);
    const input = asTensor(ctx, a[spec.tensors[0]], op, spec.tensors[0]);
    const others = spec.tensors.slice(1).map((name) => tensorOrUndefined(ctx, a[name]));
    const target = others[others.length - 1];
    const reduction = a.reduction?.kind === "str" ? a.reduction.v : "mean";
    if (!["mean", "sum", "none", "batchmean"].includes(reduction)) ctx.raise("ValueError", `${op}(): '${reduction}' is not a valid value for reduction.`);
    let shape: Shape = [];
    if (reduction === "none") {
      if (spec.unreduced === "classes") shape = perSample(input, target);
      else if (spec.unreduced === "target") shape = target ? [...target.shape] : [null];
      else shape = [...input.shape];
    }
    const inputs = [input, ...others.filter((t): t is PyTensor => t !== undefined)];
    return opNode(ctx, { op, category: "math", inputs, shape, attrs: { reduction } });
  };
}

export const LOSS_FUNCTIONS: Record<string, Fn> = Object.fromEntries(Object.keys(LOSSES).map((op) => [op, loss(op)]));
