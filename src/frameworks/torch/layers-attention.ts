// nn.MultiheadAttention: PyTorch's parameter layout (one packed in_proj_weight when key and value
// have the query's width, separate q/k/v projections otherwise), its out_proj child module, and the
// (attn_output, attn_weights) tuple its forward returns, in sequence-first or batch-first layout.

import {
  type Kwargs,
  type NativeContext,
  type PyClass,
  type PyInstance,
  type PyTensor,
  type Value,
  NONE,
  bool,
  float,
  int,
  nativeClass,
  tuple,
} from "../../interp/values";
import { bindArgs, toBool, toInt, toNumber } from "../../interp/args";
import type { Dim, Shape } from "../../ir/types";
import { addWeight, defineLayer, layerLabel, setAttrs } from "./define-layer";
import { MISC_CLASSES } from "./layers-misc";
import { registerChild, registerParam } from "./module";
import { asTensor, moduleNode, opNode } from "./nodes";
import { formatShape } from "./shape-math";

/**
 * PyTorch's out_proj class: a Linear under another name (it only changes how quantization treats
 * it), so `isinstance(mha.out_proj, nn.Linear)` holds and it counts, shapes and profiles as one.
 */
export const NonDynamicallyQuantizableLinear: PyClass = nativeClass(
  "NonDynamicallyQuantizableLinear",
  "torch.nn.modules.linear",
  [MISC_CLASSES.Linear],
  {},
);

interface MhaConfig {
  embed: number;
  heads: number;
  kdim: number;
  vdim: number;
  biasKv: boolean;
  zeroAttn: boolean;
  batchFirst: boolean;
  dropout: number;
  bias: boolean;
  outProj: PyInstance;
}

const forwardSpec = ["key", "value", "key_padding_mask=", "need_weights=", "attn_mask=", "average_attn_weights=", "is_causal="];

const MultiheadAttention = defineLayer<MhaConfig>({
  name: "MultiheadAttention",
  inputName: "query",
  spec: ["embed_dim", "num_heads", "dropout=", "bias=", "add_bias_kv=", "add_zero_attn=", "kdim=", "vdim=", "batch_first=", "device=", "dtype="],
  init(ctx, self, a) {
    const embed = toInt(ctx, a.embed_dim, "embed_dim");
    const heads = toInt(ctx, a.num_heads, "num_heads");
    if (embed <= 0 || heads <= 0) {
      ctx.raise("ValueError", `MultiheadAttention: embed_dim and num_heads must be greater than 0, got embed_dim=${embed} and num_heads=${heads}.`);
    }
    if (embed % heads !== 0) ctx.raise("AssertionError", `MultiheadAttention: embed_dim (${embed}) must be divisible by num_heads (${heads}).`);
    const kdim = toInt(ctx, a.kdim, "kdim", embed);
    const vdim = toInt(ctx, a.vdim, "vdim", embed);
    const bias = toBool(ctx, a.bias, true);
    const biasKv = toBool(ctx, a.add_bias_kv, false);
    const zeroAttn = toBool(ctx, a.add_zero_attn, false);
    const batchFirst = toBool(ctx, a.batch_first, false);
    const dropout = toNumber(ctx, a.dropout, "dropout", 0);
    const packed = kdim === embed && vdim === embed;
    // Registration order is PyTorch's, so named_parameters() lists the same names in the same order.
    if (packed) {
      addWeight(ctx, self, "in_proj_weight", [3 * embed, embed]);
      for (const n of ["q_proj_weight", "k_proj_weight", "v_proj_weight"]) registerParam(self, n, null);
    } else {
      addWeight(ctx, self, "q_proj_weight", [embed, embed]);
      addWeight(ctx, self, "k_proj_weight", [embed, kdim]);
      addWeight(ctx, self, "v_proj_weight", [embed, vdim]);
      registerParam(self, "in_proj_weight", null);
    }
    addWeight(ctx, self, "in_proj_bias", [3 * embed], bias);
    const outProj = ctx.call(NonDynamicallyQuantizableLinear, [int(embed), int(embed)], new Map([["bias", bool(bias)]])) as PyInstance;
    registerChild(self, "out_proj", outProj);
    if (biasKv) {
      addWeight(ctx, self, "bias_k", [1, 1, embed]);
      addWeight(ctx, self, "bias_v", [1, 1, embed]);
    } else setAttrs(self, { bias_k: NONE, bias_v: NONE });
    setAttrs(self, {
      embed_dim: int(embed),
      kdim: int(kdim),
      vdim: int(vdim),
      _qkv_same_embed_dim: bool(packed),
      num_heads: int(heads),
      dropout: float(dropout),
      batch_first: bool(batchFirst),
      head_dim: int(embed / heads),
      add_zero_attn: bool(zeroAttn),
    });
    return { embed, heads, kdim, vdim, biasKv, zeroAttn, batchFirst, dropout, bias, outProj };
  },
  forward: (ctx, self, c, query, rest, kwargs) => attentionForward(ctx, self, c, query, rest, kwargs),
});

