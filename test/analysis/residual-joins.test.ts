// Adds that join branches of one fork but are not shortcuts in the ResNet paper's sense.
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../src/analyze";
import { analyzeGraph } from "../../src/analysis/summary";

function blocks(body: string, input: number[][]) {
  const text = `import torch\nimport torch.nn as nn\n\n${body}`;
  const r = analyze({ file: "m.py", text, entry: "M()", input });
  return analyzeGraph(r.ir!).blocks.map((b) => [b.mergeNode, b.shortcut]);
}

test("a broadcast mask added in several layers is not an identity shortcut", () => {
  assert.deepEqual(
    blocks(
      `class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(16, 16)
        self.b = nn.Linear(16, 16)
    def forward(self, x, mask):
        bias = (1.0 - mask[:, None, :]) * -10000.0
        x = self.a(x) + bias
        return self.b(x) + bias
`,
      [[2, 5, 16], [2, 16]],
    ),
    [],
  );
});

test("parallel one-layer branches (two heads, a VAE's mu + eps * std) are not projection shortcuts", () => {
  assert.deepEqual(
    blocks(
      `class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = nn.Linear(8, 10)
        self.head_dist = nn.Linear(8, 10)
    def forward(self, x):
        return (self.head(x[:, 0]) + self.head_dist(x[:, 1])) / 2
`,
      [[1, 2, 8]],
    ),
    [],
  );
  assert.deepEqual(
    blocks(
      `class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.mu = nn.Linear(8, 2)
        self.logvar = nn.Linear(8, 2)
    def forward(self, x):
        mu, logvar = self.mu(x), self.logvar(x)
        return mu + torch.randn_like(logvar) * torch.exp(0.5 * logvar)
`,
      [[4, 8]],
    ),
    [],
  );
});

test("a same-shape identity add and a projection shorter than its main path stay residual blocks", () => {
  assert.deepEqual(
    blocks(
      `class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(4, 8, 3, padding=1)
        self.c2 = nn.Conv2d(8, 8, 3, padding=1)
        self.proj = nn.Conv2d(4, 8, 1)
        self.c3 = nn.Conv2d(8, 8, 3, padding=1)
    def forward(self, x):
        y = self.c2(self.c1(x)) + self.proj(x)
        return self.c3(y) + y
`,
      [[1, 4, 8, 8]],
    ),
    [["add", "projection"], ["add_1", "identity"]],
  );
});

test("a block whose main path also adds a second model input (a diffusion UNet's time embedding) is still found", () => {
  const text = `import torch.nn as nn

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(4, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.time = nn.Linear(6, 8)
        self.res_conv = nn.Conv2d(4, 8, 1)

    def forward(self, x, t):
        h = self.conv1(x) + self.time(t)[:, :, None, None]
        return self.conv2(h) + self.res_conv(x)
`;
  const r = analyze({ file: "m.py", text, entry: "Block()", input: [[2, 4, 8, 8], [2, 6]] });
  const found = analyzeGraph(r.ir!).blocks.map((b) => [b.forkNode, b.mergeNode, b.shortcut, b.nodes]);
  assert.deepEqual(found, [["input", "add_1", "projection", ["conv1", "add", "conv2", "res_conv", "add_1"]]]);
});

test("a sum fusing two parallel branches, each a residual block, is no projection block (HRNet's fusion)", () => {
  const text = `import torch.nn as nn

class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return x + self.conv(x)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.down = nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.b0, self.b1 = Block(8), Block(16)
        self.up = nn.Sequential(nn.Conv2d(16, 8, 1), nn.Upsample(scale_factor=2))
        self.dn = nn.Conv2d(8, 16, 3, stride=2, padding=1)

    def forward(self, x):
        x = self.stem(x)
        x0, x1 = self.b0(x), self.b1(self.down(x))
        return x0 + self.up(x1), x1 + self.dn(x0)
`;
  const r = analyze({ file: "m.py", text, entry: "Net()", input: [[1, 3, 16, 16]] });
  const found = analyzeGraph(r.ir!).blocks.map((b) => [b.forkNode, b.mergeNode, b.shortcut, b.nodes]);
  assert.deepEqual(found, [
    ["stem", "b0/add", "identity", ["b0/conv", "b0/add"]],
    ["down", "b1/add", "identity", ["b1/conv", "b1/add"]],
  ]);
});

