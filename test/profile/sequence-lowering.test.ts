// The lowerings of recurrent layers, attention, layer/group norm, embeddings and the indexing /
// transpose / expand nodes compute what the frameworks compute: one seeded forward pass (cpu) is
// compared with plain-JavaScript references (reference.ts) on the plan's own inputs and weights.
// Nodes the IR does not describe well enough are skipped with reasons that say what is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBackend } from "../../backends/registry";
import type { GraphIR } from "../../src/ir/types";
import { buildPlan, consumerCounts, disposeOutputs, disposePlan, estimateMemory, runPass, type Plan, type Tf, type TfTensor } from "../../src/profile";
import { ALL, irOf, expectIndex } from "./helpers";
import { attentionReference, type Mat, maxDiff, normalise, recurrentReference, type RecurrentWeights, swap01 } from "./reference";

const nested = (t: TfTensor) => (t as unknown as { arraySync(): unknown }).arraySync();


interface Pass {
  plan: Plan;
  /** Nested values of each requested node, plus the plan's inputs and weights. */
  value(id: string): any;
  weight(key: string): any;
  input(id: string): any;
}

/** One seeded pass returning the values of `outputs` (the model's by default). */
function pass(tf: Tf, ir: GraphIR, outputs = ir.outputs, fn: (p: Pass) => void): void {
  const plan = buildPlan(tf, { ...ir, outputs }, { batch: ir.inputShapes[0][0] ?? 1, seed: 7 });
  try {
    assert.deepEqual(plan.skipped, []);
    const outs = runPass(plan, consumerCounts(plan));
    const byId = new Map(outputs.map((id, i) => [id, nested(outs[i])]));
    try {
      fn({
        plan,
        value: (id) => byId.get(id),
        weight: (key) => nested(plan.weightsByKey.get(key) ?? assert.fail(`no weight ${key}`)),
        input: (id) => nested(plan.constants.get(id)!),
      });
    } finally {
      disposeOutputs(plan, outs);
    }
  } finally {
    disposePlan(plan);
  }
}

/** NHWC nested array → NCHW. */
function toNchw(tf: Tf, x: number[][][][]): number[][][][] {
  const t = (tf as unknown as { tensor(v: unknown): TfTensor }).tensor(x);
  const y = tf.transpose(t, [0, 3, 1, 2]);
  const out = nested(y) as number[][][][];
  t.dispose();
  y.dispose();
  return out;
}

const RECURRENT = `
import torch.nn as nn

class Rec(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(5, 4, num_layers=2, bidirectional=True, proj_size=3)
        self.gru = nn.GRU(6, 3, batch_first=True, bidirectional=True)
        self.rnn = nn.RNN(6, 3, nonlinearity="relu", batch_first=True)

    def forward(self, x):
        y, (h, c) = self.lstm(x)
        z, hg = self.gru(y.transpose(0, 1))
        r, hr = self.rnn(z)
        return y, h, c, z, hg, r
`;

const recIr = () => irOf("rec.py", "Rec()", [[4, 2, 5]], RECURRENT);

function recurrentWeights(p: Pass, layer: string, layers: number, dirs: number, proj: boolean): RecurrentWeights[][] {
  return Array.from({ length: layers }, (_, l) =>
    Array.from({ length: dirs }, (_, d) => {
      const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
      const w = (name: string) => p.weight(`${layer}/${name}${sfx}`);
      return { wih: w("weight_ih"), whh: w("weight_hh"), bih: w("bias_ih"), bhh: w("bias_hh"), whr: proj ? w("weight_hr") : undefined };
    }),
  );
}

