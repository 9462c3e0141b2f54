// Layer and group normalisation (PyTorch LayerNorm / GroupNorm, Keras LayerNormalization /
// GroupNormalization): statistics over the normalised axes with tf.moments, then the affine scale
// and offset. Weights are created in the built layout's broadcast shape (a PyTorch [W] LayerNorm
// weight on an NHWC tensor is [W, 1]), with exactly the layer's element count.

import type { JsonValue } from "../ir/types";
import { builtAxis, numel } from "./layout";
import { type Lowering, type LoweringContext, bool, num } from "./lower-types";
import type { TfTensor } from "./tf-api";

/** The shape that puts `sizes` at `axes` of a rank-`rank` tensor and 1 elsewhere, from the first axis on. */
function broadcastShape(rank: number, axes: number[], sizes: number[]): number[] {
  const first = Math.min(...axes);
  return Array.from({ length: rank - first }, (_, i) => {
    const k = axes.indexOf(first + i);
    return k < 0 ? 1 : sizes[k];
  });
}

/** Axes as a list (Keras `axis` may be an int or a list), normalised to 0..rank-1; undefined when malformed. */
function axesList(v: JsonValue | undefined, rank: number, fallback: number[]): number[] | undefined {
  const raw = v === undefined || v === null ? fallback : Array.isArray(v) ? v : [v];
  if (!raw.every((a) => typeof a === "number")) return undefined;
  const axes = (raw as number[]).map((a) => (a < 0 ? a + rank : a));
  return axes.every((a) => a > 0 && a < rank) ? axes : undefined;
}

interface Affine {
  scale?: TfTensor;
  offset?: TfTensor;
}

/** (x - mean) / sqrt(variance + eps) over `axes` of `x`, then the affine map; or RMS scaling (Keras). */
function normalise(c: LoweringContext, x: TfTensor, axes: number[], eps: number, affine: Affine, rms = false): TfTensor {
  const { tf } = c;
  return tf.tidy(() => {
    let y: TfTensor;
    if (rms) y = tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), axes, true), eps)));
    else {
      const { mean, variance } = tf.moments(x, axes, true);
      y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    }
    if (affine.scale) y = tf.mul(y, affine.scale);
    if (affine.offset) y = tf.add(y, affine.offset);
    return y;
  });
}

/** The layer's parameter count did not come out as the lowering's: say so rather than time a different layer. */
function countProblem(c: LoweringContext, built: number): string | undefined {
  return c.layerParams === built ? undefined : `${c.node.op} '${c.node.id}' has ${c.layerParams} parameters, but its attributes describe ${built}; not profiled.`;
}

export const lowerLayerNorm: Lowering = (c) => {
  const { node } = c;
  const shape = c.inShapes[0];
  const rank = c.inBuilt[0]?.length ?? 0;
  if (!shape || c.inBuilt.length !== 1) return `${node.op} needs one input.`;
  const a = node.attrs;
  let axes: number[];
  let sizes: number[];
  let affine: Affine = {};
  let rms = false;
  if (c.framework === "keras") {
    const ax = axesList(a.axis, rank, [-1]);
    if (!ax) return `${node.op}'s axis ${JSON.stringify(a.axis)} is not a list of non-batch axes; not profiled.`;
    axes = ax;
    sizes = axes.map((i) => c.inBuilt[0][i]);
    rms = bool(a, "rms_scaling", false);
    const dims = broadcastShape(rank, axes, sizes);
    const scale = bool(a, "scale", true);
    const center = bool(a, "center", true) && !rms;
    const bad = countProblem(c, ((scale ? 1 : 0) + (center ? 1 : 0)) * numel(sizes));
    if (bad) return bad;
    affine = { scale: scale ? c.weight("gamma", dims) : undefined, offset: center ? c.weight("beta", dims) : undefined };
  } else {
    const normalized = a.normalized_shape;
    if (!Array.isArray(normalized) || !normalized.every((d) => typeof d === "number") || normalized.length >= shape.length) {
      return `${node.op} does not record normalized_shape over the input's non-batch dims; not profiled.`;
    }
    sizes = normalized as number[];
    const torchAxes = sizes.map((_, i) => shape.length - sizes.length + i);
    axes = torchAxes.map((t) => builtAxis(c.framework, shape, t));
    const dims = broadcastShape(rank, axes, sizes);
    const n = numel(sizes);
    if (bool(a, "elementwise_affine", true)) {
      // The IR does not say whether the layer has a bias (bias=False); its parameter count does.
      if (c.layerParams !== n && c.layerParams !== 2 * n) return countProblem(c, 2 * n)!;
      affine = { scale: c.weight("weight", dims), offset: c.layerParams === 2 * n ? c.weight("bias", dims) : undefined };
    } else {
      const bad = countProblem(c, 0);
      if (bad) return bad;
    }
  }
  const eps = num(a, "eps") ?? num(a, "epsilon") ?? 1e-5;
  return (xs) => normalise(c, xs[0], axes, eps, affine, rms);
};

export const lowerGroupNorm: Lowering = (c) => {
  const { tf, node } = c;
  const shape = c.inShapes[0];
  const built = c.inBuilt[0];
  if (!shape || c.inBuilt.length !== 1 || built.length < 2) return `${node.op} needs one input with a channel dimension.`;
  const a = node.attrs;
  const keras = c.framework === "keras";
  const ax = keras ? axesList(a.axis, built.length, [-1]) : [builtAxis(c.framework, shape, 1)];
  if (!ax || ax.length !== 1) return `${node.op}'s axis ${JSON.stringify(a.axis)} is not one channel axis; not profiled.`;
  const ca = ax[0];
  const channels = built[ca];
  const groups = num(a, "num_groups") ?? num(a, "groups");
  if (groups === undefined) return `${node.op} does not record its number of groups; not profiled.`;
  // Keras: groups=-1 means one group per channel (InstanceNormalization).
  const g = groups === -1 ? channels : groups;
  if (channels % g !== 0) return `${node.op} has ${g} groups, which do not divide its ${channels} channels.`;
  const dims = broadcastShape(built.length, [ca], [channels]);
  const scale = keras ? bool(a, "scale", true) : bool(a, "affine", true);
  const center = keras ? bool(a, "center", true) : bool(a, "affine", true);
  const bad = countProblem(c, ((scale ? 1 : 0) + (center ? 1 : 0)) * channels);
  if (bad) return bad;
  const affine: Affine = {
    scale: scale ? c.weight(keras ? "gamma" : "weight", dims) : undefined,
    offset: center ? c.weight(keras ? "beta" : "bias", dims) : undefined,
  };
  // Channels split into [groups, channels / groups]; statistics over every axis but batch and group.
  const grouped = [...built.slice(0, ca), g, channels / g, ...built.slice(ca + 1)];
  const axes = grouped.map((_, i) => i).filter((i) => i !== 0 && i !== ca);
  const eps = num(a, "eps") ?? num(a, "epsilon") ?? 1e-5;
  return (xs) =>
    tf.tidy(() => {
      const x = tf.reshape(xs[0], [xs[0].shape[0], ...grouped.slice(1)]);
      const y = normalise(c, x, axes, eps, {});
      const back = tf.reshape(y, xs[0].shape);
      let out = affine.scale ? tf.mul(back, affine.scale) : back;
      if (affine.offset) out = tf.add(out, affine.offset);
      return out;
    });
};
