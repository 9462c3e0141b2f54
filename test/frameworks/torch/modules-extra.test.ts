// Module stubs beyond the core layers: None entries in containers, ParameterList/Dict, PixelShuffle,
// padding layers, torch.nn.utils reparametrizations and rnn helpers, checkpoint_sequential and loss
// modules. Expected numbers are PyTorch 2.x's: sum(p.numel() for p in model.parameters()) and
// the shapes torch prints for the same code.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import type { Diagnostic, GraphIR, IRNode } from "../../../src/ir/types";

interface Run {
  ir: GraphIR;
  out: (number | null)[] | null;
  params: number;
  buffers: number;
  node: (op: string) => IRNode;
  errors: string[];
}

function run(body: string, entry: string, input: number[][]): Run {
  const r = analyze({ file: "m.py", text: `import torch\nimport torch.nn as nn\n${body}`, entry, input });
  const errors = r.diagnostics.filter((d: Diagnostic) => d.severity === "error").map((d) => d.message);
  assert.ok(r.ir, `no graph: ${errors.join(" | ")}`);
  const ir = r.ir!;
  const outNode = ir.nodes.find((n) => n.id === ir.outputs[0])!;
  return {
    ir,
    out: outNode.shape,
    params: ir.paramTotals.params,
    buffers: ir.paramTotals.buffers,
    node: (op) => ir.nodes.find((n) => n.op === op) ?? assert.fail(`no ${op} node`),
    errors,
  };
}

test("ModuleList and ModuleDict keep None entries in place, as HRNet's fuse layers need", () => {
  const r = run(
    `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fuse = nn.ModuleList([None, nn.Conv2d(3, 3, 1)])
        self.fuse.append(None)
        self.heads = nn.ModuleDict({"a": None, "b": nn.Linear(2, 2)})
        assert len(self.fuse) == 3 and self.fuse[0] is None and self.fuse[2] is None
        assert [m is None for m in self.fuse] == [True, False, True]
        assert list(self.heads.keys()) == ["a", "b"] and self.heads["a"] is None and len(self.heads) == 2
        assert len(list(self.modules())) == 5
    def forward(self, x):
        return self.fuse[1](x)
`,
    "M()",
    [[1, 3, 8, 8]],
  );
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.out, [1, 3, 8, 8]);
  assert.equal(r.params, 12 + 6);
  assert.equal(r.node("Conv2d").id, "fuse/1");
});

test("ParameterList and ParameterDict register their Parameters under the owning module", () => {
  const r = run(
    `
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.scales = nn.ParameterList([nn.Parameter(torch.ones(4)) for _ in range(2)])
        self.scales.append(nn.Parameter(torch.ones(4, 3)))
        self.extra = nn.ParameterDict({"b": nn.Parameter(torch.zeros(4))})
        self.extra["c"] = nn.Parameter(torch.zeros(2, 2))
        assert len(self.scales) == 3 and len(self.extra) == 2
        assert list(self.extra.keys()) == ["b", "c"]
        assert [k for k, _ in self.extra.items()] == ["b", "c"]
        assert [n for n, _ in self.named_parameters()] == ["scales.0", "scales.1", "scales.2", "extra.b", "extra.c"]
        assert sum(p.numel() for p in self.scales) == 20
    def forward(self, x):
        return x * self.scales[0] + self.scales[1] + self.extra["b"]
`,
    "M()",
    [[1, 4]],
  );
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.out, [1, 4]);
  assert.equal(r.params, 4 + 4 + 12 + 4 + 4);
});

test("PixelShuffle and PixelUnshuffle trade channels for spatial size, with no parameters", () => {
  const r = run("def f():\n    return nn.Sequential(nn.Conv2d(3, 12, 3, padding=1), nn.PixelShuffle(2), nn.PixelUnshuffle(4))\n", "f()", [[1, 3, 8, 8]]);
  assert.deepEqual(r.errors, []);
  assert.equal(r.params, 336);
  assert.deepEqual(r.node("PixelShuffle").shape, [1, 3, 16, 16]);
  assert.deepEqual(r.node("PixelShuffle").attrs, { upscale_factor: 2 });
  assert.deepEqual(r.out, [1, 48, 4, 4]);
  const bad = run("def f():\n    return nn.PixelShuffle(2)\n", "f()", [[1, 6, 4, 4]]);
  assert.deepEqual(bad.errors, ["PixelShuffle: the channel count 6 is not divisible by the upscale factor squared (4) (input shape [1, 6, 4, 4]) (line 4)."]);
});

