// The fused conv + BatchNorm (+ activation) lowering (groups chosen by fusion.ts). Inference BN is a
// per-channel affine map, y = (x - mean) · s + offset with s = scale / sqrt(variance + epsilon), so
// it folds into the conv: filter' = filter · s (per output channel), bias' = (bias - mean) · s + offset.
// The folded filter and bias are computed once at build time from the random weights; the conv's
// and the BN's own weights stay in the plan (the weight count is the model's), and each pass runs
// one tf.fused.conv2d or tf.fused.depthwiseConv2d with the bias and the activation, as a deployed
// inference graph does.

import type { FusionGroup } from "./fusion";
import type { FusedActivation, TfTensor } from "./tf-api";
import { batchNormParams, depthwiseConv, plainConv } from "./lower-layers";
import type { LoweringContext, Run } from "./lower-types";

/** The fused step's function, or why this group cannot be fused (its nodes then run one by one). */
export function lowerConvBatchNorm(
  kind: FusionGroup["kind"],
  conv: LoweringContext,
  bn: LoweringContext,
  activation: FusedActivation | undefined,
): Run | string {
  const { tf } = conv;
  if (!tf.fused) return "This tf build has no fused convolution.";
  if (bn.inBuilt[0]?.length !== 4) return `${bn.node.op} is not on a 4-D tensor.`;
  const p = kind === "depthwiseConv2d" ? depthwiseConv(conv) : plainConv(conv);
  if (typeof p === "string") return p;
  if (p.activation !== undefined) return `${conv.node.op} applies its own activation before the BatchNorm.`;
  const b = batchNormParams(bn);
  if (typeof b === "string") return b;
  const folded = foldBatchNorm(conv, p.filter, p.bias, b, kind);
  const fusedConv = kind === "depthwiseConv2d" ? tf.fused.depthwiseConv2d : tf.fused.conv2d;
  const { strides, pad, dilations } = p;
  return (xs) => fusedConv({ x: xs[0], filter: folded.filter, strides, pad, dilations, bias: folded.bias, activation: activation ?? "linear" });
}

/**
 * filter · s and (bias - mean) · s + offset, with s = scale / sqrt(variance + epsilon); kept by the plan.
 * `kind` says how the filter holds the output channels: a regular filter [kh, kw, in, out] has them
 * last; a depthwise one [kh, kw, in, m] has output channel c·m + j at [.., c, j].
 */
export function foldBatchNorm(
  c: Pick<LoweringContext, "tf" | "derived">,
  filter: TfTensor,
  bias: TfTensor | undefined,
  bn: { mean: TfTensor; variance: TfTensor; scale?: TfTensor; offset?: TfTensor; epsilon: number },
  kind: FusionGroup["kind"] = "conv2d",
): { filter: TfTensor; bias: TfTensor } {
  const { tf } = c;
  const temps: TfTensor[] = [];
  const keep = (t: TfTensor) => (temps.push(t), t);
  try {
    const root = keep(tf.sqrt(keep(tf.add(bn.variance, bn.epsilon))));
    const s = bn.scale ? keep(tf.div(bn.scale, root)) : keep(tf.div(1, root));
    const centred = bias ? keep(tf.sub(bias, bn.mean)) : keep(tf.neg(bn.mean));
    const shifted = tf.mul(centred, s);
    if (bn.offset) keep(shifted);
    // [out] broadcasts over a regular filter's last axis; a depthwise filter needs it as [in, m].
    const perChannel = kind === "depthwiseConv2d" ? keep(tf.reshape(s, filter.shape.slice(2))) : s;
    return {
      filter: c.derived(tf.mul(filter, perChannel)),
      bias: c.derived(bn.offset ? tf.add(shifted, bn.offset) : shifted),
    };
  } finally {
    for (const t of temps) t.dispose();
  }
}