test("a positional embedding added again at every layer is no identity shortcut (DETR's src + pos)", () => {
  const layer = `import torch.nn as nn

class Layer(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.lin = nn.Linear(d, d)

    def forward(self, x, pos):
        return x + self.lin(x + pos)
`;
  const twoInputs = `${layer}
class Net(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.layers = nn.ModuleList([Layer(d) for _ in range(3)])

    def forward(self, x, pos):
        for layer in self.layers:
            x = layer(x, pos)
        return x
`;
  const r = analyze({ file: "m.py", text: twoInputs, entry: "Net()", input: [[1, 10, 16], [1, 10, 16]] });
  const found = analyzeGraph(r.ir!).blocks.map((b) => [b.forkNode, b.mergeNode, b.shortcut, b.mainPath]);
  assert.deepEqual(found, [
    ["input", "layers/0/add_1", "identity", ["layers/0/add", "layers/0/lin"]],
    ["layers/0/add_1", "layers/1/add_1", "identity", ["layers/1/add", "layers/1/lin"]],
    ["layers/1/add_1", "layers/2/add_1", "identity", ["layers/2/add", "layers/2/lin"]],
  ]);

  // The stream made from the embedding itself (DETR's decoder, whose queries start from query_pos):
  // every `x + pos` then looks like pos + f(pos) and is told apart only as an injection into the
  // block that forks at x.
  const oneInput = `${layer}
class Net(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.embed = nn.Linear(d, d)
        self.layers = nn.ModuleList([Layer(d) for _ in range(3)])

    def forward(self, pos):
        x = self.embed(pos)
        for layer in self.layers:
            x = layer(x, pos)
        return x
`;
  const one = analyze({ file: "m.py", text: oneInput, entry: "Net()", input: [[1, 10, 16]] });
  assert.deepEqual(
    analyzeGraph(one.ir!).blocks.map((b) => [b.forkNode, b.mergeNode, b.shortcut]),
    [
      ["embed", "layers/0/add_1", "identity"],
      ["layers/0/add_1", "layers/1/add_1", "identity"],
      ["layers/1/add_1", "layers/2/add_1", "identity"],
    ],
  );
});

test("blocks nested around one input stay blocks (RCAN's group and global skips add the same x)", () => {
  const text = `import torch.nn as nn

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(8, 8, 3, padding=1)

    def forward(self, x):
        return x + self.conv(x)

class Group(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(Block(), Block(), nn.Conv2d(8, 8, 3, padding=1))

    def forward(self, x):
        return x + self.body(x)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = nn.Conv2d(3, 8, 3, padding=1)
        self.body = nn.Sequential(Group(), Group())

    def forward(self, x):
        x = self.head(x)
        return x + self.body(x)
`;
  const r = analyze({ file: "m.py", text, entry: "Net()", input: [[1, 3, 8, 8]] });
  const found = analyzeGraph(r.ir!).blocks.map((b) => [b.forkNode, b.mergeNode, b.shortcut, b.parent ?? null]);
  assert.deepEqual(found, [
    ["head", "body/0/body/0/add", "identity", "body/0"],
    ["body/0/body/0/add", "body/0/body/1/add", "identity", "body/0"],
    ["head", "body/0/add", "identity", "block_add"],
    ["body/0/add", "body/1/body/0/add", "identity", "body/1"],
    ["body/1/body/0/add", "body/1/body/1/add", "identity", "body/1"],
    ["body/0/add", "body/1/add", "identity", "block_add"],
    ["head", "add", "identity", null],
  ]);
});

test("a shortcut that stacks layers (an activation between two) is no projection; a depthwise-separable one is", () => {
  const stacked = `class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1))
        self.side = nn.Sequential(nn.Conv2d(8, 8, 1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1))
    def forward(self, x):
        return self.main(x) + self.side(x)
`;
  assert.deepEqual(blocks(stacked, [[1, 8, 8, 8]]), []);
  const ghost = `class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(nn.Conv2d(8, 16, 1), nn.ReLU(), nn.Conv2d(16, 16, 3, stride=2, padding=1, groups=16), nn.Conv2d(16, 16, 1))
        self.shortcut = nn.Sequential(
            nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=8), nn.BatchNorm2d(8), nn.Conv2d(8, 16, 1), nn.BatchNorm2d(16)
        )
    def forward(self, x):
        return self.main(x) + self.shortcut(x)
`;
  assert.deepEqual(blocks(ghost, [[1, 8, 8, 8]]), [["add", "projection"]]);
});