/** Sequence length, batch and features of a (L, E), (L, N, E) or batch-first (N, L, E) input. */
function layout(s: Shape, batchFirst: boolean): { len: Dim; batch: Dim; feat: Dim } {
  if (s.length === 2) return { len: s[0], batch: 1, feat: s[1] };
  return batchFirst ? { len: s[1], batch: s[0], feat: s[2] } : { len: s[0], batch: s[1], feat: s[2] };
}

function attentionForward(ctx: NativeContext, self: PyInstance, c: MhaConfig, query: PyTensor, rest: Value[], kwargs: Kwargs): Value {
  const label = layerLabel(self, "MultiheadAttention");
  const a = bindArgs(ctx, "MultiheadAttention.forward", rest, kwargs, forwardSpec);
  if (toBool(ctx, a.is_causal, false) && (a.attn_mask === undefined || a.attn_mask.kind === "none")) {
    // PyTorch's own check: is_causal is only a hint about the mask, which must still be passed.
    ctx.raise("RuntimeError", `${label}: is_causal=True needs an attn_mask too (nn.Transformer.generate_square_subsequent_mask makes one).`);
  }
  const key = asTensor(ctx, a.key, "MultiheadAttention.forward", "key");
  const value = asTensor(ctx, a.value, "MultiheadAttention.forward", "value");
  const batched = query.shape.length === 3;
  if (query.shape.length !== 2 && !batched) {
    ctx.reportError(`${label} expects a 2-D (unbatched) or 3-D query, got a ${query.shape.length}-D tensor of shape ${formatShape(query.shape)}.`, "shape-mismatch");
  }
  for (const [what, t] of [["key", key], ["value", value]] as const) {
    if (t.shape.length !== query.shape.length) {
      ctx.reportError(`${label} expects the ${what} to have the query's rank ${query.shape.length}, got shape ${formatShape(t.shape)}.`, "shape-mismatch");
    }
  }
  const q = layout(query.shape, c.batchFirst);
  const k = layout(key.shape, c.batchFirst);
  const v = layout(value.shape, c.batchFirst);
  const mismatch = (what: string, want: number, got: Dim) => {
    if (got !== null && got !== want) ctx.reportError(`${label} expects ${what} of size ${want}, got ${got}.`, "shape-mismatch");
  };
  mismatch("query features", c.embed, q.feat);
  mismatch("key features", c.kdim, k.feat);
  mismatch("value features", c.vdim, v.feat);
  if (k.len !== null && v.len !== null && k.len !== v.len) {
    ctx.reportError(`${label} expects key and value of the same sequence length, got ${k.len} and ${v.len}.`, "shape-mismatch");
  }

  // The learned bias_k/bias_v and add_zero_attn each append one key position.
  const srcLen: Dim = k.len === null ? null : k.len + (c.biasKv ? 1 : 0) + (c.zeroAttn ? 1 : 0);
  const L = q.len ?? 1;
  const S = k.len ?? 1;
  const N = q.batch ?? 1;
  // MACs, matmul convention (no softmax, scaling or bias adds): the q/k/v projections
  // L*E*E + S*E*kdim + S*E*vdim, then Q·Kᵀ and weights·V with L*S'*E each (S' the key length after
  // bias_kv/zero_attn), per batch element. out_proj adds L*E*E on its own Linear node.
  const macs = N * (L * c.embed * c.embed + S * c.embed * c.kdim + S * c.embed * c.vdim + 2 * L * (srcLen ?? 1) * c.embed);
  const outShape: Shape = [...query.shape.slice(0, -1), c.embed];
  const inputs = [query, key, value].filter((t, i, all) => all.findIndex((u) => u.node === t.node) === i);
  const attended = moduleNode(ctx, self, {
    op: "MultiheadAttention",
    category: "dense",
    inputs,
    shape: outShape,
    macs,
    attrs: { embed_dim: c.embed, num_heads: c.heads, kdim: c.kdim, vdim: c.vdim, batch_first: c.batchFirst, dropout: c.dropout, bias: c.bias, add_bias_kv: c.biasKv, add_zero_attn: c.zeroAttn },
  });
  const output = ctx.call(c.outProj, [attended]);

  if (!toBool(ctx, a.need_weights, true)) return tuple([output, NONE]);
  const averaged = toBool(ctx, a.average_attn_weights, true);
  const perHead: Shape = averaged ? [q.len, srcLen] : [c.heads, q.len, srcLen];
  // A node of its own, fed by the attention node: the IR gives each node one shape.
  const weights = opNode(ctx, { op: "attn_weights", name: "attn_weights", category: "math", inputs: [attended], shape: batched ? [q.batch, ...perHead] : perHead });
  return tuple([output, weights]);
}

export const ATTENTION_CLASSES: Record<string, PyClass> = { MultiheadAttention };
