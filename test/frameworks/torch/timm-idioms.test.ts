// PyTorch idioms of current timm source: per-stage drop-path rates split from a linspace, ConvNeXt-V2's
// GlobalResponseNorm (Tensor.norm, torch.addcmul), the @torch.fx.wrap marker of layers/attention.py and
// the other tracing/scripting/compiling submodules (torch.jit, torch.compiler, torch._dynamo).

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import { summarize } from "../../../src/analysis/summary";
import { ensureFrameworks } from "../../../src/entry/frameworks";
import { runPython } from "../../interp/run-python";

ensureFrameworks();

function run(text: string, shape: number[]) {
  const r = analyze({ file: "m.py", text, entry: "M()", input: [shape] });
  const problems = r.diagnostics.filter((d) => d.severity !== "info").map((d) => [d.range.start.line + 1, d.message]);
  return { r, problems, s: r.ir ? summarize(r.ir, r.diagnostics) : undefined };
}

const warnings = (r: ReturnType<typeof runPython>) => r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message);

test("split/chunk/unbind pieces and reshapes keep a linspace's values: timm's per-stage drop-path rates", () => {
  const r = runPython(
    [
      "import torch",
      "a = [x.tolist() for x in torch.linspace(0, 0.3, 4).split([1, 3])]",
      "b = [x.tolist() for x in torch.arange(6).split(4)]",
      "c = [x.tolist() for x in torch.arange(6).reshape(2, 3).chunk(2, dim=1)]",
      "d = [x.tolist() for x in torch.arange(6).reshape(2, 3).unbind(1)]",
      "e = torch.linspace(0, 0., 4).split((2, 2))[0].tolist()[1] > 0.",
      "f = [x.tolist() for x in torch.tensor([[1, 2], [3, 4]]).split(1)]",
      "g = torch.arange(6).view(3, -1).flatten().tolist()",
    ].join("\n") + "\n",
  );
  assert.deepEqual(warnings(r), []);
  // linspace computes in float32: 0.1 and 0.2 are their float32 neighbours.
  assert.equal(r.get("a"), "[[0.0], [0.10000000149011612, 0.20000000298023224, 0.30000001192092896]]");
  assert.equal(r.get("b"), "[[0, 1, 2, 3], [4, 5]]");
  assert.equal(r.get("c"), "[[[0, 1], [3, 4]], [[2], [5]]]");
  assert.equal(r.get("d"), "[[0, 3], [1, 4], [2, 5]]");
  assert.equal(r.get("e"), "False");
  assert.equal(r.get("f"), "[[[1, 2]], [[3, 4]]]");
  assert.equal(r.get("g"), "[0, 1, 2, 3, 4, 5]");
});

test("a rate split from linspace picks the layer: Dropout(0.0) is no layer, so M() is Linear(4, 4) alone", () => {
  const text = `import torch
import torch.nn as nn

dp_rates = [x.tolist() for x in torch.linspace(0, 0., 4).split((2, 2))]


class M(nn.Module):
    def __init__(self, rate=dp_rates[0][1]):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.drop = nn.Dropout(rate) if rate > 0. else nn.Identity()

    def forward(self, x):
        return self.drop(self.fc(x))
`;
  const { problems, s } = run(text, [1, 4]);
  assert.deepEqual(problems, []);
  assert.equal(s!.totals.params, 20);
  assert.deepEqual(s!.output, [[1, 4]]);
  assert.deepEqual(s!.nodes.map((n) => n.op), ["Input", "Linear"]);
});

// timm/layers/grn.py (ConvNeXt-V2, Woo et al. 2023): 2 * dim params, every node the input's shape but
// the per-channel norms.
const GRN = `import torch
import torch.nn as nn


class M(nn.Module):
    def __init__(self, dim=8, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.zeros(dim))
        self.bias = nn.Parameter(torch.zeros(dim))

    def forward(self, x):
        x_g = x.norm(p=2, dim=(1, 2), keepdim=True)
        x_n = x_g / (x_g.mean(dim=-1, keepdim=True) + self.eps)
        return x + torch.addcmul(self.bias.view(1, 1, 1, -1), self.weight.view(1, 1, 1, -1), x * x_n)
`;

test("GlobalResponseNorm: x.norm(p=2, dim=(1, 2), keepdim=True) is [1, 1, 1, 8]; addcmul broadcasts to [1, 4, 4, 8]", () => {
  const { r, problems, s } = run(GRN, [1, 4, 4, 8]);
  assert.deepEqual(problems, []);
  assert.equal(s!.totals.params, 16);
  assert.deepEqual(s!.output, [[1, 4, 4, 8]]);
  const nodes = r.ir!.nodes;
  const norm = nodes.find((n) => n.op === "norm")!;
  assert.deepEqual([norm.shape, norm.attrs], [[1, 1, 1, 8], { p: 2, dim: [1, 2], keepdim: true }]);
  const addcmul = nodes.find((n) => n.op === "addcmul")!;
  assert.deepEqual([addcmul.shape, addcmul.inputs.length, addcmul.attrs], [[1, 4, 4, 8], 3, { value: 1 }]);
});