test("LSTM (2 layers, bidirectional, proj_size, sequence-first), GRU and RNN equal PyTorch's equations; h_n / c_n come from the same step", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = recIr();
  assert.equal(ir.nodes.find((n) => n.id === "rnn")!.attrs.nonlinearity, "relu", "the analyzer records the RNN's nonlinearity");
  pass(tf, ir, ir.outputs, (p) => {
    const h = p.plan.steps.find((s) => s.id === "lstm/h_n")!;
    assert.deepEqual(h.inputs, ["lstm#h_n"]);
    assert.deepEqual(p.plan.steps.find((s) => s.id === "lstm")!.sideOutputs, ["lstm#h_n", "lstm#c_n"]);
    // PyTorch: weight_ih 16x5 + 16x3, weight_hh 16x3 x 2, biases, weight_hr 3x4, per layer and direction.
    assert.equal(p.plan.weightCount, 951);
    assert.equal(p.plan.weightCount, ir.paramTotals.params);

    const x = swap01(p.input("input") as number[][][]);
    const lstm = recurrentReference("LSTM", x, recurrentWeights(p, "lstm", 2, 2, true), { hidden: 4 });
    assert.ok(maxDiff(swap01(p.value("lstm")), lstm.out) < 1e-5, "LSTM output");
    assert.ok(maxDiff(p.value("lstm/h_n"), lstm.hN) < 1e-5, "LSTM h_n");
    assert.ok(maxDiff(p.value("lstm/c_n"), lstm.cN) < 1e-5, "LSTM c_n");
    const gru = recurrentReference("GRU", lstm.out, recurrentWeights(p, "gru", 1, 2, false), { hidden: 3 });
    assert.ok(maxDiff(p.value("gru"), gru.out) < 1e-5, "GRU output");
    assert.ok(maxDiff(p.value("gru/h_n"), gru.hN) < 1e-5, "GRU h_n");
    const rnn = recurrentReference("RNN", gru.out, recurrentWeights(p, "rnn", 1, 1, false), { hidden: 3, relu: true });
    assert.ok(maxDiff(p.value("rnn"), rnn.out) < 1e-5, "RNN output");
    // Values are not trivially small: the comparison means something.
    assert.ok(maxDiff(p.value("lstm/c_n"), lstm.cN.map((l) => l.map((r) => r.map(() => 0)))) > 0.01);
  });
});

test("an RNN whose node does not record its nonlinearity is skipped, saying which attribute is missing", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = recIr();
  for (const n of ir.nodes) delete n.attrs.nonlinearity;
  const plan = buildPlan(tf, ir, { batch: 4 });
  try {
    assert.deepEqual(plan.skipped.map((s) => s.id), ["rnn", "rnn/h_n"]);
    assert.match(plan.skipped[0].reason, /^RNN does not record its nonlinearity \(tanh or relu\): the IR node has no 'nonlinearity' attribute, so it is not profiled\. Its output is replaced by a random \[2, 4, 3\] tensor/);
    assert.match(plan.skipped[1].reason, /^It takes the h_n that RNN 'rnn' computes, and 'rnn' was not profiled\./);
  } finally {
    disposePlan(plan);
  }
});

const ATTENTION = `
import torch.nn as nn

class Att(nn.Module):
    def __init__(self):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(8, 2)
        self.cross = nn.MultiheadAttention(8, 4, kdim=6, vdim=5, batch_first=True)

    def forward(self, x, k, v):
        a, w = self.self_attn(x, x, x)
        out, _ = self.cross(a.transpose(0, 1), k, v, need_weights=False)
        return a, w, out
`;

/** Columns [from, from + width) of a [rows][cols] matrix. */
const cols = (m: Mat, from: number, width: number): Mat => m.map((r) => r.slice(from, from + width));

