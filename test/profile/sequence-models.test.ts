// Sequence models profile end to end on cpu and wasm: a text classifier (Embedding, bidirectional
// LSTM with its h_n / c_n, nn.TransformerEncoder, x[:, 0]), a small ViT on nn.TransformerEncoder
// (patch conv, cls token and position Parameters, pre-norm GELU layers) and a Keras model
// (Embedding, MultiHeadAttention with its scores, LayerNormalization, GroupNormalization). Every
// node is profiled with a positive median, the built weights equal the analyzer's parameters,
// output shapes equal the analyzer's, and no tensor is leaked. Behaviour and counts only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBackend } from "../../backends/registry";
import type { GraphIR } from "../../src/ir/types";
import { profileModel, type ProfileResult } from "../../src/profile";
import { ALL, analyzerOutput, irOf, expectIndex } from "./helpers";
/** x[:, 0], as the analyzer records it on the getitem node. */
const FIRST_POSITION = [ALL, { kind: "int", value: 0 }];

const TEXT_NET = `
import torch.nn as nn

class TextNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(1000, 64)
        self.lstm = nn.LSTM(64, 128, batch_first=True, bidirectional=True)
        layer = nn.TransformerEncoderLayer(256, 4, 512, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2)
        self.fc = nn.Linear(256, 5)

    def forward(self, x):
        h, _ = self.lstm(self.emb(x))
        return self.fc(self.enc(h)[:, 0])
`;

const TINY_VIT = `
import torch
import torch.nn as nn

class TinyViT(nn.Module):
    def __init__(self, image=32, patch=8, dim=64, depth=2, heads=4, classes=10):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, patch, stride=patch)
        n = (image // patch) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.zeros(1, n + 1, dim))
        layer = nn.TransformerEncoderLayer(dim, heads, dim * 2, batch_first=True, norm_first=True, activation="gelu")
        self.encoder = nn.TransformerEncoder(layer, depth)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        x = torch.cat([cls, x], dim=1) + self.pos
        x = self.norm(self.encoder(x))
        return self.head(x[:, 0])
`;

const KERAS_TEXT = `
import keras
from keras import layers

inp = keras.Input(shape=(16,), dtype="int32")
x = layers.Embedding(500, 32)(inp)
a, scores = layers.MultiHeadAttention(num_heads=4, key_dim=8)(x, x, return_attention_scores=True)
x = layers.LayerNormalization()(layers.Add()([x, a]))
x = layers.GroupNormalization(groups=4)(x)
out = layers.Dense(3)(layers.Flatten()(x))
model = keras.Model(inp, [out, scores])
`;

/** Every node but the inputs (and Parameters, built once as weights) has a row with a positive median. */
function assertAllProfiled(r: ProfileResult, ir: GraphIR): void {
  assert.deepEqual(r.skipped, []);
  assert.deepEqual(r.fused, []);
  assert.deepEqual(r.warnings, []);
  const constants = ir.nodes.filter((n) => n.category === "input");
  assert.deepEqual(
    r.nodes.map((n) => n.id),
    ir.nodes.filter((n) => !constants.includes(n)).map((n) => n.id),
  );
  for (const n of r.nodes) assert.ok(n.medianMs > 0, `${n.id} has median ${n.medianMs}`);
}

for (const backend of ["cpu", "wasm"] as const) {
  test(`TextNet (Embedding, bidirectional LSTM, TransformerEncoder, x[:, 0]) on ${backend}: every node profiled, weights = parameters`, async () => {
    const { tf } = await loadBackend(backend);
    const ir = expectIndex(irOf("text_net.py", "TextNet()", [[2, 16]], TEXT_NET), { getitem: FIRST_POSITION });
    const before = tf.memory().numTensors;
    const r = await profileModel(tf, ir, { warmup: 1, runs: 2, peak: false });
    assert.equal(tf.memory().numTensors, before);
    assertAllProfiled(r, ir);
    const ops = new Map(r.nodes.map((n) => [n.id, n.op]));
    assert.equal(ops.get("emb"), "Embedding");
    assert.equal(ops.get("lstm"), "LSTM");
    assert.equal(ops.get("lstm/h_n"), "h_n");
    assert.equal(ops.get("lstm/c_n"), "c_n");
    assert.equal(ops.get("enc/layers/1/self_attn"), "MultiheadAttention");
    assert.equal(ops.get("enc/layers/1/self_attn/out_proj"), "Linear");
    assert.equal(ops.get("enc/layers/1/norm2"), "LayerNorm");
    assert.equal(ops.get("getitem"), "getitem");
    // 64,000 embedding + 198,656 LSTM + 2 x (197,376 in_proj + 65,792 out_proj + 263,168 FFN + 2 x 512 LayerNorm) + 1,285 head.
    assert.equal(r.weightCount, 1_318_149);
    assert.equal(r.weightCount, ir.paramTotals.params);
    assert.deepEqual(r.outputShapes, [analyzerOutput(ir, 2)]);
    assert.deepEqual(r.outputShapes, [[2, 5]]);
    // The LSTM's MACs are the analyzer's: h_n and c_n are handed on from its step, not recomputed.
    assert.equal(r.nodes.find((n) => n.id === "lstm")!.macs, 6_291_456);
    assert.equal(r.nodes.find((n) => n.id === "lstm/h_n")!.macs, 0);
  });

  test(`a small ViT on nn.TransformerEncoder (cls token, position Parameter, pre-norm GELU) on ${backend}: every node profiled`, async () => {
    const { tf } = await loadBackend(backend);
    const ir = expectIndex(irOf("tiny_vit.py", "TinyViT()", [[2, 3, 32, 32]], TINY_VIT), { getitem: FIRST_POSITION });
    const before = tf.memory().numTensors;
    const r = await profileModel(tf, ir, { warmup: 1, runs: 2, peak: false });
    assert.equal(tf.memory().numTensors, before);
    assertAllProfiled(r, ir);
    assert.deepEqual(ir.nodes.filter((n) => n.op === "Parameter").map((n) => [n.id, n.params]), [["cls_token", 64], ["pos", 1088]]);
    assert.equal(r.weightCount, 81_226);
    assert.equal(r.weightCount, ir.paramTotals.params);
    assert.deepEqual(r.outputShapes, [analyzerOutput(ir, 2)]);
    assert.deepEqual(r.outputShapes, [[2, 10]]);
  });
}

test("a Keras text model (Embedding, MultiHeadAttention with scores, LayerNormalization, GroupNormalization) on wasm at batch 2: every node profiled", async () => {
  const { tf } = await loadBackend("wasm");
  const ir = irOf("keras_text.py", "model", [[2, 16]], KERAS_TEXT);
  assert.deepEqual(ir.inputShapes, [[null, 16]]);
  const before = tf.memory().numTensors;
  const r = await profileModel(tf, ir, { batch: 2, warmup: 1, runs: 2, peak: false });
  assert.equal(tf.memory().numTensors, before);
  assertAllProfiled(r, ir);
  // 16,000 embeddings + 4 x (32 x 32 + 32) attention + 64 + 64 norms + 1,539 dense.
  assert.equal(r.weightCount, 21_891);
  assert.equal(r.weightCount, ir.paramTotals.params);
  assert.deepEqual(r.outputShapes, [[2, 3], [2, 4, 16, 16]]);
});