test("padding layers: int or (left, right, top, bottom, front, back), recorded as F.pad records them", () => {
  const pads = (layer: string, input: number[]) => {
    const r = run(`def f():\n    return nn.${layer}\n`, "f()", [input]);
    assert.deepEqual(r.errors, []);
    assert.equal(r.params, 0);
    return { shape: r.out, attrs: r.node("pad").attrs };
  };
  assert.deepEqual(pads("ReflectionPad2d(1)", [1, 3, 8, 8]), { shape: [1, 3, 10, 10], attrs: { pad: [1, 1, 1, 1], mode: "reflect" } });
  assert.deepEqual(pads("ReflectionPad1d((1, 2))", [2, 4, 5]), { shape: [2, 4, 8], attrs: { pad: [1, 2], mode: "reflect" } });
  assert.deepEqual(pads("ReplicationPad2d((1, 2, 3, 4))", [1, 3, 8, 8]), { shape: [1, 3, 15, 11], attrs: { pad: [1, 2, 3, 4], mode: "replicate" } });
  assert.deepEqual(pads("ReplicationPad3d(1)", [1, 2, 4, 4, 4]).shape, [1, 2, 6, 6, 6]);
  assert.deepEqual(pads("ZeroPad2d((0, 1, 0, 1))", [1, 3, 7, 7]), { shape: [1, 3, 8, 8], attrs: { pad: [0, 1, 0, 1], mode: "constant", value: 0 } });
  assert.deepEqual(pads("ConstantPad3d((1, 0, 0, 0, 2, 2), 3.5)", [1, 2, 3, 3, 3]), {
    shape: [1, 2, 7, 3, 4],
    attrs: { pad: [1, 0, 0, 0, 2, 2], mode: "constant", value: 3.5 },
  });
  assert.deepEqual(pads("ConstantPad1d(2, 0.0)", [3, 5]).shape, [3, 9]);
  assert.deepEqual(pads("ZeroPad1d(1)", [1, 2, 5]).shape, [1, 2, 7]);
  const tooBig = run("def f():\n    return nn.ReflectionPad2d(4)\n", "f()", [[1, 3, 4, 4]]);
  assert.deepEqual(tooBig.errors.slice(0, 1), ["ReflectionPad2d: padding 4 must be smaller than the input dimension 4 it reflects (input shape [1, 3, 4, 4]) (line 4)."]);
});

test("weight_norm (old and parametrizations API) adds g of [out, 1, ...]; spectral_norm keeps the count", () => {
  const conv = (wrap: string, imports: string, input: number[]) =>
    run(
      `${imports}
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = ${wrap}
    def forward(self, x):
        return self.conv(x)
`,
      "M()",
      [input],
    );
  // Conv1d(4, 4, 3): weight 48 + bias 4, plus g [4, 1, 1].
  const old = conv("nn.utils.weight_norm(nn.Conv1d(4, 4, 3))", "", [2, 4, 10]);
  assert.deepEqual([old.params, old.out, old.node("Conv1d").params], [56, [2, 4, 8], 56]);
  const names = conv(
    "weight_norm(nn.Linear(8, 3))\n        assert [n for n, _ in self.named_parameters()] == ['conv.bias', 'conv.weight_g', 'conv.weight_v']\n        assert tuple(self.conv.weight_g.shape) == (3, 1)",
    "from torch.nn.utils import weight_norm",
    [2, 8],
  );
  assert.deepEqual(names.errors, []);
  assert.equal(names.params, 24 + 3 + 3);
  const dimNone = conv("nn.utils.weight_norm(nn.Linear(8, 3), dim=None)", "", [2, 8]);
  assert.equal(dimNone.params, 24 + 3 + 1);
  const newApi = conv(
    "weight_norm(nn.Conv2d(3, 8, 3))\n        assert [n for n, _ in self.named_parameters()] == ['conv.bias', 'conv.parametrizations.weight.original0', 'conv.parametrizations.weight.original1']",
    "from torch.nn.utils.parametrizations import weight_norm",
    [1, 3, 8, 8],
  );
  assert.deepEqual(newApi.errors, []);
  assert.deepEqual([newApi.params, newApi.out], [216 + 8 + 8, [1, 8, 6, 6]]);
  // spectral_norm: weight_orig replaces weight; u [8] and v [27] are buffers.
  const sn = conv("spectral_norm(nn.Conv2d(3, 8, 3))", "from torch.nn.utils import spectral_norm", [1, 3, 8, 8]);
  assert.deepEqual([sn.params, sn.buffers, sn.out], [224, 8 + 27, [1, 8, 6, 6]]);
  const snNew = conv("torch.nn.utils.parametrizations.spectral_norm(nn.Linear(5, 7))", "import torch.nn.utils", [1, 5]);
  assert.deepEqual([snNew.params, snNew.buffers], [42, 7 + 5]);
  const snT = conv("nn.utils.spectral_norm(nn.ConvTranspose2d(4, 6, 2))", "", [1, 4, 3, 3]);
  assert.deepEqual([snT.params, snT.buffers], [4 * 6 * 4 + 6, 6 + 16]);
  const removed = conv("nn.utils.remove_weight_norm(nn.utils.weight_norm(nn.Linear(8, 3)))", "", [2, 8]);
  assert.equal(removed.params, 27);
});

