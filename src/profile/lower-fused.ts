// The fused conv + BatchNorm (+ activation) lowering (groups chosen by fusion.ts). Inference BN is a
// per-channel affine map, y = (x - mean) · s + offset with s = scale / sqrt(variance + epsilon), so
// it folds into the conv: filter' = filter · s (per output channel), bias' = (bias - mean) · s + offset.
// The folded filter and bias are computed once at build time from the random weights; the conv's
// and the BN's own weights stay in the plan (the weight count is the model's), and each pass runs
// one tf.fused.conv2d with the bias and the activation, as a deployed inference graph does.

import type { FusedActivation, TfTensor } from "./tf-api";
import { batchNormParams, plainConv } from "./lower-layers";
import type { LoweringContext, Run } from "./lower-types";

/** The fused step's function, or why this group cannot be fused (its nodes then run one by one). */
export function lowerConvBatchNorm(conv: LoweringContext, bn: LoweringContext, activation: FusedActivation | undefined): Run | string {
  const { tf } = conv;
  if (!tf.fused) return "This tf build has no fused convolution.";
  if (bn.inBuilt[0]?.length !== 4) return `${bn.node.op} is not on a 4-D tensor.`;
  const p = plainConv(conv);
  if (typeof p === "string") return p;
  if (p.activation !== undefined) return `${conv.node.op} applies its own activation before the BatchNorm.`;
  const b = batchNormParams(bn);
  if (typeof b === "string") return b;
  const folded = foldBatchNorm(conv, p.filter, p.bias, b);
  const fusedConv = tf.fused.conv2d;
  const { strides, pad, dilations } = p;
  return (xs) => fusedConv({ x: xs[0], filter: folded.filter, strides, pad, dilations, bias: folded.bias, activation: activation ?? "linear" });
}

/** filter · s and (bias - mean) · s + offset, with s = scale / sqrt(variance + epsilon); kept by the plan. */
export function foldBatchNorm(
  c: Pick<LoweringContext, "tf" | "derived">,
  filter: TfTensor,
  bias: TfTensor | undefined,
  bn: { mean: TfTensor; variance: TfTensor; scale?: TfTensor; offset?: TfTensor; epsilon: number },
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
    return {
      // [kh, kw, in, out] · [out] broadcasts over the output channels.
      filter: c.derived(tf.mul(filter, s)),
      bias: c.derived(bn.offset ? tf.add(shifted, bn.offset) : shifted),
    };
  } finally {
    for (const t of temps) t.dispose();
  }
}
