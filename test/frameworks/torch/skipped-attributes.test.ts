// Layers and parameters a model would have but the analyzer could not build: a statement skipped in
// a Module's __init__ (an argument from an unmodelled helper) or a Parameter of unknown shape. Their
// weights are counted nowhere, so the params total says it is a lower bound and names the lines.
// And timm's small helpers (to_2tuple, trunc_normal_, DropPath), modelled so such code builds whole.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import { completenessOf } from "../../../src/cli/completeness";

function run(text: string, entry: string, shape: number[]) {
  const r = analyze({ file: "m.py", text, entry, input: [shape] });
  const ir = r.ir!;
  return {
    ir,
    params: ir.paramTotals.params,
    completeness: completenessOf(ir, r.diagnostics),
    problems: r.diagnostics.filter((d) => d.severity === "warning" || d.severity === "error").map((d) => [d.range.start.line + 1, d.code, d.message]),
    nodes: ir.nodes.map((n) => [n.id, n.op, n.params]),
  };
}

const PATCH_EMBED = (helper: string) => `import torch
import torch.nn as nn
from ${helper} import to_2tuple

class PatchEmbed(nn.Module):
    def __init__(self, patch_size=4, in_chans=3, embed_dim=96):
        super().__init__()
        patch_size = to_2tuple(patch_size)
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)
        self.table = nn.Parameter(torch.zeros((2 * patch_size[0] - 1) * (2 * patch_size[1] - 1), 3))
        self.head = nn.Linear(embed_dim, 10)

    def forward(self, x):
        x = self.proj(x).flatten(2).transpose(1, 2)
        return self.head(x)
`;

test("a layer whose constructor statement was skipped makes the params total a lower bound naming the line; so does a Parameter of unknown shape", () => {
  const r = run(PATCH_EMBED("mylib"), "PatchEmbed()", [1, 3, 32, 32]);
  assert.equal(r.params, 970);
  assert.deepEqual(r.ir.paramTotals.skippedAttributes, ["self.proj (line 9)"]);
  assert.deepEqual(r.ir.paramTotals.unsizedParameters, ["'table' of PatchEmbed (line 10)"]);
  assert.deepEqual(r.completeness.params, [
    "1 module attribute missing after skipped statements: self.proj (line 9)",
    "1 parameter of unknown shape: 'table' of PatchEmbed (line 10)",
  ]);
  assert.deepEqual(r.problems.slice(0, 2), [
    [9, "unknown-value", "'kernel_size' could not be determined: the result of calling mylib.to_2tuple (line 9). The statement was skipped."],
    [10, "unknown-value", "Parameter 'table' of PatchEmbed has a shape the analyzer cannot know ([?, 3]): its elements are counted as 0, so the params total is a lower bound."],
  ]);
});

test("timm's to_2tuple sizes the layers: PatchEmbed is whole, 970 + 4,704 conv + 147 table params, exact", () => {
  for (const module of ["timm.models.layers", "timm.layers"]) {
    const r = run(PATCH_EMBED(module), "PatchEmbed()", [1, 3, 32, 32]);
    assert.equal(r.params, 5821);
    assert.deepEqual(r.nodes, [
      ["input", "Input", 0],
      ["proj", "Conv2d", 4704],
      ["flatten", "flatten", 0],
      ["transpose", "transpose", 0],
      ["head", "Linear", 970],
    ]);
    assert.deepEqual([r.completeness.complete, r.problems], [true, []]);
  }
});

test("a Parameter of unknown shape is named in a warning at its line and makes the total a lower bound", () => {
  const r = run(
    `import torch
import torch.nn as nn
from mylib import window

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.table = nn.Parameter(torch.zeros(window(7), 3))
        self.register_parameter("bias", nn.Parameter(torch.zeros(window(7))))
        self.head = nn.Linear(8, 10)

    def forward(self, x):
        return self.head(x)
`,
    "M()",
    [1, 8],
  );
  assert.equal(r.params, 90);
  assert.deepEqual(r.problems, [
    [8, "unknown-value", "Parameter 'table' of M has a shape the analyzer cannot know ([?, 3]): its elements are counted as 0, so the params total is a lower bound."],
    [9, "unknown-value", "Parameter 'bias' of M has a shape the analyzer cannot know ([?]): its elements are counted as 0, so the params total is a lower bound."],
  ]);
  assert.deepEqual(r.completeness.params, ["2 parameters of unknown shape: 'table' of M (line 8), 'bias' of M (line 9)"]);
});

test("a skipped append to a ModuleList and a layer a helper could not return (applied in forward) make the total a lower bound; a lost config value does not", () => {
  const r = run(
    `import torch.nn as nn
from mylib import helper

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3)
        self.blocks = nn.ModuleList()
        for i in range(2):
            self.blocks.append(nn.Conv2d(8, 8, helper(i)))
        self.layer1 = self._make_layer()
        self.cfg = self._config()

    def _make_layer(self):
        layers = [nn.Conv2d(8, 8, 1)]
        layers.append(nn.Conv2d(8, 8, helper(3)))
        return nn.Sequential(*layers)

    def _config(self):
        return dict(helper.defaults)

    def forward(self, x):
        return self.layer1(self.stem(x))
`,
    "Net()",
    [1, 3, 16, 16],
  );
  assert.equal(r.params, 224);
  assert.deepEqual(r.completeness.params, [
    "2 module attributes missing after skipped statements: self.blocks.append(...) (line 10), self.layer1 (the value line 17 could not compute)",
  ]);
});

test("timm's DropPath is a weightless node on the residual branch; trunc_normal_ and to_ntuple are modelled", () => {
  const r = run(
    `import torch
import torch.nn as nn
from timm.layers import DropPath, to_ntuple, trunc_normal_

class Block(nn.Module):
    def __init__(self, dim=8, drop_path=0.1):
        super().__init__()
        k = to_ntuple(2)(3)
        self.conv = nn.Conv2d(dim, dim, k, padding=(1, 1))
        self.pos = nn.Parameter(torch.zeros(1, dim, 1, 1))
        trunc_normal_(self.pos, std=0.02)
        self.drop_path = DropPath(drop_path)

    def forward(self, x):
        return x + self.drop_path(self.conv(x))
`,
    "Block()",
    [1, 8, 16, 16],
  );
  assert.equal(r.params, 8 * 8 * 9 + 8 + 8);
  assert.deepEqual(r.nodes, [
    ["input", "Input", 0],
    ["conv", "Conv2d", 584],
    ["drop_path", "DropPath", 0],
    ["add", "add", 0],
  ]);
  assert.deepEqual([r.completeness.complete, r.problems], [true, []]);
});

test("a workspace that holds timm's source runs it: the helpers stand in only where timm is not there", () => {
  const files: Record<string, string> = {
    "/w/m.py": `import torch.nn as nn
from timm.layers import to_2tuple

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(*to_2tuple(4))

    def forward(self, x):
        return self.fc(x)
`,
    // Not timm's: a pair of different sizes shows that this file ran rather than the stand-in.
    "/w/timm/__init__.py": "",
    "/w/timm/layers/__init__.py": "def to_2tuple(x):\n    return (x, 2 * x)\n",
  };
  const r = analyze({ file: "/w/m.py", text: files["/w/m.py"], entry: "M()", input: [[1, 4]], readFile: (p) => files[p] });
  assert.equal(r.ir!.paramTotals.params, 4 * 8 + 8);
});
