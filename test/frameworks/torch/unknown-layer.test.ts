// Instances of classes the analyzer does not model (timm's DropPath, Mlp), called on a tensor in a
// PyTorch model: an opaque node that passes the input shape through, with a warning naming the class,
// so residual branches and depth survive; their weights cannot be counted, so the totals say so.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import { summarize } from "../../../src/analysis/summary";
import { completenessOf } from "../../../src/cli/completeness";

function run(text: string, entry: string, shape: number[]) {
  const r = analyze({ file: "m.py", text, entry, input: [shape] });
  const ir = r.ir!;
  return {
    ir,
    s: summarize(ir, r.diagnostics),
    completeness: completenessOf(ir, r.diagnostics),
    problems: r.diagnostics.filter((d) => d.severity !== "info").map((d) => [d.range.start.line + 1, d.code, d.message]),
    nodes: ir.nodes.map((n) => [n.id, n.op, n.inputs.length, n.paramsUnknown ?? false]),
  };
}

const DROP_PATH = `import torch.nn as nn
from mylib.layers import DropPath

class Block(nn.Module):
    def __init__(self, dim, drop_path=0.1):
        super().__init__()
        self.conv = nn.Conv2d(dim, dim, 3, padding=1)
        self.drop_path = DropPath(drop_path) if drop_path > 0. else nn.Identity()
    def forward(self, x):
        return x + self.drop_path(self.conv(x))

class Net(nn.Module):
    def __init__(self, drop_path=0.1):
        super().__init__()
        self.blocks = nn.Sequential(Block(8, drop_path), Block(8, drop_path))
    def forward(self, x):
        return self.blocks(x)
`;

test("an unmodelled layer class on a residual branch (a DropPath from an unmodelled package) is an opaque node: the residual blocks and depth stay", () => {
  const r = run(DROP_PATH, "Net()", [1, 8, 16, 16]);
  assert.deepEqual(r.nodes, [
    ["input", "Input", 0, false],
    ["blocks/0/conv", "Conv2d", 1, false],
    ["blocks/0/DropPath", "DropPath", 1, true],
    ["blocks/0/add", "add", 2, false],
    ["blocks/1/conv", "Conv2d", 1, false],
    ["blocks/1/DropPath", "DropPath", 1, true],
    ["blocks/1/add", "add", 2, false],
  ]);
  // As with drop_path=0.0 (nn.Identity): two identity blocks, two weighted layers deep.
  assert.equal(r.s.residualBlocks.length, 2);
  assert.equal(r.s.totals.depth, 2);
  assert.equal(r.ir.paramTotals.params, 1168);
  assert.deepEqual(r.problems, [
    [10, "unsupported", "Unknown layer class 'mylib.layers.DropPath': shown as an opaque node whose output is assumed to have its input's shape; its parameters, if any, are not counted, and a shape error after it may come from that assumption."],
  ]);
  assert.deepEqual([r.completeness.params, r.completeness.macs], [["2 layers' parameters unknown"], ["2 opaque nodes"]]);
  const identity = run(DROP_PATH, "Net(0.0)", [1, 8, 16, 16]);
  assert.deepEqual([identity.s.residualBlocks.length, identity.s.totals.depth, identity.completeness.complete], [2, 2, true]);
});

test("unmodelled layers in a ModuleList hold their places, and the parameter total says it is a lower bound", () => {
  const r = run(
    `import torch.nn as nn
from timm.layers import Mlp

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = Mlp(64, 256)
        self.blocks = nn.ModuleList([Mlp(64, 256) for _ in range(2)])
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        x = self.mlp(x)
        for b in self.blocks:
            x = b(x)
        return self.head(x)
`,
    "Net()",
    [1, 64],
  );
  assert.deepEqual(r.nodes, [
    ["input", "Input", 0, false],
    ["Mlp", "Mlp", 1, true],
    ["blocks/0/Mlp", "Mlp", 1, true],
    ["blocks/1/Mlp", "Mlp", 1, true],
    ["head", "Linear", 1, false],
  ]);
  assert.equal(r.ir.paramTotals.params, 650);
  assert.deepEqual(r.s.output, [[1, 10]]);
  assert.deepEqual(r.completeness.params, ["3 layers' parameters unknown"]);
  // One warning for the class, at the first line that applies it.
  assert.deepEqual(r.problems.map(([line, code]) => [line, code]), [[12, "unsupported"]]);
});

test("an unmodelled class's instance that is not called on a tensor stays unknown, and so does an unmodelled function's result", () => {
  const r = run(
    `import torch.nn as nn
import timm
from sklearn.preprocessing import StandardScaler

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.scaler = StandardScaler()
        self.n = StandardScaler().fit([1])

    def forward(self, x):
        y = timm.create_model('resnet18')(x)
        return self.fc(x)
`,
    "Net()",
    [1, 4],
  );
  assert.deepEqual(r.nodes, [
    ["input", "Input", 0, false],
    ["fc", "Linear", 1, false],
  ]);
  assert.deepEqual(r.problems, []);
  // The stored StandardScaler might be a module with weights, for all the analyzer knows.
  assert.deepEqual([r.completeness.complete, r.completeness.params], [false, ["1 unmodelled module's parameters unknown (never applied)"]]);
});

test("an unmodelled layer stored on a module but never applied makes the parameter total a lower bound; applied ones are counted on their nodes only", () => {
  const r = run(
    `import torch.nn as nn
import timm

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.unused = timm.layers.Mlp(4, 8)
        self.used = timm.layers.Mlp(4, 8)

    def forward(self, x):
        return self.fc(self.used(x))
`,
    "Net()",
    [1, 4],
  );
  assert.equal(r.ir.paramTotals.params, 20);
  assert.equal(r.ir.paramTotals.unappliedUnknownModules, 1);
  assert.deepEqual(r.completeness.params, ["1 layer's parameters unknown", "1 unmodelled module's parameters unknown (never applied)"]);
});

test("a shape error that comes only from the shape assumed for an unmodelled layer (timm PatchEmbed) is a warning naming it; one on a tensor the assumption never reached stays an error", () => {
  const r = analyze({
    file: "m.py",
    text: `import torch.nn as nn
from timm.layers import PatchEmbed

class ViT(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch_embed = PatchEmbed(32, 4, 3, 1536)
        self.head = nn.Linear(1536, 10)
        self.other = nn.Linear(7, 10)

    def forward(self, x):
        t = self.patch_embed(x)
        t = self.head(t.flatten(2).mean(2))
        return t, self.other(x.flatten(1))
`,
    entry: "ViT()",
    input: [[2, 3, 32, 32]],
  });
  assert.deepEqual(
    r.diagnostics.filter((d) => d.code === "shape-mismatch").map((d) => [d.range.start.line + 1, d.severity, d.message]),
    [
      [13, "warning", "Linear 'head' expects 1536 input features, got 3; that size comes from the shape assumed for the unmodelled PatchEmbed at line 12 (line 13)."],
      [14, "error", "Linear 'other' expects 7 input features, got 3072 (line 14)."],
    ],
  );
});