test("torch MultiheadAttention (packed self-attention, sequence-first; kdim/vdim cross-attention, batch-first) equals softmax(QKᵀ/√d)V; attn_weights averaged over heads", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = irOf("att.py", "Att()", [[3, 2, 8], [2, 5, 6], [2, 5, 5]], ATTENTION);
  assert.equal(ir.nodes.find((n) => n.id === "self_attn")!.params, 3 * 8 * 8 + 3 * 8);
  pass(tf, ir, ["self_attn", "self_attn/attn_weights", "transpose", "cross", ...ir.outputs], (p) => {
    assert.equal(p.plan.weightCount, ir.paramTotals.params);
    const w = p.weight("self_attn/in_proj_weight") as Mat;
    const b = p.weight("self_attn/in_proj_bias") as number[];
    const x = swap01(p.input("input") as number[][][]);
    const self = attentionReference(x, x, x, { wq: cols(w, 0, 8), bq: b.slice(0, 8), wk: cols(w, 8, 8), bk: b.slice(8, 16), wv: cols(w, 16, 8), bv: b.slice(16), heads: 2 });
    assert.ok(maxDiff(swap01(p.value("self_attn")), self.out) < 1e-5, "self-attention output");
    const averaged = self.weights.map((heads) => heads[0].map((row, i) => row.map((_, j) => (heads[0][i][j] + heads[1][i][j]) / 2)));
    assert.ok(maxDiff(p.value("self_attn/attn_weights"), averaged) < 1e-6, "averaged weights");

    const cb = p.weight("cross/in_proj_bias") as number[];
    const cross = attentionReference(p.value("transpose"), p.input("input_1"), p.input("input_2"), {
      wq: p.weight("cross/q_proj_weight"),
      bq: cb.slice(0, 8),
      wk: p.weight("cross/k_proj_weight"),
      bk: cb.slice(8, 16),
      wv: p.weight("cross/v_proj_weight"),
      bv: cb.slice(16),
      heads: 4,
    });
    assert.ok(maxDiff(p.value("cross"), cross.out) < 1e-5, "cross-attention output");
  });
});

test("MultiheadAttention with add_bias_kv is skipped, saying why, rather than built without bias_k / bias_v", async () => {
  const { tf } = await loadBackend("cpu");
  const src = `
import torch.nn as nn

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.att = nn.MultiheadAttention(8, 2, add_bias_kv=True, batch_first=True)

    def forward(self, x):
        return self.att(x, x, x, need_weights=False)[0]
`;
  const plan = buildPlan(tf, irOf("m.py", "M()", [[2, 3, 8]], src), { batch: 2 });
  try {
    assert.equal(plan.skipped[0].id, "att");
    assert.match(plan.skipped[0].reason, /^MultiheadAttention 'att' uses add_bias_kv or add_zero_attn \(an extra key position\), which the profiler does not build; not profiled\./);
  } finally {
    disposePlan(plan);
  }
});

const KERAS_ATTENTION = `
import keras
from keras import layers

q = keras.Input(shape=(3, 8))
v = keras.Input(shape=(5, 6))
k = keras.Input(shape=(5, 4))
out, scores = layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=4, output_shape=7)(q, v, key=k, return_attention_scores=True)
model = keras.Model([q, v, k], [out, scores])
`;

test("Keras MultiHeadAttention (query, value, key; value_dim and output_shape) equals its four projections around softmax(QKᵀ/√d)V", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = irOf("k.py", "model", [[2, 3, 8], [2, 5, 6], [2, 5, 4]], KERAS_ATTENTION);
  const [qId, vId, kId] = ir.inputs;
  pass(tf, ir, ir.outputs, (p) => {
    assert.equal(p.plan.weightCount, ir.paramTotals.params);
    const w = (name: string) => p.weight(`${ir.nodes.find((n) => n.op === "MultiHeadAttention")!.id}/${name}`);
    const ref = attentionReference(p.input(qId), p.input(kId), p.input(vId), {
      wq: w("query/kernel"),
      bq: w("query/bias"),
      wk: w("key/kernel"),
      bk: w("key/bias"),
      wv: w("value/kernel"),
      bv: w("value/bias"),
      heads: 2,
    });
    const wo = w("attention_output/kernel") as Mat;
    const bo = w("attention_output/bias") as number[];
    const out = ref.out.map((rows) => rows.map((r) => r.reduce((acc, x, i) => acc.map((y, j) => y + x * wo[i][j]), [...bo])));
    assert.ok(maxDiff(p.value(ir.outputs[0]), out) < 1e-5, "attention output");
    assert.ok(maxDiff(p.value(ir.outputs[1]), ref.weights) < 1e-6, "attention scores [B, heads, Tq, Tk]");
  });
});

