// nn.MultiheadAttention: PyTorch's parameter layout (packed in_proj_weight, or separate q/k/v
// projections when kdim/vdim differ), the out_proj child, output and attention-weight shapes in
// both layouts, and MACs.

import { test } from "node:test";
import assert from "node:assert/strict";
import { fakeContext } from "../../helpers/fake-context";
import { type PyInstance, type Value, bool, int, isInstanceOf } from "../../../src/interp/values";
import { torchParamTotals } from "../../../src/frameworks/torch/index";
import { asTensor, input, layer, nnClass, nodeOf } from "./torch-test-kit";

const params = (m: PyInstance) => torchParamTotals(m).params;
const pair = (v: Value): [Value, Value] => {
  if (v.kind !== "tuple" || v.items.length !== 2) throw new Error("expected a pair");
  return [v.items[0], v.items[1]];
};
const shapeOf = (v: Value) => asTensor(v).shape;

test("MultiheadAttention(512, 8): 1,050,624 params, out_proj a Linear child, (L, N, E) in and out", () => {
  // in_proj_weight 3*512*512 + in_proj_bias 3*512 + out_proj 512*512 + 512.
  const E = 512;
  assert.equal(3 * E * E + 3 * E + E * E + E, 1050624);
  const ctx = fakeContext();
  const mha = layer(ctx, "MultiheadAttention", [int(E), int(8)]);
  assert.equal(params(mha), 1050624);
  const outProj = ctx.getAttr(mha, "out_proj") as PyInstance;
  assert.ok(isInstanceOf(outProj, nnClass("Linear")));
  assert.equal(outProj.cls.name, "NonDynamicallyQuantizableLinear");
  assert.equal(params(outProj), E * E + E);
  assert.equal(ctx.getAttr(mha, "q_proj_weight").kind, "none");
  assert.deepEqual(ctx.getAttr(mha, "head_dim"), int(64));
  const names = ctx.iterate(ctx.call(ctx.getAttr(mha, "named_parameters"), [])).map((t) => (t.kind === "tuple" && t.items[0].kind === "str" ? t.items[0].v : "?"));
  assert.deepEqual(names, ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]);

  const x = input(ctx, [10, 2, E]);
  const [out, weights] = pair(ctx.call(mha, [x, x, x]));
  assert.deepEqual(shapeOf(out), [10, 2, E]);
  assert.deepEqual(shapeOf(weights), [2, 10, 10]);
  const attn = ctx.nodes.find((n) => n.op === "MultiheadAttention")!;
  const proj = nodeOf(ctx.nodes, out);
  assert.equal(proj.op, "Linear");
  assert.equal(proj.layer, outProj);
  // Self-attention: one input edge. Own params only on the attention node; out_proj carries its own.
  assert.deepEqual(attn.inputs.map((t) => t.node), ["x"]);
  assert.equal(attn.params, 3 * E * E + 3 * E);
  assert.equal(proj.params, E * E + E);
  // Per sequence: q, k, v projections 3*L*E*E, then Q·Kᵀ and weights·V 2*L*S*E; out_proj L*E*E.
  assert.equal(attn.macs, 2 * (3 * 10 * E * E + 2 * 10 * 10 * E));
  assert.equal(proj.macs, 2 * 10 * E * E);
  assert.equal(nodeOf(ctx.nodes, weights).op, "attn_weights");
  assert.deepEqual(ctx.messages, []);
});

test("kdim = vdim = 256: separate q/k/v projection weights, 788,480 params; cross-attention shapes", () => {
  // q_proj 512*512 + k_proj 512*256 + v_proj 512*256 + in_proj_bias 3*512 + out_proj 512*512 + 512.
  const expected = 512 * 512 + 512 * 256 + 512 * 256 + 3 * 512 + 512 * 512 + 512;
  assert.equal(expected, 788480);
  const ctx = fakeContext();
  const mha = layer(ctx, "MultiheadAttention", [int(512), int(8)], { kdim: int(256), vdim: int(256) });
  assert.equal(params(mha), 788480);
  assert.equal(ctx.getAttr(mha, "in_proj_weight").kind, "none");
  assert.deepEqual(ctx.getAttr(mha, "_qkv_same_embed_dim"), bool(false));
  const q = input(ctx, [10, 2, 512], "q");
  const kv = input(ctx, [7, 2, 256], "kv");
  const [out, weights] = pair(ctx.call(mha, [q, kv, kv]));
  assert.deepEqual(shapeOf(out), [10, 2, 512]);
  assert.deepEqual(shapeOf(weights), [2, 10, 7]);
  const attn = ctx.nodes.find((n) => n.op === "MultiheadAttention")!;
  assert.deepEqual(attn.inputs.map((t) => t.node), ["q", "kv"]);
  assert.equal(attn.macs, 2 * (10 * 512 * 512 + 7 * 512 * 256 + 7 * 512 * 256 + 2 * 10 * 7 * 512));
  assert.deepEqual(ctx.messages, []);
});

test("batch_first, need_weights=False, per-head weights, is_causal without a mask, unbatched input", () => {
  const ctx = fakeContext();
  const mha = layer(ctx, "MultiheadAttention", [int(64), int(4)], { batch_first: bool(true) });
  const x = input(ctx, [3, 9, 64]);
  const [out, weights] = pair(ctx.call(mha, [x, x, x], new Map([["need_weights", bool(false)]])));
  assert.deepEqual(shapeOf(out), [3, 9, 64]);
  assert.equal(weights.kind, "none");
  const [, perHead] = pair(ctx.call(mha, [x, x, x], new Map([["average_attn_weights", bool(false)]])));
  assert.deepEqual(shapeOf(perHead), [3, 4, 9, 9]);
  assert.throws(() => ctx.call(mha, [x, x, x], new Map([["is_causal", bool(true)]])), /is_causal=True needs an attn_mask too/);
  const [o, w] = pair(ctx.call(mha, [input(ctx, [5, 64], "u"), input(ctx, [6, 64], "k"), input(ctx, [6, 64], "v")]));
  assert.deepEqual(shapeOf(o), [5, 64]);
  assert.deepEqual(shapeOf(w), [5, 6]);
  assert.deepEqual(ctx.messages, []);
});

test("add_bias_kv and add_zero_attn each add a key position; bias=False; bad sizes are reported", () => {
  const ctx = fakeContext();
  const mha = layer(ctx, "MultiheadAttention", [int(32), int(4)], { add_bias_kv: bool(true), add_zero_attn: bool(true) });
  assert.equal(params(mha), 4 * 32 * 32 + 4 * 32 + 2 * 32);
  const x = input(ctx, [6, 1, 32]);
  assert.deepEqual(shapeOf(pair(ctx.call(mha, [x, x, x]))[1]), [1, 6, 8]);
  const noBias = layer(ctx, "MultiheadAttention", [int(32), int(4)], { bias: bool(false) });
  assert.equal(params(noBias), 4 * 32 * 32);
  assert.equal(ctx.getAttr(noBias, "in_proj_bias").kind, "none");
  assert.throws(() => layer(ctx, "MultiheadAttention", [int(30), int(4)]), /embed_dim \(30\) must be divisible by num_heads \(4\)/);
  const q = input(ctx, [6, 1, 16], "q");
  ctx.call(noBias, [q, x, input(ctx, [5, 1, 32], "v")]);
  assert.deepEqual(ctx.messages, [
    "error: MultiheadAttention expects query features of size 32, got 16.",
    "error: MultiheadAttention expects key and value of the same sequence length, got 6 and 5.",
  ]);
});
