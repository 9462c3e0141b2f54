// Architectures beyond ResNets: dense concatenation, attention, U-shaped skips. Published figures
// where they exist; the U-Net total is summed by hand below.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { analyze } from "../../src/analyze";
import { summarize } from "../../src/analysis/summary";

function summary(file: string, entry: string, input: number[]) {
  const r = analyze({ file, text: readFileSync(file, "utf8"), entry, input: [input] });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info"), []);
  return summarize(r.ir!, r.diagnostics);
}

test("DenseNet-121: torchvision's 7,978,856 params and 2.834 GMACs, no residual blocks, depth 121", () => {
  const s = summary("examples/torch_densenet.py", "densenet121()", [1, 3, 224, 224]);
  assert.equal(s.totals.params, 7978856);
  assert.equal(s.totals.macs, 2834161664);
  assert.equal(s.totals.depth, 121);
  assert.equal(s.residualBlocks.length, 0);
  assert.equal(s.nodes.filter((n) => n.op === "cat").length, 58 + 4);
  assert.deepEqual(s.output, [[1, 1000]]);
});

test("ViT-Tiny/16: timm's 5,717,416 params (class token and position embedding included), 24 identity adds", () => {
  const s = summary("test/fixtures/torch_vit_tiny.py", "ViT()", [1, 3, 224, 224]);
  assert.equal(s.totals.params, 5717416);
  assert.equal(s.residualBlocks.length, 24);
  assert.equal(s.residualBlocks.filter((b) => b.shortcut === "identity").length, 24);
  assert.deepEqual(s.output, [[1, 1000]]);
});

test("U-Net (bilinear): 17,263,042 params, full-resolution 2-class output, skips by concatenation", () => {
  // DoubleConv(in, out, mid) = 9*in*mid + 2*mid + 9*mid*out + 2*out (convs without bias, BN affine):
  const dc = (i: number, o: number, m = o) => 9 * i * m + 2 * m + 9 * m * o + 2 * o;
  const expected =
    dc(3, 64) + dc(64, 128) + dc(128, 256) + dc(256, 512) + dc(512, 512) +
    dc(1024, 256, 512) + dc(512, 128, 256) + dc(256, 64, 128) + dc(128, 64, 64) + (64 * 2 + 2);
  assert.equal(expected, 17263042);
  const s = summary("test/fixtures/torch_unet.py", "UNet()", [1, 3, 224, 224]);
  assert.equal(s.totals.params, expected);
  assert.deepEqual(s.output, [[1, 2, 224, 224]]);
  assert.equal(s.nodes.filter((n) => n.op === "cat").length, 4);
  assert.equal(s.residualBlocks.length, 0);
});

test("a module holding a back-reference to its parent keeps its real scope and counts parameters once", () => {
  const text = `import torch.nn as nn
class Child(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
    def forward(self, x):
        return self.fc(x)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.child = Child()
        self.child.owner = self
    def forward(self, x):
        return self.child(x)
`;
  const r = analyze({ file: "backref.py", text, entry: "Net()", input: [[1, 4]] });
  assert.equal(r.ir?.paramTotals.params, 20);
  assert.deepEqual(r.ir?.nodes.map((n) => n.id), ["input", "child/fc"]);
});
