// Multi-head attention: PyTorch nn.MultiheadAttention (its node is the q/k/v in-projection and the
// attention; out_proj is a Linear node of its own after it) and Keras MultiHeadAttention (query,
// key, value and output EinsumDense projections in one node). Both run as tfjs matmuls:
// projections, per-head Q·Kᵀ / sqrt(head size), softmax over the keys, weights·V, heads joined.
// The weights the attention computes are a side output when an attn_weights / attention_scores
// node takes them. Masks are not in the IR and not applied (a mask adds one elementwise op).

import { type Lowering, type LoweringContext, type MultiRun, bool, num, sideOutputsRead } from "./lower-types";
import type { Tf, TfTensor } from "./tf-api";

/** x [rows, in] · kernel [in, out] + bias, fused where the build has it. */
function project(tf: Tf, x: TfTensor, kernel: TfTensor, bias: TfTensor | undefined): TfTensor {
  if (tf.fused) return tf.fused.matMul({ a: x, b: kernel, bias });
  const y = tf.matMul(x, kernel);
  return bias ? tf.add(y, bias) : y;
}

/** [N, T, heads·size] → [N, heads, T, size]. */
function splitHeads(tf: Tf, x: TfTensor, n: number, t: number, heads: number): TfTensor {
  return tf.transpose(tf.reshape(x, [n, t, heads, -1]), [0, 2, 1, 3]);
}

/**
 * softmax(Q·Kᵀ · scale)·V over heads: q [N, H, L, d], k [N, H, S, d], v [N, H, S, dv] → the
 * attended values [N, L, H·dv] and the weights [N, H, L, S].
 */
function attend(tf: Tf, q: TfTensor, k: TfTensor, v: TfTensor, scale: number): { out: TfTensor; weights: TfTensor } {
  const weights = tf.softmax(tf.matMul(tf.mul(q, scale), k, false, true));
  const [n, , l] = q.shape;
  const out = tf.reshape(tf.transpose(tf.matMul(weights, v), [0, 2, 1, 3]), [n, l, -1]);
  return { out, weights };
}

/** Which inputs are query, key and value: the IR lists each distinct tensor once. */
function qkvInputs(count: number, keyIsLast: boolean): [number, number, number] | undefined {
  if (count === 1) return [0, 0, 0];
  // Two distinct tensors: key and value are the same one (cross-attention on a memory).
  if (count === 2) return [0, 1, 1];
  if (count === 3) return keyIsLast ? [0, 2, 1] : [0, 1, 2];
  return undefined;
}

/** The analyzer's parameter count did not come out as the lowering's. */
function countProblem(c: LoweringContext, built: number, missing: string): string | undefined {
  if (c.layerParams === built) return undefined;
  return `${c.node.op} '${c.node.id}' has ${c.layerParams} parameters where its recorded attributes give ${built} (${missing}); not profiled.`;
}

/**
 * torch.nn.MultiheadAttention without its out_proj: in_proj_weight [3E, E] (held as [E, 3E], the
 * x·W orientation) and in_proj_bias [3E], or q/k/v_proj_weight when kdim / vdim differ from E.
 */
