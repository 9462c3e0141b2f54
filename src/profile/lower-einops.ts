// einops rearrange / repeat / reduce (and the Rearrange / Reduce layers) as tfjs reshape, reduce,
// transpose and broadcast, in PyTorch's axis order; torch.einsum as tf.einsum. The pattern and the
// axis sizes passed by name are on the node (attrs.pattern and one attr per axis).

import { einopsPlan, type EinopsKind } from "../ir/einops-pattern";
import { inFrameworkOrder } from "./lower-framework-order";
import { toFrameworkOrder } from "./layout";
import type { Lowering } from "./lower-types";
import type { Tf, TfTensor } from "./tf-api";

const KIND: Record<string, EinopsKind> = { rearrange: "rearrange", Rearrange: "rearrange", repeat: "repeat", reduce: "reduce", Reduce: "reduce" };

const REDUCE: Record<string, (tf: Tf, x: TfTensor, axes: number[]) => TfTensor> = {
  mean: (tf, x, a) => tf.mean(x, a),
  sum: (tf, x, a) => tf.sum(x, a),
  max: (tf, x, a) => tf.max(x, a),
  min: (tf, x, a) => tf.min(x, a),
  prod: (tf, x, a) => tf.prod(x, a),
};

export const lowerEinops: Lowering = (c) => {
  const { tf, node } = c;
  const kind = KIND[node.op];
  const pattern = node.attrs.pattern;
  const inShape = c.inShapes[0];
  if (!kind || typeof pattern !== "string" || !inShape) return `${node.op} does not record its pattern; not profiled.`;
  const given = new Map<string, number>();
  for (const [k, v] of Object.entries(node.attrs)) if (typeof v === "number") given.set(k, v);
  // Planned on the input as built (its batch may differ from the analyzer's), in PyTorch's order.
  const shape = toFrameworkOrder(c.framework, inShape).map((a) => c.inBuilt[0][a]);
  const plan = einopsPlan(kind, pattern, shape, given);
  if (typeof plan === "string") return `${node.op}: ${plan}; not profiled.`;
  const reduction = typeof node.attrs.reduction === "string" ? REDUCE[node.attrs.reduction] : undefined;
  if (kind === "reduce" && !reduction) return `${node.op} with reduction '${String(node.attrs.reduction)}' is not profiled.`;
  return inFrameworkOrder(c, ([x]) => {
    let t = tf.reshape(x, plan.inAxes);
    if (plan.reduceAxes.length && reduction) t = reduction(tf, t, plan.reduceAxes);
    t = tf.reshape(t, plan.keptAxes);
    if (plan.perm.some((a, i) => a !== i)) t = tf.transpose(t, plan.perm);
    t = tf.reshape(t, plan.beforeRepeat);
    if (plan.beforeRepeat.some((d, i) => d !== plan.outAxes[i])) t = tf.broadcastTo(t, plan.outAxes);
    return tf.reshape(t, plan.shape);
  });
};

/** torch.einsum as recorded (attrs.equation), in PyTorch's axis order. */
export const lowerEinsum: Lowering = (c) => {
  const eq = c.node.attrs.equation;
  if (typeof eq !== "string") return "einsum does not record its equation; not profiled.";
  if (eq.includes("...")) return `einsum '${eq}' with '...' is not profiled.`;
  return inFrameworkOrder(c, (xs) => c.tf.einsum(eq, ...xs));
};
