// torch.jit.ScriptModule is an nn.Module: TorchScript-era blocks (pytorch-cifar100's stochastic-depth
// ResNets) derive from it and mark forward with @torch.jit.script_method, which changes nothing here.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import { summarize } from "../../../src/analysis/summary";
import { completenessOf } from "../../../src/cli/completeness";

const NET = `import torch
import torch.nn as nn

class Block(torch.jit.ScriptModule):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)

    @torch.jit.script_method
    def forward(self, x):
        return self.conv(x) + x

    @torch.jit.ignore
    def unused(self):
        return None

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1)
        self.body = nn.Sequential(Block(16), Block(16))
        self.fc = nn.Linear(16, 10)
        self.is_script = isinstance(self.body[0], torch.jit.ScriptModule) and isinstance(self.body[0], nn.Module)

    def forward(self, x):
        x = self.body(self.stem(x))
        return self.fc(x.mean((2, 3)))
`;

test("a torch.jit.ScriptModule subclass is a Module: 5,258 params and two identity residual blocks", () => {
  const r = analyze({ file: "m.py", text: NET, entry: "Net()", input: [[1, 3, 16, 16]] });
  const ir = r.ir!;
  const s = summarize(ir, r.diagnostics);
  assert.equal(ir.paramTotals.params, 448 + 2 * 2320 + 170);
  assert.deepEqual(s.residualBlocks.map((b) => b.shortcut), ["identity", "identity"]);
  assert.deepEqual(ir.nodes.map((n) => n.id), ["input", "stem", "body/0/conv", "body/0/add", "body/1/conv", "body/1/add", "mean", "fc"]);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
  assert.equal(completenessOf(ir, r.diagnostics).complete, true);
});