export const lowerTorchAttention: Lowering = (c) => {
  const { tf, node } = c;
  const a = node.attrs;
  const e = num(a, "embed_dim");
  const heads = num(a, "num_heads");
  if (e === undefined || heads === undefined || e % heads !== 0) return `${node.op} does not record embed_dim and num_heads (dividing it); not profiled.`;
  const kdim = num(a, "kdim", e)!;
  const vdim = num(a, "vdim", e)!;
  const hasBias = bool(a, "bias", true);
  const batchFirst = bool(a, "batch_first", false);
  if (c.inBuilt.some((s) => s.length !== 3)) return `${node.op} is profiled on batched (3-D) inputs only.`;
  const which = qkvInputs(c.inBuilt.length, false);
  if (!which) return `${node.op} with ${c.inBuilt.length} inputs is not query, key and value.`;
  if (bool(a, "add_bias_kv", false) || bool(a, "add_zero_attn", false)) {
    return `${node.op} '${node.id}' uses add_bias_kv or add_zero_attn (an extra key position), which the profiler does not build; not profiled.`;
  }
  const packed = kdim === e && vdim === e;
  const bad = countProblem(c, (packed ? 3 * e * e : e * (e + kdim + vdim)) + (hasBias ? 3 * e : 0), "the IR does not record add_bias_kv, whose bias_k and bias_v would be the rest");
  if (bad) return bad;
  const [sq, sk] = [c.inBuilt[which[0]], c.inBuilt[which[1]]];
  const len = (s: number[]) => (batchFirst ? s[1] : s[0]);
  const batchOf = (s: number[]) => (batchFirst ? s[0] : s[1]);
  // The analyzer's MACs tell whether add_zero_attn appends a key position, which the IR does not record.
  const [aq, ak] = [c.inShapes[which[0]], c.inShapes[which[1]]];
  const an = (batchFirst ? aq[0] : aq[1]) ?? 1;
  const [al, as] = [(batchFirst ? aq[1] : aq[0]) ?? 1, (batchFirst ? ak[1] : ak[0]) ?? 1];
  const expectedMacs = an * (al * e * e + as * e * kdim + as * e * vdim + 2 * al * as * e);
  if (node.macs !== expectedMacs) return `${node.op} '${node.id}' attends over more key positions than its key has (add_zero_attn, which the IR does not record); not profiled.`;

  // Projections: one matmul per distinct input tensor, over the packed columns it needs.
  const bias = hasBias ? c.weight("in_proj_bias", [3 * e]) : undefined;
  const w = packed ? c.weight("in_proj_weight", [e, 3 * e]) : undefined;
  const selfAttention = which[0] === which[1] && which[1] === which[2];
  const keyIsValue = which[1] === which[2];
  // Column blocks of the packed kernel and bias, sliced once at build time (not weights of their own).
  const kernelCols = (from: number, width: number) => c.derived(tf.slice(w!, [0, from], [e, width]));
  const biasCols = (from: number, width: number) => (bias ? c.derived(tf.slice(bias, [from], [width])) : undefined);
  let projections: { kernel: TfTensor; bias?: TfTensor }[] = [];
  if (!packed) {
    const kernels = [c.weight("q_proj_weight", [e, e]), c.weight("k_proj_weight", [kdim, e]), c.weight("v_proj_weight", [vdim, e])];
    projections = kernels.map((kernel, i) => ({ kernel, bias: biasCols(i * e, e) }));
  } else if (!selfAttention && keyIsValue) {
    projections = [{ kernel: kernelCols(0, e), bias: biasCols(0, e) }, { kernel: kernelCols(e, 2 * e), bias: biasCols(e, 2 * e) }];
  } else if (!selfAttention) {
    projections = [0, 1, 2].map((i) => ({ kernel: kernelCols(i * e, e), bias: biasCols(i * e, e) }));
  }
  const side = sideOutputsRead(c, ["attn_weights"]);
  const averaged = c.readers.find((r) => r.op === "attn_weights")?.shape?.length === 3;
  const [n, l, s] = [batchOf(sq), len(sq), len(sk)];
  const scale = 1 / Math.sqrt(e / heads);

  const run = (xs: TfTensor[]): TfTensor[] =>
    tf.tidy(() => {
      const rows = (x: TfTensor, width: number) => tf.reshape(batchFirst ? x : tf.transpose(x, [1, 0, 2]), [-1, width]);
      let q: TfTensor, k: TfTensor, v: TfTensor;
      if (packed && selfAttention) {
        [q, k, v] = tf.split(project(tf, rows(xs[0], e), w!, bias), 3, 1);
      } else if (packed && keyIsValue) {
        q = project(tf, rows(xs[which[0]], e), projections[0].kernel, projections[0].bias);
        [k, v] = tf.split(project(tf, rows(xs[which[1]], e), projections[1].kernel, projections[1].bias), 2, 1);
      } else {
        q = project(tf, rows(xs[which[0]], e), projections[0].kernel, projections[0].bias);
        k = project(tf, rows(xs[which[1]], kdim), projections[1].kernel, projections[1].bias);
        v = project(tf, rows(xs[which[2]], vdim), projections[2].kernel, projections[2].bias);
      }
      const att = attend(tf, splitHeads(tf, q, n, l, heads), splitHeads(tf, k, n, s, heads), splitHeads(tf, v, n, s, heads), scale);
      const out = batchFirst ? att.out : tf.transpose(att.out, [1, 0, 2]);
      if (side.length === 0) return [out];
      return [out, averaged ? tf.mean(att.weights, 1) : att.weights];
    });
  return side.length === 0 ? (xs: TfTensor[]) => run(xs)[0] : ({ run, side } satisfies MultiRun);
};

