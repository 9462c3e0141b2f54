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
