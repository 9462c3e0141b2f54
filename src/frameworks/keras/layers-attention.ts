// keras.layers.MultiHeadAttention, called as `mha(query, value, key=None, ...)`. Its weights are
// Keras's four EinsumDense projections: query/key/value map each position's features to
// [num_heads, key_dim] (value: [num_heads, value_dim]), and attention_output maps the heads'
// [num_heads, value_dim] back to the query's feature size (or `output_shape`).

import type { Dim, Shape } from "../../ir/types";
import type { NativeContext, PyClass, Value } from "../../interp/values";
import { toBool, toInt, toNumber, toStr } from "../../interp/args";
import { type BuiltinApply, type BuiltinResult, weight } from "./builtin-def";
import type { Weight } from "./layer-state";
import { defineLayer } from "./layer-class";
import { formatShape, product } from "./shapes";
import { warnUnsized } from "./unsized";

/** An int or a tuple/list of ints, as a list; null for None or absent. */
function intList(ctx: NativeContext, v: Value | undefined, what: string): number[] | null {
  if (!v || v.kind === "none") return null;
  if (v.kind === "tuple" || v.kind === "list") return v.items.map((x, i) => toInt(ctx, x, `${what}[${i}]`));
  return [toInt(ctx, v, what)];
}

/**
 * The axes attention runs over, as axes of the input (batch 0, features last). Keras's default is
 * every axis in between; a negative axis counts from the end of the projected tensor, which has one
 * more axis (the heads) than the input.
 */
function attentionAxes(axes: number[] | null, rank: number): number[] {
  if (!axes) return Array.from({ length: Math.max(rank - 2, 0) }, (_, i) => i + 1);
  return axes.map((a) => (a < 0 ? a + rank + 1 : a));
}

const inner = (s: Shape, axes: number[], want: boolean): Dim[] =>
  s.slice(1, -1).filter((_, i) => axes.includes(i + 1) === want);

function apply(x: BuiltinApply): BuiltinResult {
  const [query, value] = x.shapes;
  const keyGiven = x.call?.key !== undefined && x.call.key.kind !== "none";
  const key = keyGiven ? x.shapes[2] : value;
  const heads = x.cfg.num_heads as number;
  const keyDim = x.cfg.key_dim as number;
  const valueDim = (x.cfg.value_dim as number | null) ?? keyDim;
  const outDims = (x.cfg.output_shape as number[] | null) ?? [query[query.length - 1]];
  const shape: Shape = [...query.slice(0, -1), ...outDims];
  const axes = attentionAxes(x.cfg.attention_axes as number[] | null, query.length);
  const scores: Shape = [query[0], ...inner(query, axes, false), heads, ...inner(query, axes, true), ...inner(key, axes, true)];
  const extraOutputs = x.call?.return_attention_scores && x.ctx.truthy(x.call.return_attention_scores) ? [{ name: "attention_scores", shape: scores }] : undefined;

  if (key.length !== value.length || key.slice(1, -1).some((d, i) => d !== null && value[i + 1] !== null && d !== value[i + 1])) {
    x.ctx.reportError(
      `MultiHeadAttention '${x.name}' needs key and value with the same positions, got key ${formatShape(key)} and value ${formatShape(value)}.`,
      "shape-mismatch",
    );
  }
  const dq = query[query.length - 1];
  const dk = key[key.length - 1];
  const dv = value[value.length - 1];
  const dout = product(outDims);
  if (dq === null || dk === null || dv === null || dout === null) {
    warnUnsized(
      x.ctx,
      x.layer,
      `MultiHeadAttention '${x.name}' needs known feature sizes, got query ${formatShape(query)}, value ${formatShape(value)}, key ${formatShape(key)}; its weights are counted as 0.`,
    );
    return { shape, extraOutputs };
  }
  const bias = x.cfg.use_bias as boolean;
  const projection = (name: string, dIn: number, perHead: number): Weight[] => [
    weight(`${name}/kernel`, [dIn, heads, perHead]),
    ...(bias ? [weight(`${name}/bias`, [heads, perHead])] : []),
  ];
  const weights = [
    ...projection("query", dq, keyDim),
    ...projection("key", dk, keyDim),
    ...projection("value", dv, valueDim),
    weight("attention_output/kernel", [heads, valueDim, ...(outDims as number[])]),
    ...(bias ? [weight("attention_output/bias", outDims as number[])] : []),
  ];

  // MACs per sample (a known batch multiplies them): each projection is a dense map of every
  // position, Tq*dq*H*kd for the query (key: Tk*dk*H*kd, value: Tv*dv*H*vd, output: Tq*H*vd*out);
  // then the two attention matmuls, scores = Q.K^T with H*Tq*Tk'*kd and A.V with H*Tq*Tv'*vd, where
  // Tq counts every query position and Tk', Tv' the key/value positions along the attention axes
  // (the other axes pair up one to one, like a batch).
  const batch = query[0] ?? 1;
  const tq = product(query.slice(1, -1));
  const tk = product(key.slice(1, -1));
  const tv = product(value.slice(1, -1));
  const tkAttended = product(inner(key, axes, true));
  const tvAttended = product(inner(value, axes, true));
  let macs = 0;
  if (tq !== null && tk !== null && tv !== null && tkAttended !== null && tvAttended !== null) {
    const projections = tq * dq * heads * keyDim + tk * dk * heads * keyDim + tv * dv * heads * valueDim + tq * heads * valueDim * dout;
    const attention = heads * tq * tkAttended * keyDim + heads * tq * tvAttended * valueDim;
    macs = batch * (projections + attention);
  }
  return { shape, weights, macs, extraOutputs, attrs: { query_dim: dq, key_input_dim: dk, value_input_dim: dv } };
}