/**
 * keras.layers.MultiHeadAttention over every axis between batch and features (attention_axes
 * None): query/key/value kernels [in, H, size] held as [in, H·size], output kernel [H, vd, out...]
 * held as [H·vd, out], biases likewise; called as (query, value, key=value).
 */
export const lowerKerasAttention: Lowering = (c) => {
  const { tf, node } = c;
  const a = node.attrs;
  const heads = num(a, "num_heads");
  const keyDim = num(a, "key_dim");
  if (heads === undefined || keyDim === undefined) return `${node.op} does not record num_heads and key_dim; not profiled.`;
  const valueDim = num(a, "value_dim") ?? keyDim;
  if (a.attention_axes !== null && a.attention_axes !== undefined) return `${node.op} with attention_axes ${JSON.stringify(a.attention_axes)} is not profiled (only the default, every axis between batch and features).`;
  const which = qkvInputs(c.inBuilt.length, true);
  if (!which) return `${node.op} with ${c.inBuilt.length} inputs is not query, value and key.`;
  if (c.inBuilt.some((sh) => sh.length < 3)) return `${node.op} needs inputs with at least one axis between batch and features.`;
  const [sq, sk, sv] = which.map((i) => c.inBuilt[i]);
  const [dq, dk, dv] = [sq, sk, sv].map((sh) => sh[sh.length - 1]);
  const outDims = c.outBuilt.slice(sq.length - 1);
  const dout = outDims.reduce((p, d) => p * d, 1);
  const hasBias = bool(a, "use_bias", true);
  const built = (dq + dk) * heads * keyDim + dv * heads * valueDim + heads * valueDim * dout + (hasBias ? 2 * heads * keyDim + heads * valueDim + dout : 0);
  const bad = countProblem(c, built, "the attributes do not describe its four projections");
  if (bad) return bad;
  const proj = (name: string, dIn: number, width: number) => ({
    kernel: c.weight(`${name}/kernel`, [dIn, width]),
    bias: hasBias ? c.weight(`${name}/bias`, [width]) : undefined,
  });
  const pq = proj("query", dq, heads * keyDim);
  const pk = proj("key", dk, heads * keyDim);
  const pv = proj("value", dv, heads * valueDim);
  const po = proj("attention_output", heads * valueDim, dout);
  const positions = (sh: number[]) => sh.slice(1, -1).reduce((p, d) => p * d, 1);
  const [n, tq, tk] = [sq[0], positions(sq), positions(sk)];
  const side = sideOutputsRead(c, ["attention_scores"]);
  const scoresShape = c.readers.find((r) => r.op === "attention_scores") ? [n, heads, ...sq.slice(1, -1), ...sk.slice(1, -1)] : [];
  const scale = 1 / Math.sqrt(keyDim);

  const run = (xs: TfTensor[]): TfTensor[] =>
    tf.tidy(() => {
      const rows = (x: TfTensor) => tf.reshape(x, [-1, x.shape[x.shape.length - 1]]);
      const q = splitHeads(tf, project(tf, rows(xs[which[0]]), pq.kernel, pq.bias), n, tq, heads);
      const k = splitHeads(tf, project(tf, rows(xs[which[1]]), pk.kernel, pk.bias), n, tk, heads);
      const v = splitHeads(tf, project(tf, rows(xs[which[2]]), pv.kernel, pv.bias), n, tk, heads);
      const att = attend(tf, q, k, v, scale);
      const out = tf.reshape(project(tf, tf.reshape(att.out, [-1, heads * valueDim]), po.kernel, po.bias), c.outBuilt);
      return side.length === 0 ? [out] : [out, tf.reshape(att.weights, scoresShape)];
    });
  return side.length === 0 ? (xs: TfTensor[]) => run(xs)[0] : ({ run, side } satisfies MultiRun);
};
