// nn.RNN / nn.LSTM / nn.GRU and their cells: PyTorch's parameter counts, names and shapes, the
// (output, h_n) / (output, (h_n, c_n)) results, and MACs.
// Per layer and direction PyTorch registers weight_ih [G*H, in], weight_hh [G*H, H_out] and, with
// bias, bias_ih + bias_hh [G*H] (G = 4 LSTM, 3 GRU, 1 RNN); in = input_size for layer 0, else
// H_out * directions; an LSTM with proj_size P adds weight_hr [P, H] and has H_out = P.

import { test } from "node:test";
import assert from "node:assert/strict";
import { fakeContext } from "../../helpers/fake-context";
import { type PyInstance, type Value, bool, int, str } from "../../../src/interp/values";
import { torchParamTotals } from "../../../src/frameworks/torch/index";
import { asTensor, input, layer, nodeOf } from "./torch-test-kit";

const params = (m: PyInstance) => torchParamTotals(m).params;
const items = (v: Value): Value[] => {
  if (v.kind !== "tuple") throw new Error(`expected a tuple, got ${v.kind}`);
  return v.items;
};
const shapeOf = (v: Value) => asTensor(v).shape;

function paramShapes(ctx: ReturnType<typeof fakeContext>, m: PyInstance): [string, unknown][] {
  return ctx.iterate(ctx.call(ctx.getAttr(m, "named_parameters"), [])).map((t) => {
    const [name, p] = items(t);
    return [name.kind === "str" ? name.v : "?", ctx.getAttr(p, "shape")];
  });
}

test("LSTM(10, 20, 2): 5,920 params, PyTorch's names and shapes, (output, (h_n, c_n)), MACs", () => {
  // Layer 0: 80*10 + 80*20 + 2*80 = 2,560; layer 1 (input 20): 80*20 + 80*20 + 2*80 = 3,360.
  assert.equal(2560 + 3360, 5920);
  const ctx = fakeContext();
  const lstm = layer(ctx, "LSTM", [int(10), int(20), int(2)]);
  assert.equal(params(lstm), 5920);
  const shapes = paramShapes(ctx, lstm).map(([n, s]) => [n, ctx.repr(s as Value)]);
  assert.deepEqual(shapes, [
    ["weight_ih_l0", "(80, 10)"], ["weight_hh_l0", "(80, 20)"], ["bias_ih_l0", "(80)"], ["bias_hh_l0", "(80)"],
    ["weight_ih_l1", "(80, 20)"], ["weight_hh_l1", "(80, 20)"], ["bias_ih_l1", "(80)"], ["bias_hh_l1", "(80)"],
  ]);
  const [out, state] = items(ctx.call(lstm, [input(ctx, [5, 3, 10])]));
  const [h, c] = items(state);
  assert.deepEqual(shapeOf(out), [5, 3, 20]);
  assert.deepEqual(shapeOf(h), [2, 3, 20]);
  assert.deepEqual(shapeOf(c), [2, 3, 20]);
  const n = nodeOf(ctx.nodes, out);
  assert.equal(n.op, "LSTM");
  assert.equal(n.params, 5920);
  // Per step and batch element: 80*(10 + 20) + 80*(20 + 20) = 5,600; 5 steps x 3 sequences.
  assert.equal(n.macs, 15 * 5600);
  assert.equal(nodeOf(ctx.nodes, h).op, "h_n");
  assert.deepEqual(nodeOf(ctx.nodes, h).inputs.map((t) => t.node), [n.id]);
  assert.equal(nodeOf(ctx.nodes, c).op, "c_n");
  assert.deepEqual(ctx.messages, []);
});

test("bidirectional batch-first LSTM(10, 20, 2): 15,040 params, output 2H wide, h_n (4, N, H)", () => {
  // Layer 0: 2 * 2,560; layer 1 takes both directions (40 features): 2 * (80*40 + 80*20 + 160) = 9,920.
  assert.equal(2 * 2560 + 2 * (80 * 40 + 80 * 20 + 160), 15040);
  const ctx = fakeContext();
  const lstm = layer(ctx, "LSTM", [int(10), int(20), int(2)], { bidirectional: bool(true), batch_first: bool(true) });
  assert.equal(params(lstm), 15040);
  assert.deepEqual(ctx.getAttr(ctx.getAttr(lstm, "weight_ih_l1_reverse"), "shape").kind, "tuple");
  const [out, state] = items(ctx.call(lstm, [input(ctx, [3, 5, 10])]));
  assert.deepEqual(shapeOf(out), [3, 5, 40]);
  // h_n is (layers * directions, N, H) whatever batch_first says.
  assert.deepEqual(shapeOf(items(state)[0]), [4, 3, 20]);
  assert.equal(nodeOf(ctx.nodes, out).macs, 15 * 2 * (80 * 30 + 80 * 60));
});

