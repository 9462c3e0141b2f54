import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";

const run = (forward: string, input: number[][]) => {
  const text = `import torch\nimport torch.nn as nn\n\nclass M(nn.Module):\n    def forward(self, x, *rest):\n        ${forward}\n`;
  const a = analyze({ file: "m.py", text, entry: "M()", input });
  return { ir: a.ir!, warnings: a.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message) };
};

test("tensor comparisons are elementwise bool tensors with the broadcast shape, and feed what uses them", () => {
  const gt = run("return x * (x > 0)", [[1, 4]]);
  assert.deepEqual(gt.warnings, []);
  assert.deepEqual(gt.ir.nodes.map((n) => [n.op, n.shape, n.inputs]), [
    ["Input", [1, 4], []],
    ["gt", [1, 4], ["input"]],
    ["mul", [1, 4], ["input", "gt"]],
  ]);
  // Before: `x == 0` fell back to Python identity and gave False; the mask branch dangled.
  const masked = run("return x.masked_fill(rest[0][:, :, :3, :3] == 0, float('-inf'))", [[1, 2, 3, 3], [1, 1, 4, 4]]);
  assert.deepEqual(masked.warnings, []);
  assert.deepEqual(masked.ir.nodes.find((n) => n.op === "eq")!.shape, [1, 1, 3, 3]);
  const where = run("return torch.where(x.gt(0), x, torch.zeros(1, 1, 8))", [[1, 4, 1]]);
  assert.deepEqual([where.warnings, where.ir.nodes.at(-1)!.op, where.ir.nodes.at(-1)!.shape], [[], "where", [1, 4, 8]]);
  const bad = run("return x < rest[0]", [[2, 3], [4, 5]]);
  assert.deepEqual(bad.warnings, ["Cannot compare tensors of shapes [2, 3] and [4, 5]: they do not broadcast (line 6)."]);
});

test("a tensor compared with None is Python identity, not elementwise", () => {
  const r = run("return x if x is not None and x != None else None", [[2]]);
  assert.deepEqual([r.warnings, r.ir.nodes.map((n) => n.op)], [[], ["Input"]]);
});