const KERAS_RECURRENT = `
import keras
from keras import layers

x = keras.Input(shape=(5, 3))
a = layers.LSTM(4, return_sequences=True)(x)
o, h, c = layers.LSTM(2, return_state=True)(a)
g = layers.GRU(3, return_sequences=True, go_backwards=True)(a)
g2 = layers.GRU(2, reset_after=False)(g)
r = layers.SimpleRNN(3, activation="relu", return_sequences=True)(a)
b = layers.Bidirectional(layers.GRU(2, return_sequences=True), merge_mode="sum")(r)
model = keras.Model(x, [a, o, h, c, g, g2, r, b])
`;

/** A Keras layer's weights as the reference takes them: kernel, recurrent kernel, input and recurrent bias. */
function kerasRecurrentWeights(p: Pass, layer: string, prefix = "", twoBiases = false): RecurrentWeights[] {
  const w = (name: string) => p.weight(`${layer}/${prefix}${name}`);
  const kernel = w("kernel") as Mat;
  const bias = w("bias") as number[] | number[][];
  const [bih, bhh] = twoBiases ? (bias as number[][]) : [bias as number[], (bias as number[]).map(() => 0)];
  return [{ wih: kernel, whh: w("recurrent_kernel"), bih, bhh }];
}

test("Keras LSTM (return_state), GRU (go_backwards; reset_after either way), SimpleRNN (relu) and Bidirectional (sum) equal Keras's equations in Keras's weight layout", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = irOf("k.py", "model", [[2, 5, 3]], KERAS_RECURRENT);
  const id = (op: string, i = 0) => ir.nodes.filter((n) => n.op === op)[i].id;
  pass(tf, ir, ir.outputs, (p) => {
    // LSTM 4·(3·4 + 4·4 + 4) = 128, LSTM 4·(4·2 + 2·2 + 2) = 56, GRU 3·(4·3 + 3·3) + 2·9 = 81,
    // GRU reset_after=False 3·(3·2 + 2·2 + 2) = 36, SimpleRNN 4·3 + 3·3 + 3 = 24, Bidirectional 2·(3·(3·2 + 2·2) + 2·6) = 84.
    assert.equal(p.plan.weightCount, 409);
    assert.equal(p.plan.weightCount, ir.paramTotals.params);
    const x = p.input(ir.inputs[0]) as number[][][];
    const lstm = recurrentReference("LSTM", x, [kerasRecurrentWeights(p, id("LSTM"))], { hidden: 4 });
    assert.ok(maxDiff(p.value(ir.outputs[0]), lstm.out) < 1e-5, "LSTM sequence");
    const last = recurrentReference("LSTM", lstm.out, [kerasRecurrentWeights(p, id("LSTM", 1))], { hidden: 2 });
    assert.ok(maxDiff(p.value(ir.outputs[1]), last.hN[0]) < 1e-5, "LSTM output (last state)");
    assert.ok(maxDiff(p.value(ir.outputs[2]), last.hN[0]) < 1e-5, "state_h");
    assert.ok(maxDiff(p.value(ir.outputs[3]), last.cN[0]) < 1e-5, "state_c");
    // go_backwards: the reference's backward direction, its outputs in the order the steps ran.
    const gruW = kerasRecurrentWeights(p, id("GRU"), "", true);
    const back = recurrentReference("GRU", lstm.out, [[gruW[0], gruW[0]]], { hidden: 3, kerasGates: true });
    const backOnly = back.out.map((seq) => seq.map((v) => v.slice(3)).reverse());
    assert.ok(maxDiff(p.value(ir.outputs[4]), backOnly) < 1e-5, "GRU go_backwards");
    const g2 = recurrentReference("GRU", backOnly, [kerasRecurrentWeights(p, id("GRU", 1))], { hidden: 2, kerasGates: true, resetAfter: false });
    assert.ok(maxDiff(p.value(ir.outputs[5]), g2.hN[0]) < 1e-5, "GRU reset_after=False");
    const rnn = recurrentReference("RNN", lstm.out, [kerasRecurrentWeights(p, id("SimpleRNN"))], { hidden: 3, relu: true });
    assert.ok(maxDiff(p.value(ir.outputs[6]), rnn.out) < 1e-5, "SimpleRNN");
    const bi = id("Bidirectional");
    const both = recurrentReference("GRU", rnn.out, [[kerasRecurrentWeights(p, bi, "forward_", true)[0], kerasRecurrentWeights(p, bi, "backward_", true)[0]]], { hidden: 2, kerasGates: true });
    const summed = both.out.map((seq) => seq.map((v) => [v[0] + v[2], v[1] + v[3]]));
    assert.ok(maxDiff(p.value(ir.outputs[7]), summed) < 1e-5, "Bidirectional sum");
    assert.ok(maxDiff(p.value(ir.outputs[7]), summed.map((s) => s.map((v) => v.map(() => 0)))) > 0.01, "values are not trivially small");
  });
});