test("GRU(10, 20) = 1,920 and RNN(10, 20) = 640 params; (output, h_n); unbatched inputs", () => {
  const ctx = fakeContext();
  const gru = layer(ctx, "GRU", [int(10), int(20)]);
  assert.equal(params(gru), 60 * 10 + 60 * 20 + 2 * 60);
  assert.equal(params(gru), 1920);
  const [out, h] = items(ctx.call(gru, [input(ctx, [7, 2, 10])]));
  assert.deepEqual(shapeOf(out), [7, 2, 20]);
  assert.deepEqual(shapeOf(h), [1, 2, 20]);
  assert.equal(nodeOf(ctx.nodes, out).macs, 14 * 60 * 30);

  const rnn = layer(ctx, "RNN", [int(10), int(20)]);
  assert.equal(params(rnn), 20 * 10 + 20 * 20 + 2 * 20);
  assert.equal(params(rnn), 640);
  const [o, hn] = items(ctx.call(rnn, [input(ctx, [7, 10])]));
  assert.deepEqual(shapeOf(o), [7, 20]);
  assert.deepEqual(shapeOf(hn), [1, 20]);
  assert.deepEqual(ctx.getAttr(rnn, "mode"), str("RNN_TANH"));

  // PyTorch 2 takes nonlinearity as nn.RNN's fourth positional argument.
  const relu = layer(ctx, "RNN", [int(10), int(20), int(1), str("relu")]);
  assert.deepEqual(ctx.getAttr(relu, "nonlinearity"), str("relu"));
  assert.deepEqual(ctx.getAttr(relu, "mode"), str("RNN_RELU"));
  assert.throws(() => layer(ctx, "RNN", [int(10), int(20)], { nonlinearity: str("sigmoid") }), /unknown nonlinearity 'sigmoid'/);
});

test("LSTM with proj_size: weight_hr, outputs and h_n P wide, c_n H wide", () => {
  // Layer 0: 80*10 + 80*5 + 160 + 5*20 = 1,460; layer 1 (input 5): 80*5 + 80*5 + 160 + 100 = 1,060.
  const ctx = fakeContext();
  const lstm = layer(ctx, "LSTM", [int(10), int(20), int(2)], { proj_size: int(5) });
  assert.equal(params(lstm), 1460 + 1060);
  assert.deepEqual(paramShapes(ctx, lstm).map(([n]) => n).slice(0, 5), ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0"]);
  const [out, state] = items(ctx.call(lstm, [input(ctx, [4, 2, 10])]));
  assert.deepEqual(shapeOf(out), [4, 2, 5]);
  assert.deepEqual(shapeOf(items(state)[0]), [2, 2, 5]);
  assert.deepEqual(shapeOf(items(state)[1]), [2, 2, 20]);
  // Per step: 80*(10 + 5) + 20*5 + 80*(5 + 5) + 20*5.
  assert.equal(nodeOf(ctx.nodes, out).macs, 8 * (80 * 15 + 100 + 80 * 10 + 100));
  // Bidirectional: layer 1 reads both directions' projections (10 features).
  const bi = layer(ctx, "LSTM", [int(10), int(20), int(2)], { proj_size: int(5), bidirectional: bool(true) });
  assert.equal(params(bi), 2 * 1460 + 2 * (80 * 10 + 80 * 5 + 160 + 100));
  assert.throws(() => layer(ctx, "LSTM", [int(10), int(20)], { proj_size: int(20) }), /proj_size \(20\) has to be smaller than hidden_size \(20\)/);
});

test("bias=False registers no bias parameters; h_0 of the wrong shape and wrong features are reported", () => {
  const ctx = fakeContext();
  const lstm = layer(ctx, "LSTM", [int(10), int(20)], { bias: bool(false) });
  assert.equal(params(lstm), 80 * 10 + 80 * 20);
  assert.deepEqual(paramShapes(ctx, lstm).map(([n]) => n), ["weight_ih_l0", "weight_hh_l0"]);
  const gru = layer(ctx, "GRU", [int(10), int(20)]);
  const x = input(ctx, [5, 3, 12]);
  const h0 = input(ctx, [1, 4, 20], "h0");
  const [out] = items(ctx.call(gru, [x, h0]));
  assert.deepEqual(shapeOf(out), [5, 3, 20]);
  assert.deepEqual(nodeOf(ctx.nodes, out).inputs.map((t) => t.node), ["x", "h0"]);
  assert.deepEqual(ctx.messages, [
    "error: GRU expects input features of size 10, got 12.",
    "error: GRU expects h_0 of shape [1, 3, 20], got [1, 4, 20].",
  ]);
});

test("LSTMCell / GRUCell / RNNCell: one step, PyTorch's counts, (h, c) for the LSTM cell", () => {
  const ctx = fakeContext();
  const lc = layer(ctx, "LSTMCell", [int(10), int(20)]);
  assert.equal(params(lc), 80 * 10 + 80 * 20 + 160);
  const [h, c] = items(ctx.call(lc, [input(ctx, [3, 10])]));
  assert.deepEqual(shapeOf(h), [3, 20]);
  assert.deepEqual(shapeOf(c), [3, 20]);
  assert.equal(nodeOf(ctx.nodes, h).macs, 3 * 80 * 30);
  const gc = layer(ctx, "GRUCell", [int(10), int(20)]);
  assert.equal(params(gc), 1920);
  assert.deepEqual(shapeOf(ctx.call(gc, [input(ctx, [10])])), [20]);
  const rc = layer(ctx, "RNNCell", [int(10), int(20)], { bias: bool(false) });
  assert.equal(params(rc), 600);
  assert.deepEqual(ctx.getAttr(rc, "bias_ih").kind, "none");
  const y = ctx.call(rc, [input(ctx, [4, 10]), input(ctx, [4, 20], "h")]);
  assert.deepEqual(shapeOf(y), [4, 20]);
  assert.deepEqual(ctx.messages, []);
});