const multiHeadAttention = (): PyClass =>
  defineLayer({
    className: "MultiHeadAttention",
    category: "dense",
    args: ["num_heads", "key_dim", "value_dim=", "dropout=", "use_bias=", "output_shape=", "attention_axes="],
    multiInput: true,
    call: {
      spec: [
        "query", "value", "key=", "query_mask=", "value_mask=", "key_mask=", "attention_mask=",
        "return_attention_scores=", "training=", "use_causal_mask=", "**kwargs",
      ],
      tensors: ["query", "value", "key"],
    },
    configure: (ctx, a) => ({
      num_heads: toInt(ctx, a.num_heads, "num_heads"),
      key_dim: toInt(ctx, a.key_dim, "key_dim"),
      value_dim: a.value_dim && a.value_dim.kind !== "none" ? toInt(ctx, a.value_dim, "value_dim") : null,
      dropout: toNumber(ctx, a.dropout, "dropout", 0),
      use_bias: toBool(ctx, a.use_bias, true),
      output_shape: intList(ctx, a.output_shape, "output_shape"),
      attention_axes: intList(ctx, a.attention_axes, "attention_axes"),
    }),
    apply,
  });

/**
 * keras.layers.Attention (dot-product, Luong) and AdditiveAttention (Bahdanau), called on
 * [query, value] or [query, value, key]: the output has the query's positions and the value's
 * features. Weights as Keras's build() makes them: Attention a scalar `scale` with use_scale and a
 * scalar `concat_score_weight` with score_mode="concat"; AdditiveAttention a `scale` vector of the
 * query's feature size with use_scale (its default). MACs count the matmuls: query-key scores (dot
 * mode only; the additive scores are a tanh sum) and scores-value.
 */
function applyDotAttention(x: BuiltinApply, additive: boolean): BuiltinResult {
  if (x.shapes.length < 2 || x.shapes.length > 3) {
    return x.ctx.raise("ValueError", `${x.className} '${x.name}' must be called on [query, value] or [query, value, key], got ${x.shapes.length} tensors.`);
  }
  const [query, value] = x.shapes;
  const key = x.shapes[2] ?? value;
  const dim = query[query.length - 1];
  const dk = key[key.length - 1];
  if (dim !== null && dk !== null && dim !== dk) {
    x.ctx.reportError(`${x.className} '${x.name}' needs query and key with the same feature size, got query ${formatShape(query)} and key ${formatShape(key)}.`, "shape-mismatch");
  }
  const shape: Shape = [...query.slice(0, -1), value[value.length - 1]];
  const tq = product(query.slice(1, -1));
  const tv = product(value.slice(1, -1));
  const scores: Shape = [query[0], ...query.slice(1, -1), ...value.slice(1, -1)];
  const extraOutputs = x.call?.return_attention_scores && x.ctx.truthy(x.call.return_attention_scores) ? [{ name: "attention_scores", shape: scores }] : undefined;
  const useScale = x.cfg.use_scale as boolean;
  const weights: Weight[] = [];
  if (additive && useScale) {
    if (dim === null) warnUnsized(x.ctx, x.layer, `${x.className} '${x.name}' needs a known query feature size, got ${formatShape(query)}; its scale is counted as 0.`);
    else weights.push(weight("scale", [dim]));
  } else if (useScale) weights.push(weight("scale", []));
  if (!additive && x.cfg.score_mode === "concat") weights.push(weight("concat_score_weight", []));
  const dv = value[value.length - 1];
  let macs = 0;
  if (tq !== null && tv !== null && dim !== null && dv !== null) {
    const scoring = !additive && x.cfg.score_mode === "dot" ? tq * tv * dim : 0;
    macs = (query[0] ?? 1) * (scoring + tq * tv * dv);
  }
  return { shape, weights, macs, extraOutputs };
}

const ATTENTION_CALL = { spec: ["inputs", "mask=", "training=", "return_attention_scores=", "use_causal_mask=", "**kwargs"], tensors: ["inputs"] };

const dotAttention = (additive: boolean): PyClass =>
  defineLayer({
    className: additive ? "AdditiveAttention" : "Attention",
    category: "math",
    args: additive ? ["use_scale=", "dropout="] : ["use_scale=", "score_mode=", "dropout=", "seed="],
    multiInput: true,
    call: ATTENTION_CALL,
    configure(ctx, a) {
      const scoreMode = additive ? "additive" : toStr(ctx, a.score_mode, "score_mode", "dot");
      if (!additive && scoreMode !== "dot" && scoreMode !== "concat") {
        ctx.raise("ValueError", `Attention score_mode must be "dot" or "concat", got '${scoreMode}'.`);
      }
      return { use_scale: toBool(ctx, a.use_scale, additive), score_mode: scoreMode, dropout: toNumber(ctx, a.dropout, "dropout", 0) };
    },
    apply: (x) => applyDotAttention(x, additive),
  });

export function attentionLayers(): Record<string, PyClass> {
  return { MultiHeadAttention: multiHeadAttention(), Attention: dotAttention(false), AdditiveAttention: dotAttention(true) };
}
