// Half-typed and mutated model files never throw and never hang.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { analyze } from "../../src/analyze";
import { mutate, rng } from "./mutate";

const EXAMPLES = readdirSync("examples").filter((f) => f.endsWith(".py")).sort();
const COUNT = Number(process.env.RESGRAPH_FUZZ_COUNT ?? 2000);

test(`${COUNT} random mutations of the examples analyse without throwing or hanging`, () => {
  const r = rng(20261128);
  let withGraph = 0;
  let slowest = 0;
  for (let i = 0; i < COUNT; i++) {
    const file = EXAMPLES[i % EXAMPLES.length];
    let src = readFileSync(`examples/${file}`, "utf8");
    const rounds = 1 + Math.floor(r() * 3);
    for (let k = 0; k < rounds; k++) src = mutate(src, r);
    const t0 = performance.now();
    let result;
    try {
      result = analyze({ file, text: src, stepBudget: 50_000 });
    } catch (e) {
      assert.fail(`mutation ${i} of ${file} threw: ${(e as Error).stack}\n--- source ---\n${src}`);
    }
    const ms = performance.now() - t0;
    slowest = Math.max(slowest, ms);
    assert.ok(Array.isArray(result.diagnostics));
    for (const d of result.diagnostics) {
      assert.equal(typeof d.message, "string");
      assert.ok(d.range.start.line >= 0 && d.range.end.line >= d.range.start.line, `bad range in ${JSON.stringify(d)}`);
    }
    if (result.ir) withGraph++;
  }
  // Most single mutations still leave a model to show: a partial graph, not nothing.
  assert.ok(withGraph > COUNT * 0.4, `only ${withGraph} of ${COUNT} mutated files produced a graph`);
  // A hang guard, not a benchmark: the step budget bounds every file.
  assert.ok(slowest < 5000, `slowest mutation took ${slowest.toFixed(0)} ms`);
});

test("every prefix of a model file (cut at each line and mid-line) analyses without throwing", () => {
  const src = readFileSync("examples/cifar_resnet.py", "utf8");
  for (let cut = 0; cut <= src.length; cut += 7) {
    const result = analyze({ file: "cifar_resnet.py", text: src.slice(0, cut), stepBudget: 100_000 });
    assert.ok(Array.isArray(result.diagnostics));
  }
});

test("deep recursion and infinite loops in model code end with diagnostics", () => {
  const src = `import torch.nn as nn
k = 0
while True:
    k += 1
def deep(n):
    return deep(n + 1) + 1
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)
    def forward(self, x):
        deep(0)
        return self.fc(x)
`;
  const result = analyze({ file: "loop.py", text: src, stepBudget: 50_000, input: [[1, 4]] });
  const codes = result.diagnostics.map((d) => d.code);
  // The loop and the recursion are cut off, and the model after them is still analysed.
  assert.equal(result.ir?.paramTotals.params, 10);
  assert.ok(codes.includes("budget"), codes.join());
  assert.ok(codes.includes("recursion"), codes.join());
});