const NORMS = `
import torch.nn as nn

class Norms(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_hw = nn.LayerNorm([4, 5], eps=1e-3)
        self.gn = nn.GroupNorm(2, 6)
        self.ln_c = nn.LayerNorm(6, bias=False)

    def forward(self, x):
        a = self.ln_hw(x)
        b = self.gn(a)
        c = self.ln_c(b.flatten(2).transpose(1, 2))
        return a, b, c
`;

test("torch LayerNorm over H, W of an NCHW tensor, GroupNorm, and LayerNorm without bias normalise as PyTorch does", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = irOf("n.py", "Norms()", [[2, 6, 4, 5]], NORMS);
  pass(tf, ir, ir.outputs, (p) => {
    assert.equal(p.plan.weightCount, 2 * 20 + 2 * 6 + 6);
    assert.equal(p.plan.weightCount, ir.paramTotals.params);
    assert.equal(p.plan.weightsByKey.has("ln_c/bias"), false);
    const x = toNchw(tf, p.input("input"));
    const [lw, lb] = [p.weight("ln_hw/weight"), p.weight("ln_hw/bias")] as number[][][][];
    const a = x.map((n) => n.map((ch) => {
      const flat = normalise(ch.flat(), 1e-3);
      return ch.map((row, h) => row.map((_, w) => flat[h * 5 + w] * lw[h][w][0] + lb[h][w][0]));
    }));
    assert.ok(maxDiff(toNchw(tf, p.value("ln_hw")), a) < 1e-5, "LayerNorm([4, 5])");
    const [gw, gb] = [p.weight("gn/weight"), p.weight("gn/bias")] as number[][];
    const b = a.map((n) => {
      const groups = [0, 1].map((g) => normalise(n.slice(3 * g, 3 * g + 3).flat(2), 1e-5));
      return n.map((ch, c) => ch.map((row, h) => row.map((_, w) => groups[Math.floor(c / 3)][(c % 3) * 20 + h * 5 + w] * gw[c] + gb[c])));
    });
    assert.ok(maxDiff(toNchw(tf, p.value("gn")), b) < 1e-5, "GroupNorm(2, 6)");
    const cw = p.weight("ln_c/weight") as number[];
    const c = b.map((n) => Array.from({ length: 20 }, (_, s) => normalise(n.map((ch) => ch[Math.floor(s / 5)][s % 5]), 1e-5).map((v, ch) => v * cw[ch])));
    assert.ok(maxDiff(p.value("ln_c"), c) < 1e-5, "LayerNorm(6, bias=False)");
  });
});

const KERAS_NORMS = `
import keras
from keras import layers

x = keras.Input(shape=(3, 4, 6))
a = layers.LayerNormalization(axis=[1, 2])(x)
b = layers.LayerNormalization(rms_scaling=True)(x)
c = layers.GroupNormalization(groups=2)(x)
model = keras.Model(x, [a, b, c])
`;

