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

test("a multi-branch network (HRNet) whose branches' blocks alternate sizes has its top-level modules as stages", async () => {
  const { analyze } = await import("../../src/analyze");
  const text = `import torch.nn as nn

class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return x + self.conv(x)

class Stage(nn.Module):
    def __init__(self):
        super().__init__()
        self.branches = nn.ModuleList([nn.Sequential(Block(8), Block(8)), nn.Sequential(Block(16), Block(16))])

    def forward(self, xs):
        return [self.branches[0](xs[0]), self.branches[1](xs[1])]

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.layer1 = Block(8)
        self.down = nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.stage2 = Stage()
        self.stage3 = Stage()

    def forward(self, x):
        x = self.layer1(self.stem(x))
        xs = self.stage2([x, self.down(x)])
        xs = self.stage3(xs)
        return xs[0].mean() + xs[1].mean()
`;
  const { ir } = analyze({ file: "hr.py", text, entry: "Net()", input: [[1, 3, 16, 16]] });
  assert.ok(ir);
  const rows = findStages(ir, findResidualBlocks(ir));
  // By size alone the blocks would alternate 8x16x16 / 16x8x8 and make a stage of nearly every block.
  assert.deepEqual(
    rows.map((r) => [r.name, r.blockCount, r.blocks.map((b) => b.split("/")[0])]),
    [
      ["conv1", 0, []],
      ["conv2_x", 1, ["layer1"]],
      ["conv3_x", 4, ["stage2", "stage2", "stage2", "stage2"]],
      ["conv4_x", 4, ["stage3", "stage3", "stage3", "stage3"]],
      ["head", 0, []],
    ],
  );
});
