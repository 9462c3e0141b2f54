// A loop that applies layers forever ends with the step budget's diagnostic at the loop. (Making a layer
// or a graph node counts as ten steps, so such loops end early: the fuzz test's hang guard covers that.)

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../src/analyze";

test("an endless loop of layer applications stops at the budget with a diagnostic at the loop", () => {
  const text = `
import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
    def forward(self, x):
        while True:
            x = self.fc(x)
        return x
`;
  const r = analyze({ file: "loop.py", text, entry: "Net()", input: [[1, 8]], stepBudget: 20_000 });
  const budget = r.diagnostics.find((d) => d.code === "budget");
  assert.ok(budget, r.diagnostics.map((d) => d.message).join("\n"));
  assert.match(budget.message, /stopped after 20,000 steps \(line 9\)/);
  assert.equal(r.ir, null, "the forward pass did not finish, so there is no graph to show");
});