test("Keras LayerNormalization over two axes, with rms_scaling, and GroupNormalization normalise as Keras does", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = irOf("kn.py", "model", [[2, 3, 4, 6]], KERAS_NORMS);
  const [a, b, c] = ir.outputs;
  pass(tf, ir, ir.outputs, (p) => {
    assert.equal(p.plan.weightCount, 2 * 12 + 6 + 2 * 6);
    assert.equal(p.plan.weightCount, ir.paramTotals.params);
    const x = p.input(ir.inputs[0]) as number[][][][];
    const [ag, ab] = [p.weight(`${a}/gamma`), p.weight(`${a}/beta`)] as number[][][][];
    const refA = x.map((n) => {
      // Over axes 1 and 2, separately for each of the 6 features.
      const per = Array.from({ length: 6 }, (_, f) => normalise(n.flatMap((r) => r.map((v) => v[f])), 1e-3));
      return n.map((r, i) => r.map((v, j) => v.map((_, f) => per[f][i * 4 + j] * ag[i][j][0] + ab[i][j][0])));
    });
    assert.ok(maxDiff(p.value(a), refA) < 1e-5, "LayerNormalization(axis=[1, 2])");
    const bg = p.weight(`${b}/gamma`) as number[];
    const refB = x.map((n) => n.map((r) => r.map((v) => {
      const rms = Math.sqrt(v.reduce((s, e) => s + e * e, 0) / v.length + 1e-3);
      return v.map((e, f) => (e / rms) * bg[f]);
    })));
    assert.ok(maxDiff(p.value(b), refB) < 1e-5, "LayerNormalization(rms_scaling=True)");
    const [cg, cb] = [p.weight(`${c}/gamma`), p.weight(`${c}/beta`)] as number[][];
    const refC = x.map((n) => {
      const groups = [0, 1].map((g) => normalise(n.flatMap((r) => r.flatMap((v) => v.slice(3 * g, 3 * g + 3))), 1e-3));
      return n.map((r, i) => r.map((v, j) => v.map((_, f) => groups[Math.floor(f / 3)][(i * 4 + j) * 3 + (f % 3)] * cg[f] + cb[f])));
    });
    assert.ok(maxDiff(p.value(c), refC) < 1e-5, "GroupNormalization(groups=2)");
  });
});

const VIEWS = `
import torch.nn as nn

class Views(nn.Module):
    def forward(self, x):
        a = x[:, 1:5:2, :, -1]
        b = x[..., None, :2]
        c = x.permute(0, 2, 3, 1)
        d = x[:, :1].expand(2, 3, 4, 5)
        return a, b, c, d
`;

test("indexing, permute and expand of an NCHW tensor (built NHWC) select PyTorch's elements in PyTorch's order", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = expectIndex(irOf("v.py", "Views()", [[2, 6, 4, 5]], VIEWS), {
    getitem: [ALL, { kind: "slice", start: 1, stop: 5, step: 2 }, ALL, { kind: "int", value: -1 }],
    getitem_1: [{ kind: "ellipsis" }, { kind: "none" }, { kind: "slice", start: null, stop: 2, step: null }],
    getitem_2: [ALL, { kind: "slice", start: null, stop: 1, step: null }],
  });
  pass(tf, ir, ir.outputs, (p) => {
    const x = toNchw(tf, p.input("input"));
    const a = x.map((n) => [1, 3].map((c) => n[c].map((row) => row[4])));
    assert.deepEqual(p.value("getitem"), a);
    assert.deepEqual(p.value("getitem_1"), x.map((n) => n.map((ch) => ch.map((row) => [row.slice(0, 2)]))));
    // permute's result is 4-D, so it is built NHWC too: [N, H, W, C] held as [N, W, C, H].
    const c = x.map((n) => n[0].map((row, h) => row.map((_, w) => n.map((ch) => ch[h][w]))));
    assert.deepEqual(toNchw(tf, p.value("permute")), c);
    assert.deepEqual(toNchw(tf, p.value("expand")), x.map((n) => [n[0], n[0], n[0]]));
  });
});

