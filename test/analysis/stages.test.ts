import { test } from "node:test";
import assert from "node:assert/strict";
import { findResidualBlocks } from "../../src/analysis/residual";
import { findStages } from "../../src/analysis/stages";
import { IRBuilder, blockChain, tinyResNet } from "./ir-fixtures";

test("tiny ResNet: stem conv1, conv2_x, conv3_x and a head, like the paper's Table 1", () => {
  const ir = tinyResNet();
  const rows = findStages(ir, findResidualBlocks(ir));
  assert.deepEqual(
    rows.map((r) => [r.kind, r.name, r.blocks, r.blockCount, r.outputShape, r.params, r.macs]),
    [
      ["stem", "conv1", [], 0, [1, 16, 32, 32], 464, 442368],
      ["stage", "conv2_x", ["layer1/0"], 1, [1, 16, 32, 32], 4672, 4718592],
      ["stage", "conv3_x", ["layer2/0"], 1, [1, 32, 16, 16], 14528, 3670016],
      ["head", "head", [], 0, [1, 10], 330, 320],
    ],
  );
  assert.deepEqual(rows[0].nodes, ["x", "conv1", "bn1", "relu"]);
  // The ReLU after layer1's add stays in conv2_x; the one after layer2's add opens the head.
  assert.deepEqual(rows[1].nodes.slice(-2), ["layer1.0.add", "layer1.0.relu_1"]);
  assert.deepEqual(rows[3].nodes, ["layer2.0.relu_1", "avgpool", "fc"]);
});

test("consecutive blocks of one size form one stage", () => {
  const ir = blockChain(5);
  const rows = findStages(ir, findResidualBlocks(ir));
  assert.deepEqual(
    rows.map((r) => [r.name, r.blockCount]),
    [
      ["stem", 0], // only the input: no convolutional stem, so generic names
      ["stage1", 5],
      ["head", 0],
    ],
  );
  assert.deepEqual(rows[0].nodes, ["x"]);
  assert.deepEqual(rows[2].nodes, ["b4.r2"]);
});

test("no residual blocks, no stages; non-convolutional blocks get generic names", () => {
  const plain = new IRBuilder("keras");
  plain.input("in", [null, 4]);
  plain.node("d", "Dense", "dense", ["in"], [null, 4], { params: 20 });
  assert.deepEqual(findStages(plain.build(), []), []);

  const b = new IRBuilder("keras");
  b.input("in", [null, 4]);
  b.node("d0", "Dense", "dense", ["in"], [null, 4], { params: 20 });
  b.node("d1", "Dense", "dense", ["d0"], [null, 4], { params: 20 });
  b.node("a1", "Add", "merge", ["d1", "d0"], [null, 4]);
  b.node("d2", "Dense", "dense", ["a1"], [null, 8], { params: 40 });
  b.node("d3", "Dense", "dense", ["d2"], [null, 8], { params: 72 });
  b.node("a2", "Add", "merge", ["d3", "d2"], [null, 8]);
  const ir = b.build();
  const rows = findStages(ir, findResidualBlocks(ir));
  assert.deepEqual(
    rows.map((r) => [r.name, r.nodes.join(" "), r.params]),
    [
      ["stem", "in d0", 20],
      ["stage1", "d1 a1", 20],
      ["stage2", "d2 d3 a2", 112], // a weighted node between blocks opens the next block's stage
    ],
  );
});

test("a block's own Parameter (a layer scale) counts in its stage, and the stem's size is the stem's output", async () => {
  const { analyze } = await import("../../src/analyze");
  const text = `import torch
import torch.nn as nn

class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(d))
        self.conv = nn.Conv2d(d, d, 3, padding=1)

    def forward(self, x):
        return x + self.scale.unsqueeze(-1).unsqueeze(-1) * self.conv(x)

def f():
    return nn.Sequential(nn.Conv2d(3, 8, 4, 4), Block(8), Block(8))
`;
  const ir = analyze({ file: "m.py", text, entry: "f()", input: [[1, 3, 32, 32]] }).ir!;
  const rows = findStages(ir, findResidualBlocks(ir));
  // Was: stem [8, 1, 1] (the first block's unsqueeze) with 400 params.
  assert.deepEqual(rows.map((r) => [r.name, r.outputShape, r.params]), [
    ["conv1", [1, 8, 8, 8], 392],
    ["conv2_x", [1, 8, 8, 8], 2 * (8 + 584)],
  ]);
});
