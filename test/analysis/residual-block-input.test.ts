// The shortcut carries the block's input x (He et al.: y = F(x) + x): adds of sibling pieces of one
// tensor are not shortcuts, and an x whose block also reads a second tensor is still the fork.
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../src/analyze";
import { analyzeGraph } from "../../src/analysis/summary";

function summary(body: string, entry: string, input: number[][]) {
  const text = `import torch\nimport torch.nn as nn\n\n${body}`;
  const r = analyze({ file: "m.py", text, entry, input });
  return { params: r.ir!.paramTotals.params, blocks: analyzeGraph(r.ir!).blocks };
}

// timm's Res2Net Bottle2neck, narrowed: `sp + spx[i]` adds a sibling split to a conv of the previous one.
const RES2NET = `class Bottle2neck(nn.Module):
    def __init__(self, inplanes, width, scale, downsample=None):
        super().__init__()
        self.width = width
        self.is_first = downsample is not None
        self.conv1 = nn.Conv2d(inplanes, width * scale, 1, bias=False)
        self.convs = nn.ModuleList([nn.Conv2d(width, width, 3, padding=1, bias=False) for _ in range(scale - 1)])
        self.pool = nn.AvgPool2d(3, 1, 1) if self.is_first else None
        self.conv3 = nn.Conv2d(width * scale, 16, 1, bias=False)
        self.relu = nn.ReLU()
        self.downsample = downsample

    def forward(self, x):
        shortcut = x
        spx = torch.split(self.relu(self.conv1(x)), self.width, 1)
        spo = []
        for i, conv in enumerate(self.convs):
            sp = spx[i] if i == 0 or self.is_first else sp + spx[i]
            sp = self.relu(conv(sp))
            spo.append(sp)
        spo.append(self.pool(spx[-1]) if self.is_first else spx[-1])
        out = self.conv3(torch.cat(spo, 1))
        if self.downsample is not None:
            shortcut = self.downsample(x)
        out += shortcut
        return self.relu(out)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer1 = nn.Sequential(Bottle2neck(8, 2, 4, nn.Conv2d(8, 16, 1, bias=False)), Bottle2neck(16, 2, 4))

    def forward(self, x):
        return self.layer1(x)
`;

test("Res2Net: the hierarchical split adds are not blocks; each Bottle2neck's outer shortcut is", () => {
  const { params, blocks } = summary(RES2NET, "Net()", [[1, 8, 8, 8]]);
  assert.equal(params, 792);
  assert.deepEqual(
    blocks.map((b) => [b.id, b.forkNode, b.mergeNode, b.shortcut, b.shortcutPath, b.weightedLayers, b.params]),
    [
      ["layer1/0", "input", "layer1/0/add", "projection", ["layer1/0/downsample"], 3, 428],
      // conv1, the three chained 3x3 convs and conv3; the adds of split pieces inside are no blocks.
      ["layer1/1", "layer1/0/relu_4", "layer1/1/add_2", "identity", [], 5, 364],
    ],
  );
});

test("two pieces of one split added are not a block, nor is sum() over the pieces (split attention)", () => {
  const { blocks } = summary(
    `class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(8, 8, 1)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
    def forward(self, x):
        a, b = torch.split(self.conv1(x), 4, 1)
        y = self.conv2(a) + b
        return torch.cat([y, b, sum(torch.chunk(x, 2, 1))], 1)
`,
    "M()",
    [[1, 8, 16, 16]],
  );
  assert.deepEqual(blocks, []);
});

test("a piece added back to a conv of that same piece, sliced twice, is an identity block", () => {
  const { blocks } = summary(
    `class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 3, padding=1)
    def forward(self, x):
        return self.conv(torch.split(x, 4, 1)[0]) + x[:, 0:4]
`,
    "M()",
    [[1, 8, 16, 16]],
  );
  assert.deepEqual(
    blocks.map((b) => [b.forkNode, b.shortcut, b.shortcutPath, b.mainPath]),
    [["input", "identity", ["getitem"], ["split", "conv"]]],
  );
});

// timm's DPN DualPathBlock, narrowed: the state is a (resid, dense) pair and the block reads both.
const DPN = `class Block(nn.Module):
    def __init__(self, c, inc):
        super().__init__()
        self.conv = nn.Conv2d(c + inc, c + 4, 1)
        self.c = c

    def forward(self, x):
        x_in = torch.cat(x, dim=1)
        out = self.conv(x_in)
        resid = x[0] + out[:, :self.c]
        dense = torch.cat([x[1], out[:, self.c:]], dim=1)
        return resid, dense


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 12, 1)
        self.b1 = Block(8, 4)
        self.b2 = Block(8, 8)

    def forward(self, x):
        x = self.stem(x)
        x = (x[:, :8], x[:, 8:])
        x = self.b1(x)
        x = self.b2(x)
        return torch.cat(x, dim=1)
`;

test("DPN: resid + f(cat(resid, dense)) is an identity block forked at resid; the dense path stays outside", () => {
  const { params, blocks } = summary(DPN, "Net()", [[1, 3, 16, 16]]);
  assert.equal(params, 408);
  assert.deepEqual(
    blocks.map((b) => [b.id, b.forkNode, b.mergeNode, b.shortcut, b.nodes, b.params]),
    [
      ["b1", "getitem", "b1/add", "identity", ["b1/cat", "b1/conv", "b1/getitem", "b1/add"], 156],
      ["b2", "b1/add", "b2/add", "identity", ["b2/cat", "b2/conv", "b2/getitem", "b2/add"], 204],
    ],
  );
});

test("DLA: the aggregation node's residual x2 + bn(conv(cat(x2, x1))) forks at x2, not at x1", () => {
  const { blocks } = summary(
    `class Root(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(16, 8, 1, bias=False)
        self.bn = nn.BatchNorm2d(8)
    def forward(self, *x):
        children = x
        x = self.bn(self.conv(torch.cat(x, 1)))
        x += children[0]
        return torch.relu(x)


class Tree(nn.Module):
    def __init__(self):
        super().__init__()
        self.tree1 = nn.Conv2d(8, 8, 3, padding=1)
        self.tree2 = nn.Conv2d(8, 8, 3, padding=1)
        self.root = Root()
    def forward(self, x):
        x1 = self.tree1(x)
        x2 = self.tree2(x1)
        return self.root(x2, x1)
`,
    "Tree()",
    [[1, 8, 8, 8]],
  );
  assert.deepEqual(
    blocks.map((b) => [b.id, b.forkNode, b.shortcut, b.nodes, b.weightedLayers]),
    [["root", "tree2", "identity", ["root/cat", "root/conv", "root/bn", "root/add"], 1]],
  );
});