test("a getitem whose node does not record its index is skipped, naming the missing attribute", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = irOf("v.py", "Views()", [[2, 6, 4, 5]], VIEWS);
  for (const n of ir.nodes) delete n.attrs.index;
  const plan = buildPlan(tf, ir, { batch: 2 });
  try {
    assert.deepEqual(plan.skipped.map((s) => s.id), ["getitem", "getitem_1", "getitem_2"]);
    assert.match(plan.skipped[0].reason, /^getitem does not record its index \(the IR node has no 'index' attribute\), so the slice cannot be rebuilt\. Its output is replaced/);
  } finally {
    disposePlan(plan);
  }
});

const EMBEDDINGS = `
import torch.nn as nn

class E(nn.Module):
    def __init__(self):
        super().__init__()
        self.words = nn.Embedding(50, 4)
        self.small = nn.Embedding(7, 3)
        self.fc = nn.Linear(6, 2)

    def forward(self, ids, feats):
        return self.words(ids), self.small(ids[:, :3]), self.small(feats.view(2, 6)), self.fc(feats)
`;

test("embeddings gather rows of their table by int32 ids in the smallest table's range; float values are not taken for ids", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = expectIndex(irOf("e.py", "E()", [[2, 5], [2, 6]], EMBEDDINGS), { getitem: [ALL, { kind: "slice", start: null, stop: 3, step: null }] });
  const plan = buildPlan(tf, ir, { batch: 2, seed: 3 });
  try {
    const ids = plan.constants.get("input")!;
    assert.equal(ids.dtype, "int32");
    const values = Array.from(ids.dataSync());
    assert.ok(values.every((v) => Number.isInteger(v) && v >= 0 && v < 7), `ids ${values}`);
    assert.equal(plan.constants.get("input_1")!.dtype, "float32");
    assert.deepEqual(plan.skipped.map((s) => s.id), ["small_1"]);
    assert.match(plan.skipped[0].reason, /^Embedding reads 'view', which the profiler builds as floats: only model inputs \(and reshapes or slices of them\) that feed nothing but embeddings are built as token ids\./);
    const outs = runPass(plan, consumerCounts(plan));
    try {
      const table = nested(plan.weightsByKey.get("words/weight")!) as number[][];
      assert.deepEqual(nested(outs[0]), (nested(ids) as number[][]).map((row) => row.map((i) => table[i])));
      assert.deepEqual(outs[1].shape, [2, 3, 3]);
    } finally {
      disposeOutputs(plan, outs);
    }
  } finally {
    disposePlan(plan);
  }
});

test("the memory estimate counts an attention's scores and softmax, which grow with the square of the sequence", () => {
  const src = `
import torch.nn as nn

class Long(nn.Module):
    def __init__(self):
        super().__init__()
        self.att = nn.MultiheadAttention(16, 4, batch_first=True)

    def forward(self, x):
        return self.att(x, x, x, need_weights=False)[0]
`;
  const ir = irOf("long.py", "Long()", [[2, 1024, 16]], src);
  // 2 x batch 2 x 4 heads x 1024 x 1024 positions, float32: above every activation (2 x 1024 x 16).
  assert.ok(estimateMemory(ir, 2).activationBytes >= 2 * 2 * 4 * 1024 * 1024 * 4);
  assert.ok(estimateMemory(ir, 2).activationBytes < 2 * 2 * 4 * 1024 * 1024 * 4 + 1e6);
});

const HEADS = `
import torch
import torch.nn as nn

class Heads(nn.Module):
    def forward(self, x):
        q, k, v = x.chunk(3, dim=-1)
        scores = q @ k.transpose(-2, -1)
        attn = scores.softmax(dim=-1)
        return attn, attn @ v, scores.softmax(dim=1)
`;

