import { test } from "node:test";
import assert from "node:assert/strict";
import { runPython } from "../../interp/run-python";
import { ensureFrameworks } from "../../../src/entry/frameworks";
import { analyze } from "../../../src/analyze";
import { readFileSync } from "node:fs";
import { join } from "node:path";

ensureFrameworks();

const warnings = (r: ReturnType<typeof runPython>) => r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message);

test("arange/linspace/tensor values through arithmetic, item, tolist and iteration", () => {
  const r = runPython(
    [
      "import torch",
      "a = (torch.arange(4) * 8 + 16).tolist()",
      "b = [round(x.item(), 4) for x in torch.linspace(0, 0.3, 4)]",
      "c = torch.tensor([1, 3, 6, 10]).diff().tolist()",
      "d = torch.arange(1.0, 2.0, 0.25).tolist()",
      "e = (torch.arange(5) / 2).int().tolist()",
      "f = int(torch.tensor([2.5, 3.5]).round()[1])",
      "g = torch.pow(2.0, torch.arange(3)).tolist()",
      "h = len(torch.arange(7)), torch.arange(6)[2:5].tolist(), torch.arange(6)[-1].item()",
      "i = (-torch.tensor([1, 2])).tolist(), (torch.arange(4) // 3).tolist(), (torch.arange(4) % 3).tolist()",
      "j = torch.tensor([0.1]).dtype, torch.arange(3).dtype, torch.arange(3).float().dtype",
    ].join("\n") + "\n",
  );
  assert.deepEqual(warnings(r), []);
  assert.equal(r.get("a"), "[16, 24, 32, 40]");
  assert.equal(r.get("b"), "[0.0, 0.1, 0.2, 0.3]");
  assert.equal(r.get("c"), "[2, 3, 4]");
  assert.equal(r.get("d"), "[1.0, 1.25, 1.5, 1.75]");
  assert.equal(r.get("e"), "[0, 0, 1, 1, 2]");
  assert.equal(r.get("f"), "4"); // halves round to even: 2.5 -> 2, 3.5 -> 4
  assert.equal(r.get("g"), "[1.0, 2.0, 4.0]");
  assert.equal(r.get("h"), "(7, [2, 3, 4], 5)");
  assert.equal(r.get("i"), "([-1, -2], [0, 0, 0, 1], [0, 1, 2, 0])");
  assert.equal(r.get("j"), "('torch.float32', 'torch.int64', 'torch.float32')");
});

test("float tensors compute in float32, as PyTorch's default dtype does", () => {
  // 0.1 in float32 is 0.100000001490116..., which item() hands back as a Python float.
  const r = runPython("import torch\nx = torch.tensor([0.1]).item()\ny = (torch.arange(3) * 0.1).tolist()\n");
  assert.equal(r.get("x"), "0.10000000149011612");
  assert.equal(r.get("y"), "[0.0, 0.10000000149011612, 0.20000000298023224]");
});

test("tensors without known values still say so when read", () => {
  const r = runPython("import torch\nx = torch.randn(3).tolist()\ny = torch.randn(2, 2)[0].item()\n");
  assert.equal(r.get("x"), "<unknown>");
  assert.equal(r.get("y"), "<unknown>");
  assert.deepEqual(warnings(r), []);
});

// RegNet's quantized linear widths (Radosavovic et al. 2020), computed with tensor arithmetic the way
// torchvision's BlockParams does; RegNetY-400MF: depths [1, 3, 6, 6], widths [48, 104, 208, 440].
const REGNET_WIDTHS = `
import math
import torch
import torch.nn as nn

def stage_params(depth, w_0, w_a, w_m, quant=8):
    cont = torch.arange(depth) * w_a + w_0
    capacity = torch.round(torch.log(cont / w_0) / math.log(w_m))
    widths = (torch.round(torch.divide(w_0 * torch.pow(w_m, capacity), quant)) * quant).int().tolist()
    edges = [w != wp for w, wp in zip(widths + [0], [0] + widths)]
    stage_widths = [w for w, t in zip(widths, edges[:-1]) if t]
    stage_depths = torch.diff(torch.tensor([d for d, t in enumerate(edges) if t])).int().tolist()
    return stage_widths, stage_depths

class Widths(nn.Module):
    def __init__(self):
        super().__init__()
        widths, depths = stage_params(16, 48, 27.89, 2.09)
        self.stages = nn.ModuleList(
            [nn.Sequential(*[nn.Linear(w, w) for _ in range(d)]) for w, d in zip(widths, depths)]
        )

    def forward(self, x):
        return x
`;

