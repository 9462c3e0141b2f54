import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { analyze } from "../../src/analyze";
import { buildLineIndex } from "../../extension/model/line-index";
import { hoverDocument, hoverMarkdown } from "../../extension/model/hover-text";
import { FILE, node, site } from "./ir-samples";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..", "..");

test("a line's call sites are grouped per expression and summed over iterations", () => {
  const nodes = [
    // `x = self.relu(self.bn(self.conv(x)))` on line 10, run twice by a loop; convs created on line 3.
    node("b0/conv", { params: 100, macs: 1000, created: site(3, 8, 30), applied: site(10, 22, 34) }),
    node("b0/bn", { op: "BatchNorm2d", params: 4, created: site(4, 8, 30), applied: site(10, 14, 35) }),
    node("b0/relu", { op: "ReLU", created: site(5, 8, 30), applied: site(10, 4, 36) }),
    node("b1/conv", { params: 200, macs: 500, shape: [1, 64, 28, 28], created: site(3, 8, 30), applied: site(10, 22, 34) }),
    node("b1/bn", { op: "BatchNorm2d", params: 4, shape: [1, 64, 28, 28], created: site(4, 8, 30), applied: site(10, 14, 35) }),
    node("b1/relu", { op: "ReLU", shape: [1, 64, 28, 28], created: site(5, 8, 30), applied: site(10, 4, 36) }),
    // Keras style: created and applied by the same expression; listed once.
    node("dense", { op: "Dense", shape: [null, 10], params: 650, macs: 640, created: site(20, 4, 30), applied: site(20, 4, 30) }),
  ];
  const index = buildLineIndex(nodes);
  const line10 = index.at(FILE, 10);
  assert.deepEqual(
    line10.map((g) => [g.op, g.role, g.count, g.params, g.macs]),
    [
      ["ReLU", "applied", 2, 0, 0],
      ["BatchNorm2d", "applied", 2, 8, 0],
      ["Conv2d", "applied", 2, 300, 1500],
    ],
  );
  assert.deepEqual(line10[2].shapes, [
    { shape: [1, 64, 56, 56], count: 1 },
    { shape: [1, 64, 28, 28], count: 1 },
  ]);
  assert.deepEqual(index.nodesAt(FILE, 10), ["b0/relu", "b1/relu", "b0/bn", "b1/bn", "b0/conv", "b1/conv"]);
  assert.deepEqual(index.nodesAt(FILE, 3), ["b0/conv", "b1/conv"]);
  assert.equal(index.at(FILE, 20).length, 1);
  assert.deepEqual(index.at(FILE, 11), []);
  assert.deepEqual(index.at("/elsewhere.py", 10), []);

  assert.deepEqual(hoverMarkdown(index.at(FILE, 3)), [
    "**Conv2d** created 2× here · outputs `[1, 64, 56, 56] ×1, [1, 64, 28, 28] ×1` · params 300 · MACs 1,500 (1.50 KMACs)",
  ]);
  assert.deepEqual(hoverMarkdown(index.at(FILE, 20)), ["**Dense** applied once here · output `[None, 10]` · params 650 · MACs 640 (640 MACs)"]);
  assert.equal(hoverDocument([]), null);
  assert.equal(hoverDocument(index.at(FILE, 20)), "ResGraph\n\n**Dense** applied once here · output `[None, 10]` · params 650 · MACs 640 (640 MACs)");
});

test("ResNet-50: Bottleneck's `out = self.conv1(x)` line sums its 16 applications exactly", () => {
  const file = join(ROOT, "examples", "torch_resnet.py");
  const r = analyze({ file, text: readFileSync(file, "utf8"), entry: "resnet50()" });
  assert.ok(r.ir);
  const index = buildLineIndex(r.ir.nodes);
  const groups = index.at(file, 117); // 0-based line of `out = self.conv1(x)` in Bottleneck.forward
  assert.equal(groups.length, 1);
  const g = groups[0];
  assert.deepEqual([g.op, g.role, g.count, g.params, g.macs], ["Conv2d", "applied", 16, 4_329_472, 937_689_088]);
  assert.equal(g.shapes.length, 7);
  assert.deepEqual(g.shapes[0], { shape: [1, 64, 56, 56], count: 3 });
  assert.equal(
    hoverMarkdown(groups)[0],
    "**Conv2d** applied 16× here · outputs `[1, 64, 56, 56] ×3, [1, 128, 56, 56] ×1, [1, 128, 28, 28] ×3, [1, 256, 28, 28] ×1, and 3 more` · params 4,329,472 · MACs 937,689,088 (938 MMACs)",
  );
  assert.equal(index.nodesAt(file, 117)[0], "layer1/0/conv1");
});

test("a torchvision model from the bundled zoo is listed on the user's line that built it", () => {
  const file = "/w/train.py";
  const text = "from torchvision import models\nmodel = models.resnet18(num_classes=10)\n";
  const r = analyze({ file, text, entry: "model", input: [[1, 3, 224, 224]] });
  assert.ok(r.ir);
  const groups = buildLineIndex(r.ir.nodes).at(file, 1);
  // The layers were created there; the model's input is fed there too (the run starts at the entry).
  assert.ok(groups.filter((g) => g.op !== "Input").every((g) => g.role === "created"));
  assert.deepEqual(groups.filter((g) => g.op === "Input").map((g) => g.role), ["applied"]);
  // resnet18 with a 10-class fc: 11,689,512 - 513,000 + 5,130.
  assert.equal(groups.reduce((sum, g) => sum + g.params, 0), 11181642);
  assert.deepEqual(groups.find((g) => g.op === "Conv2d")?.count, 20);
});