test("4-D attention tensors (built NHWC): chunk, matmul and softmax over any axis compute in PyTorch's order", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = irOf("h.py", "Heads()", [[1, 2, 3, 6]], HEADS);
  assert.deepEqual(ir.nodes.filter((n) => n.op === "chunk").map((n) => [n.attrs.dim, n.attrs.start, n.shape]), [
    [3, 0, [1, 2, 3, 2]], [3, 2, [1, 2, 3, 2]], [3, 4, [1, 2, 3, 2]],
  ]);
  pass(tf, ir, ir.outputs, (p) => {
    const x = toNchw(tf, p.input("input"));
    const part = (k: number) => x.map((n) => n.map((h) => h.map((row) => row.slice(2 * k, 2 * k + 2))));
    const [q, k, v] = [part(0), part(1), part(2)];
    const matmul = (a: number[][], b: number[][]) => a.map((r) => b[0].map((_, j) => r.reduce((s, x_, i) => s + x_ * b[i][j], 0)));
    const t = (m: number[][]) => m[0].map((_, j) => m.map((r) => r[j]));
    const softmax = (r: number[]) => {
      const e = r.map((z) => Math.exp(z - Math.max(...r)));
      return e.map((z) => z / e.reduce((s, y) => s + y, 0));
    };
    const scores = q.map((n, b) => n.map((qh, h) => matmul(qh, t(k[b][h]))));
    const attn = scores.map((n) => n.map((m) => m.map(softmax)));
    const out = attn.map((n, b) => n.map((a, h) => matmul(a, v[b][h])));
    // softmax over the heads axis (dim 1): for each (i, j), across h.
    const overHeads = scores.map((n) => n.map((m, h) => m.map((r, i) => r.map((_, j) => softmax(n.map((mh) => mh[i][j]))[h]))));
    const close = (a: unknown, b: unknown) => assert.ok(maxDiff(a, b) < 1e-5, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    close(toNchw(tf, p.value(ir.outputs[0])), attn);
    close(toNchw(tf, p.value(ir.outputs[1])), out);
    close(toNchw(tf, p.value(ir.outputs[2])), overHeads);
  });
});

const EINOPS = `
import torch
import torch.nn as nn
from einops import rearrange, repeat, reduce
from einops.layers.torch import Rearrange

class Patches(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch = Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=2, p2=2)

    def forward(self, x):
        p = self.patch(x)
        heads = rearrange(p, 'b n (h d) -> b h n d', h=2)
        tiled = repeat(p[:, 0], 'b d -> b k d', k=3)
        pooled = reduce(x, 'b c (h 2) (w 2) -> b c h w', 'max')
        return p, heads, tiled, pooled, torch.einsum('bhnd,bhmd->bhnm', heads, heads)
`;

test("einops rearrange / repeat / reduce and torch.einsum move and combine PyTorch's elements as einops does", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = irOf("e.py", "Patches()", [[1, 2, 4, 4]], EINOPS);
  pass(tf, ir, ir.outputs, (p) => {
    const x = toNchw(tf, p.input("input"))[0]; // [c][h][w]
    // Patch n = (hi, wi) in row order; within it (p1, p2, c), c fastest.
    const patches = [0, 1, 2, 3].map((n) => {
      const [hi, wi] = [Math.floor(n / 2), n % 2];
      const out: number[] = [];
      for (const p1 of [0, 1]) for (const p2 of [0, 1]) for (const c of [0, 1]) out.push(x[c][2 * hi + p1][2 * wi + p2]);
      return out;
    });
    const close = (a: unknown, b: unknown) => assert.ok(maxDiff(a, b) < 1e-5, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    close(p.value(ir.outputs[0]), [patches]);
    const heads = [0, 1].map((h) => patches.map((row) => row.slice(4 * h, 4 * h + 4)));
    close(toNchw(tf, p.value(ir.outputs[1])), [heads]);
    close(p.value(ir.outputs[2]), [[patches[0], patches[0], patches[0]]]);
    const pooled = x.map((ch) => [0, 1].map((h) => [0, 1].map((w) => Math.max(ch[2 * h][2 * w], ch[2 * h][2 * w + 1], ch[2 * h + 1][2 * w], ch[2 * h + 1][2 * w + 1]))));
    close(toNchw(tf, p.value(ir.outputs[3])), [pooled]);
    const dots = heads.map((m) => m.map((a) => m.map((b) => a.reduce((s, v, i) => s + v * b[i], 0))));
    close(toNchw(tf, p.value(ir.outputs[4])), [dots]);
  });
});