test("rnn packing helpers: packed sequences pass through recurrent layers; pad_sequence stacks", () => {
  const r = run(
    `from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(8, 16, batch_first=True)
        nn.utils.clip_grad_norm_(self.parameters(), 1.0)
    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.rnn(packed)
        out, _ = pad_packed_sequence(out, batch_first=True)
        return out
`,
    "M()",
    [[2, 7, 8], [2]],
  );
  assert.deepEqual(r.errors, []);
  assert.deepEqual([r.out, r.params], [[2, 7, 16], 1664]);
  const pad = (batchFirst: string) =>
    run(
      `import torch.nn.utils.rnn as rnn_utils
class Pad(nn.Module):
    def forward(self, a, b, c):
        return rnn_utils.pad_sequence([a, b, c]${batchFirst})
`,
      "Pad()",
      [[5, 3], [2, 3], [7, 3]],
    );
  assert.deepEqual(pad("").out, [7, 3, 3]);
  assert.deepEqual(pad(", batch_first=True").out, [3, 7, 3]);
});

test("checkpoint_sequential runs the Sequential on its input", () => {
  const r = run(
    `from torch.utils.checkpoint import checkpoint_sequential
import torch.utils.checkpoint
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 6))
    def forward(self, x):
        y = checkpoint_sequential(self.body, 2, x, use_reentrant=False)
        return torch.utils.checkpoint.checkpoint_sequential([self.body[0], self.body[1]], 1, x)  + y[:, :4]
`,
    "M()",
    [[1, 4]],
  );
  assert.deepEqual(r.errors, []);
  assert.deepEqual([r.out, r.params], [[1, 4], 20 + 30]);
});

test("loss modules: no parameters, 0-d output by default, per-element/per-sample with reduction='none'", () => {
  const loss = (layer: string, inputs: number[][]) => {
    const r = run(`def f():\n    return nn.${layer}\n`, "f()", inputs);
    assert.deepEqual(r.errors, []);
    return { out: r.out, params: r.params, buffers: r.buffers };
  };
  assert.deepEqual(loss("CrossEntropyLoss()", [[4, 10], [4]]), { out: [], params: 0, buffers: 0 });
  assert.deepEqual(loss("CrossEntropyLoss(reduction='none')", [[4, 10, 5, 5], [4, 5, 5]]).out, [4, 5, 5]);
  assert.deepEqual(loss("CrossEntropyLoss(weight=torch.ones(10), label_smoothing=0.1)", [[4, 10], [4]]), { out: [], params: 0, buffers: 10 });
  assert.deepEqual(loss("NLLLoss(reduction='none')", [[4, 10], [4]]).out, [4]);
  assert.deepEqual(loss("MSELoss()", [[2, 3], [2, 3]]).out, []);
  assert.deepEqual(loss("MSELoss(reduction='none')", [[2, 3], [2, 3]]).out, [2, 3]);
  assert.deepEqual(loss("L1Loss(reduction='sum')", [[2, 3], [2, 3]]).out, []);
  assert.deepEqual(loss("SmoothL1Loss(beta=0.5, reduction='none')", [[2, 3], [2, 3]]).out, [2, 3]);
  assert.deepEqual(loss("HuberLoss(delta=2.0)", [[2, 3], [2, 3]]).out, []);
  assert.deepEqual(loss("BCELoss()", [[2, 3], [2, 3]]).out, []);
  assert.deepEqual(loss("BCEWithLogitsLoss(pos_weight=torch.ones(3), reduction='none')", [[2, 3], [2, 3]]), { out: [2, 3], params: 0, buffers: 3 });
  assert.deepEqual(loss("KLDivLoss(reduction='batchmean')", [[2, 3], [2, 3]]).out, []);
});

test("a stub layer subclassed with its own forward (LayerNorm2d, StdConv2d) shows its parameters on the rows that read them", () => {
  const text = `import torch.nn as nn
import torch.nn.functional as F

class LayerNorm2d(nn.LayerNorm):
    def forward(self, x):
        x = x.permute(0, 2, 3, 1)
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        return x.permute(0, 3, 1, 2)

class StdConv2d(nn.Conv2d):
    def forward(self, x):
        w = self.weight - self.weight.mean(dim=(1, 2, 3), keepdim=True)
        return F.conv2d(x, w, self.bias, self.stride, self.padding)

def f():
    return nn.Sequential(StdConv2d(3, 4, 3, bias=False), LayerNorm2d(4))
`;
  const r = analyze({ file: "m.py", text, entry: "f()", input: [[1, 3, 8, 8]] });
  const rows = r.ir!.nodes.filter((n) => n.params > 0).map((n) => [n.id, n.params]);
  assert.deepEqual(rows, [["0/weight", 108], ["1/weight", 4], ["1/bias", 4]]);
  assert.equal(r.ir!.paramTotals.params, 116);
});

test("F.pixel_shuffle and F.pixel_unshuffle trade channels for space as the layers do", () => {
  const text = `import torch.nn as nn
import torch.nn.functional as F

class M(nn.Module):
    def forward(self, x):
        return F.pixel_unshuffle(F.pixel_shuffle(x, 2), downscale_factor=4)
`;
  const r = analyze({ file: "m.py", text, entry: "M()", input: [[1, 12, 8, 8]] });
  assert.deepEqual(r.ir!.nodes.map((n) => [n.op, n.shape]), [["Input", [1, 12, 8, 8]], ["pixel_shuffle", [1, 3, 16, 16]], ["pixel_unshuffle", [1, 48, 4, 4]]]);
});
