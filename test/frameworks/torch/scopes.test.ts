import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";

test("a submodule's forward called directly (LLaMA's self.attention.forward(x)) scopes its nodes under that module", () => {
  const text = `import torch.nn as nn

class Inner(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
        return self.fc(x).view(-1, 2, 4)

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = Inner()

    def forward(self, x):
        return self.inner.forward(x).flatten(1) + self.inner(x).flatten(1)
`;
  const r = analyze({ file: "m.py", text, entry: "M()", input: [[2, 8]] });
  assert.deepEqual(
    r.ir!.nodes.map((n) => [n.id, n.scope]),
    [["input", ""], ["inner/fc", "inner/fc"], ["inner/view", "inner"], ["flatten", ""], ["inner/fc_1", "inner/fc"], ["inner/view_1", "inner"], ["flatten_1", ""], ["add", ""]],
  );
});