test("RegNet's widths from tensor arithmetic give its stages (was: unknown values, an empty model)", () => {
  const r = runPython(`${REGNET_WIDTHS}\nw = stage_params(16, 48, 27.89, 2.09)\n`);
  assert.deepEqual(warnings(r), []);
  assert.equal(r.get("w"), "([48, 104, 208, 440], [1, 3, 6, 6])");
  const a = analyze({ file: "regnet_widths.py", text: REGNET_WIDTHS, entry: "Widths()", input: [[1, 48]] });
  const linear = (w: number) => w * w + w;
  assert.equal(a.ir!.paramTotals.params, linear(48) + 3 * linear(104) + 6 * linear(208) + 6 * linear(440));
  assert.equal(a.ir!.paramTotals.params, 1_460_184);
});

test("stochastic-depth rates from torch.linspace choose each block's layers", () => {
  const text = `
import torch
import torch.nn as nn

class Block(nn.Module):
    def __init__(self, dim, drop_path=0.):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.drop = nn.Dropout(drop_path) if drop_path > 0. else nn.Identity()

    def forward(self, x):
        return x + self.drop(self.fc(x))

class Net(nn.Module):
    def __init__(self, depths=(2, 2), drop_path_rate=0.1):
        super().__init__()
        dpr = [x.item() for x in torch.linspace(0, drop_path_rate, sum(depths))]
        self.blocks = nn.Sequential(*[Block(16, dpr[i]) for i in range(sum(depths))])

    def forward(self, x):
        return self.blocks(x)
`;
  const a = analyze({ file: "dpr.py", text, entry: "Net()", input: [[1, 16]] });
  assert.deepEqual(a.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
  assert.deepEqual(
    a.ir!.nodes.filter((n) => n.op === "Dropout").map((n) => [n.scope, n.attrs.p]),
    [["blocks/1/drop", 0.03333333507180214], ["blocks/2/drop", 0.06666667014360428], ["blocks/3/drop", 0.10000000149011612]],
  );
});

test("meshgrid and stack keep values; writing into a tensor keeps its shape and forgets them", () => {
  const r = runPython(
    [
      "import torch",
      "gi = [g.tolist() for g in torch.meshgrid(torch.arange(2), torch.arange(3), indexing='ij')]",
      "gx = [tuple(g.shape) for g in torch.meshgrid([torch.arange(2), torch.arange(3)], indexing='xy')]",
      "s = torch.stack([torch.arange(2), torch.arange(2) + 5]).tolist()",
      "t = torch.arange(4)",
      "t[0] = 9",
      "t[1:] += 1",
      "w = tuple(t.shape), t.tolist()",
    ].join("\n") + "\n",
  );
  assert.deepEqual(warnings(r), []);
  assert.equal(r.get("gi"), "[[[0, 0, 0], [1, 1, 1]], [[0, 1, 2], [0, 1, 2]]]");
  assert.equal(r.get("gx"), "[(3, 2), (3, 2)]");
  assert.equal(r.get("s"), "[[0, 1], [5, 6]]");
  assert.equal(r.get("w"), "((4,), <unknown>)");
});

test("a Swin-style window attention (meshgrid index buffer, in-place index arithmetic) analyses whole", () => {
  const file = join(__dirname, "..", "..", "fixtures", "real-world", "swin_window_attention.py");
  const a = analyze({ file, text: readFileSync(file, "utf8"), entry: "TinySwin()", input: [[1, 3, 224, 224]] });
  assert.deepEqual(a.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
  // Per block: 2 LayerNorms 192 each, bias table 13*13*3, qkv 96*288+288, proj 96*96+96, MLP 96*384+384 + 384*96+96.
  const block = 192 + 507 + 27_936 + 9_312 + 192 + 37_248 + 36_960;
  assert.equal(a.ir!.paramTotals.params, 4_704 + 2 * block + 192 + 970);
  const biasAdds = a.ir!.nodes.filter((n) => n.op === "add" && n.scope.endsWith("/attn"));
  assert.deepEqual(biasAdds.map((n) => [n.scope, n.shape]), [["blocks/0/attn", [64, 3, 49, 49]], ["blocks/1/attn", [64, 3, 49, 49]]]);
});
