// Sequence models through the whole analyzer: nn.Transformer and its parts (written in Python in the
// bundled zoo, src/frameworks/zoo/python/torch/nn/modules/transformer.py), nn.MultiheadAttention and
// nn.LSTM in user models. Parameter totals are summed by hand below; they are PyTorch's
// sum(p.numel() for p in model.parameters()).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { analyze } from "../../src/analyze";
import { summarize } from "../../src/analysis/summary";

function summary(text: string, entry: string, input: number[][]) {
  const r = analyze({ file: "model.py", text, entry, input });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info"), []);
  return summarize(r.ir!, r.diagnostics);
}

// Per layer with d_model E and feed-forward F (all biases on):
const E = 512;
const F = 2048;
const mha = 3 * E * E + 3 * E + (E * E + E); // packed in_proj + out_proj = 1,050,624
const ff = E * F + F + (F * E + E); // linear1 + linear2 = 2,099,712
const norm = 2 * E;
const encoderLayer = mha + ff + 2 * norm;
const decoderLayer = 2 * mha + ff + 3 * norm;

test("TransformerEncoderLayer(512, 8) = 3,152,384 and TransformerEncoder(..., 6) = 18,914,304 params", () => {
  assert.equal(mha, 1050624);
  assert.equal(encoderLayer, 3152384);
  assert.equal(6 * encoderLayer, 18914304);
  const text = `import torch.nn as nn
layer = nn.TransformerEncoderLayer(512, 8)
encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model=512, nhead=8), num_layers=6)
`;
  const one = summary(text, "layer", [[10, 2, 512]]);
  assert.equal(one.totals.params, 3152384);
  assert.deepEqual(one.output, [[10, 2, 512]]);
  const s = summary(text, "encoder", [[10, 2, 512]]);
  assert.equal(s.totals.params, 18914304);
  assert.deepEqual(s.output, [[10, 2, 512]]);
  // Post-norm layers: x + self_attn(x) and x + ff(x), each an identity shortcut, 2 per layer.
  assert.equal(s.residualBlocks.length, 12);
  assert.ok(s.residualBlocks.every((b) => b.shortcut === "identity"));
  assert.deepEqual(s.residualBlocks.slice(0, 2).map((b) => b.scope), ["layers/0", "layers/0"]);
  // Per layer, N=2 sequences of L=10: q/k/v 3*L*E*E, Q·Kᵀ and weights·V 2*L*L*E, out_proj L*E*E, MLP 2*L*E*F.
  const perLayer = 2 * (3 * 10 * E * E + 2 * 10 * 10 * E + 10 * E * E + 2 * 10 * E * F);
  assert.equal(s.totals.macs, 6 * perLayer);
  const ids = s.nodes.filter((n) => n.scope.startsWith("layers/0")).map((n) => n.op);
  assert.deepEqual(ids, ["MultiheadAttention", "Linear", "Dropout", "add", "LayerNorm", "Linear", "relu", "Dropout", "Linear", "Dropout", "add", "LayerNorm"]);
});

test("nn.Transformer(): 44,140,544 params, forward(src, tgt) gives tgt's shape", () => {
  // 6 encoder layers + encoder norm, 6 decoder layers + decoder norm.
  const expected = 6 * encoderLayer + norm + 6 * decoderLayer + norm;
  assert.equal(expected, 44140544);
  const s = summary("import torch.nn as nn\nmodel = nn.Transformer()\n", "model", [[10, 2, 512], [7, 2, 512]]);
  assert.equal(s.totals.params, 44140544);
  assert.deepEqual(s.output, [[7, 2, 512]]);
  // Decoder layer (T=7 targets, S=10 memory positions, N=2): self-attention, cross-attention
  // (q from the target, k and v from memory), MLP.
  const selfAttn = 2 * (3 * 7 * E * E + 2 * 7 * 7 * E + 7 * E * E);
  const crossAttn = 2 * (7 * E * E + 2 * 10 * E * E + 2 * 7 * 10 * E + 7 * E * E);
  const decoderMacs = selfAttn + crossAttn + 2 * 2 * 7 * E * F;
  const encoderMacs = 2 * (3 * 10 * E * E + 2 * 10 * 10 * E + 10 * E * E + 2 * 10 * E * F);
  assert.equal(s.totals.macs, 6 * encoderMacs + 6 * decoderMacs);
  // Encoder: 2 identity adds per layer; decoder: 3 (self-attention, cross-attention, MLP). The
  // cross-attention branch also reads the encoder's memory, so no node dominates that add: its fork is
  // the add input the branch grows from, and the encoder is not part of the block.
  const enc = s.residualBlocks.filter((b) => b.scope.startsWith("encoder/"));
  const dec = s.residualBlocks.filter((b) => b.scope.startsWith("decoder/"));
  assert.equal(enc.length, 12);
  assert.equal(dec.length, 18);
  assert.ok(s.residualBlocks.every((b) => b.shortcut === "identity"));
  const cross = dec.find((b) => b.nodes.some((id) => id.includes("multihead_attn")))!;
  assert.ok(cross.nodes.every((id) => id.startsWith("decoder/")), cross.nodes.join());
});

