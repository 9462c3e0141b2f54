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