test("torch.norm, torch.linalg norms and addcdiv: reductions like sum, broadcast like mul + add", () => {
  const text = `import torch
import torch.nn as nn
from torch.linalg import vector_norm


class M(nn.Module):
    def forward(self, x):
        a = torch.norm(x, 2, -1, True)
        b = vector_norm(x, ord=float("inf"), dim=-1)
        c = torch.linalg.matrix_norm(x)
        d = x.norm()
        e = x.addcdiv(a, x, value=0.5)
        x.addcmul_(x, a)
        return a, b, c, d, e, torch.linalg.norm(x, dim=(0, 1))
`;
  const { r, problems, s } = run(text, [2, 3, 4]);
  assert.deepEqual(problems, []);
  assert.deepEqual(s!.output, [[2, 3, 1], [2, 3], [2], [], [2, 3, 4], [4]]);
  const attrs = (op: string) => r.ir!.nodes.filter((n) => n.op === op).map((n) => n.attrs);
  assert.deepEqual(attrs("vector_norm"), [{ p: "inf", dim: [2], keepdim: false }]);
  assert.deepEqual(attrs("matrix_norm"), [{ p: null, dim: [1, 2], keepdim: false }]);
  assert.deepEqual(attrs("addcdiv"), [{ value: 0.5 }]);
  assert.deepEqual(attrs("addcmul"), [{ value: 1, inplace: true }]);
});

test("addcmul operands that do not broadcast are named in a shape error", () => {
  const text = `import torch
import torch.nn as nn


class M(nn.Module):
    def forward(self, x):
        return torch.addcmul(x, x, torch.zeros(5))
`;
  assert.deepEqual(run(text, [2, 4]).problems, [[7, "addcmul cannot broadcast the shapes [2, 4], [2, 4], [5] (line 7)."]]);
});

test("@torch.fx.wrap, torch.jit, torch.compiler and torch._dynamo markers leave the code they mark as written", () => {
  const text = `import torch
import torch.fx
import torch.backends.cudnn
import torch.nn as nn
from torch.fx import wrap

torch.fx.wrap('len')
torch.backends.cudnn.benchmark = True


@torch.fx.wrap
def maybe_add_mask(scores, attn_mask=None):
    return scores if attn_mask is None else scores + attn_mask


@wrap
@torch.jit.ignore(drop=True)
@torch.compiler.disable
@torch._dynamo.disable(recursive=False)
def twice(x):
    return x * 2


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        assert hasattr(torch, "compiler") and hasattr(torch.compiler, "is_exporting")
        assert not (torch.jit.is_scripting() or torch.jit.is_tracing() or torch.compiler.is_compiling() or torch.compiler.is_exporting())

    def forward(self, x):
        return twice(maybe_add_mask(self.fc(x)))
`;
  const { problems, s } = run(text, [1, 4, 8]);
  assert.deepEqual(problems, []);
  assert.equal(s!.totals.params, 72);
  assert.deepEqual(s!.output, [[1, 4, 8]]);
  assert.deepEqual(s!.nodes.map((n) => n.op), ["Input", "Linear", "mul"]);
});

test("torch.fx.wrap hands back a name it is given; an unmodelled function of a torch submodule is opaque", () => {
  const r = runPython("import torch\nname = torch.fx.wrap('len')\ny = torch.special.erf(torch.zeros(2, 3))\nz = y.shape\n");
  assert.equal(r.get("name"), "'len'");
  assert.equal(r.get("z"), "(2, 3)");
  assert.deepEqual(warnings(r), ["Unknown function 'torch.special.erf': shown as an opaque node that passes its input shape through."]);
});

test("torch.nn.init._calculate_fan_in_and_fan_out reads the fans off the shape (timm's lecun_normal_)", () => {
  const text = [
    "import math",
    "import torch",
    "import torch.nn as nn",
    "from torch.nn.init import _calculate_fan_in_and_fan_out, _calculate_correct_fan",
    "",
    "def lecun_normal_(tensor):",
    "    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)",
    "    with torch.no_grad():",
    "        tensor.normal_(std=math.sqrt(1.0 / fan_in))",
    "    return fan_in, fan_out",
    "",
    "class Net(nn.Module):",
    "    def __init__(self):",
    "        super().__init__()",
    "        self.fc = nn.Linear(4, 8)",
    "        self.conv = nn.Conv2d(3, 16, 5)",
    "        self.fans = [lecun_normal_(self.fc.weight), lecun_normal_(self.conv.weight), _calculate_correct_fan(self.conv.weight, 'fan_out')]",
    "        assert self.fans == [(4, 8), (75, 400), 400], self.fans",
    "",
    "    def forward(self, x):",
    "        return self.fc(x)",
    "",
  ].join("\n");
  const a = analyze({ file: "m.py", text, entry: "Net()", input: [[1, 4]] });
  assert.deepEqual(a.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
  assert.equal(a.ir!.paramTotals.params, 4 * 8 + 8 + 3 * 16 * 25 + 16);
});