test("norm_first, GELU, batch_first layers; activation as a module; bias=False", () => {
  const text = `import torch
import torch.nn as nn
pre = nn.TransformerEncoder(nn.TransformerEncoderLayer(64, 4, 128, activation="gelu", batch_first=True, norm_first=True), 2, norm=nn.LayerNorm(64))
mod = nn.TransformerEncoderLayer(64, 4, 128, activation=nn.GELU(), bias=False)
dec = nn.TransformerDecoderLayer(64, 4, 128, batch_first=True)
class Decode(nn.Module):
    def __init__(self):
        super().__init__()
        self.dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(64, 4, 128, batch_first=True, norm_first=True), 3)
        self.memory = nn.Parameter(torch.zeros(1, 5, 64))
    def forward(self, tgt):
        mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(1))
        return self.dec(tgt, self.memory.expand(tgt.size(0), -1, -1), tgt_mask=mask, tgt_is_causal=True)
`;
  const layer64 = (3 * 64 * 64 + 3 * 64 + 64 * 64 + 64) + (64 * 128 + 128 + 128 * 64 + 64) + 2 * 128;
  const s = summary(text, "pre", [[3, 9, 64]]);
  assert.equal(s.totals.params, 2 * layer64 + 128);
  assert.deepEqual(s.output, [[3, 9, 64]]);
  assert.equal(s.nodes.filter((n) => n.op === "gelu").length, 2);
  // Pre-norm: the adds join x with dropout(attn(norm1(x))) and dropout(ff(norm2(x))).
  assert.equal(s.residualBlocks.length, 4);

  const m = summary(text, "mod", [[9, 3, 64]]);
  assert.equal(m.totals.params, 4 * 64 * 64 + 2 * 64 * 128 + 2 * 64);
  assert.equal(m.nodes.filter((n) => n.op === "GELU").length, 1);

  const decoderLayer64 = 2 * (3 * 64 * 64 + 3 * 64 + 64 * 64 + 64) + (64 * 128 + 128 + 128 * 64 + 64) + 3 * 128;
  const d = summary(text, "Decode()", [[2, 6, 64]]);
  assert.equal(d.totals.params, 3 * decoderLayer64 + 5 * 64);
  assert.deepEqual(d.output, [[2, 6, 64]]);
});

test("a text classifier: Embedding + bidirectional 2-layer LSTM + Linear on the last hidden states", () => {
  const text = `import torch
import torch.nn as nn

class TextClassifier(nn.Module):
    def __init__(self, vocab=1000, dim=64, hidden=128, classes=4):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.lstm = nn.LSTM(dim, hidden, num_layers=2, batch_first=True, bidirectional=True, dropout=0.2)
        self.fc = nn.Linear(2 * hidden, classes)

    def forward(self, tokens):
        out, (h, c) = self.lstm(self.embed(tokens))
        last = torch.cat([h[-2], h[-1]], dim=1)
        return self.fc(last)
`;
  // LSTM, 4H = 512 gate rows: layer 0 per direction 512*64 + 512*128 + 2*512 = 99,328;
  // layer 1 reads both directions (256): 512*256 + 512*128 + 1,024 = 197,632.
  const lstm = 2 * 99328 + 2 * 197632;
  assert.equal(lstm, 593920);
  const s = summary(text, "TextClassifier()", [[2, 16]]);
  assert.equal(s.totals.params, 1000 * 64 + lstm + (256 * 4 + 4));
  assert.equal(s.totals.params, 658948);
  assert.deepEqual(s.output, [[2, 4]]);
  const lstmNode = s.nodes.find((n) => n.op === "LSTM")!;
  assert.deepEqual(lstmNode.shape, [2, 16, 256]);
  // 2 x 16 positions; per position both directions of 512*(64 + 128) and 512*(256 + 128).
  assert.equal(lstmNode.macs, 32 * 2 * (512 * 192 + 512 * 384));
  assert.deepEqual(s.nodes.find((n) => n.op === "h_n")!.shape, [4, 2, 128]);
});

test("a ViT-Tiny built on nn.TransformerEncoder matches the hand-written one: 5,717,416 params, same MACs", () => {
  const text = `import torch
import torch.nn as nn

class ViT(nn.Module):
    def __init__(self, img_size=224, patch=16, dim=192, depth=12, heads=3, num_classes=1000):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, dim, kernel_size=patch, stride=patch)
        n = (img_size // patch) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, n + 1, dim))
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, activation="gelu", batch_first=True, norm_first=True, layer_norm_eps=1e-6)
        self.encoder = nn.TransformerEncoder(layer, depth)
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        x = torch.cat((cls, x), dim=1) + self.pos_embed
        x = self.encoder(x)
        return self.head(self.norm(x)[:, 0])
`;
  const s = summary(text, "ViT()", [[1, 3, 224, 224]]);
  const handWritten = summary(readFileSync("test/fixtures/torch_vit_tiny.py", "utf8"), "ViT()", [[1, 3, 224, 224]]);
  assert.equal(s.totals.params, 5717416);
  assert.equal(s.totals.macs, handWritten.totals.macs);
  assert.deepEqual(s.output, [[1, 1000]]);
  assert.equal(s.residualBlocks.filter((b) => b.shortcut === "identity").length, 24);
});

test("a registered template layer deep-copied by nn.TransformerEncoder: the copies take the encoder's scopes", () => {
  const text = `
import torch.nn as nn
class Enc(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(64, 4, 128, batch_first=True)
        self.enc = nn.TransformerEncoder(self.layer, 2)
    def forward(self, x):
        return self.enc(x)
`;
  const r = analyze({ file: "enc.py", text, entry: "Enc()", input: [[1, 10, 64]] });
  assert.ok(r.ir);
  const attention = r.ir.nodes.filter((n) => n.op === "MultiheadAttention").map((n) => n.id);
  assert.deepEqual(attention, ["enc/layers/0/self_attn", "enc/layers/1/self_attn"]);
  // PyTorch counts the registered template too: 3 x 33,472.
  assert.equal(r.ir.paramTotals.params, 100416);
});
