// PyTorch idioms torchvision's models use (vision_transformer.py, swin_transformer.py, maxvit.py):
// layer inputs passed by keyword, torch._assert, log2 and friends, the torch.nn.parameter module,
// swapaxes/movedim, and what an elementwise op makes of a skipped statement's unknown.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import { summarize } from "../../../src/analysis/summary";
import { fakeContext } from "../../helpers/fake-context";
import { type Kwargs, type PyTensor, type Value, float, int, list, tuple } from "../../../src/interp/values";
import { TENSOR_METHODS } from "../../../src/frameworks/torch/protocol";
import { asTensor, fn, input, kw, nodeOf } from "./torch-test-kit";

function run(text: string, shape: number[]) {
  const r = analyze({ file: "m.py", text, entry: "M()", input: [shape] });
  const problems = r.diagnostics.filter((d) => d.severity !== "info").map((d) => [d.range.start.line + 1, d.message]);
  return { r, problems, s: r.ir ? summarize(r.ir, r.diagnostics) : undefined };
}

const model = (init: string, forward: string) => `import torch
import torch.nn as nn


class M(nn.Module):
    def __init__(self):
        super().__init__()
${init.replace(/^/gm, "        ")}

    def forward(self, x):
${forward.replace(/^/gm, "        ")}
`;

test("MultiheadAttention(query=x, key=x, value=x): the same 288 params, node and 1,680 MACs as a positional call", () => {
  // in_proj 3*8*8 + 3*8, out_proj 8*8 + 8. MACs for L = S = 5, E = 8: q/k/v 3*L*E*E + Q·Kᵀ and
  // weights·V 2*L*S*E = 1,360 on the attention node, out_proj L*E*E = 320.
  const init = "self.attn = nn.MultiheadAttention(8, 2, batch_first=True)";
  const byKeyword = run(model(init, "x, _ = self.attn(query=x, key=x, value=x, need_weights=False)\nreturn x"), [1, 5, 8]);
  const positional = run(model(init, "x, _ = self.attn(x, x, x, need_weights=False)\nreturn x"), [1, 5, 8]);
  assert.deepEqual(byKeyword.problems, []);
  for (const { s } of [byKeyword, positional]) {
    assert.equal(s!.totals.params, 288);
    assert.equal(s!.totals.macs, 1680);
    assert.deepEqual(s!.output, [[1, 5, 8]]);
    assert.deepEqual(s!.nodes.map((n) => [n.op, n.macs]), [["Input", 0], ["MultiheadAttention", 1360], ["Linear", 320]]);
  }
});

test("layer inputs by keyword: Linear(input=x), Sequential(input=x); a missing or doubled query is named", () => {
  const s = run(model("self.fc = nn.Linear(8, 4)\nself.seq = nn.Sequential(nn.ReLU())", "return self.seq(input=self.fc(input=x))"), [2, 8]).s!;
  assert.deepEqual(s.output, [[2, 4]]);
  assert.deepEqual(s.nodes.map((n) => n.op), ["Input", "Linear", "ReLU"]);
  // A layer the analyzer does not know: its signature is unknown, so any tensor keyword is the input.
  const opaque = run(model("self.odd = nn.NotALayer()", "return self.odd(features=x)"), [2, 8]);
  assert.deepEqual(opaque.problems, [[8, "Unknown layer 'NotALayer': shown as an opaque node that passes its input shape through."]]);
  assert.deepEqual(opaque.s!.output, [[2, 8]]);

  const init = "self.attn = nn.MultiheadAttention(8, 2)";
  assert.deepEqual(run(model(init, "return self.attn(key=x, value=x)[0]"), [5, 1, 8]).problems, [
    [11, "MultiheadAttention.forward() argument 'query' must be a Tensor, got nothing (line 11). The statement was skipped."],
  ]);
  assert.deepEqual(run(model(init, "return self.attn(x, query=x, key=x, value=x)[0]"), [5, 1, 8]).problems, [
    [11, "MultiheadAttention.forward() got multiple values for argument 'query' (line 11). The statement was skipped."],
  ]);
});

test("torch._assert: a true or undecidable condition does nothing; a false one fails as `assert` does", () => {
  const checks = `torch._assert(x.dim() == 2, "Expected a 2-D input")
torch._assert(x > 0, "a tensor condition is not decided statically")
torch._assert(x.sum().item() > 0, "nor an unknown one")
return self.fc(x)`;
  const ok = run(model("self.fc = nn.Linear(8, 8)", checks), [1, 8]);
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.s!.totals.params, 72);
  assert.deepEqual(ok.s!.output, [[1, 8]]);
  // x > 0 and x.sum() are the only extra nodes: _assert itself makes none.
  assert.deepEqual(ok.s!.nodes.map((n) => n.op), ["Input", "gt", "sum", "Linear"]);

  const failing = (stmt: string) => run(model("self.fc = nn.Linear(8, 8)", `${stmt}\nreturn self.fc(x)`), [1, 8]).r;
  const viaAssert = failing('assert x.dim() == 3, f"Expected a 3-D input, got {x.dim()}-D"');
  const viaTorch = failing('torch._assert(x.dim() == 3, f"Expected a 3-D input, got {x.dim()}-D")');
  assert.equal(viaTorch.ir, null);
  const shown = (r: typeof viaTorch) => r.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.message]);
  assert.deepEqual(shown(viaTorch), shown(viaAssert));
  assert.ok(shown(viaTorch)[0][1].includes("Expected a 3-D input, got 2-D"));
});

test("log2, log10, log1p, expm1: elementwise functions and methods, with float32 values when known", () => {
  const ctx = fakeContext();
  const t = asTensor(ctx.call(fn("torch", "tensor"), [list([float(1), float(3), float(7)])]));
  const values = (v: ReturnType<typeof ctx.call>) => (v as PyTensor).values;
  const method = (x: PyTensor, name: string, args: Value[] = [], kwargs: Kwargs = new Map()) => TENSOR_METHODS[name](ctx, x, args, kwargs);
  assert.deepEqual(values(ctx.call(fn("torch", "log2"), [t])), [0, Math.fround(Math.log2(3)), Math.fround(Math.log2(7))]);
  assert.deepEqual(values(method(t, "log10")), [0, Math.fround(Math.log10(3)), Math.fround(Math.log10(7))]);
  assert.deepEqual(values(ctx.call(fn("torch", "log1p"), [t])), [Math.fround(Math.LN2), Math.fround(Math.log(4)), Math.fround(Math.log(8))]);
  assert.deepEqual(values(method(t, "expm1")), [1, 3, 7].map((x) => Math.fround(Math.expm1(x))));
  // Swin v2's log-spaced relative coordinates: sign(t) * log2(|t| + 1) / 3 over arange(-2, 3).
  const r = asTensor(ctx.call(fn("torch", "arange"), [int(-2), int(3)], kw({ dtype: { kind: "str", v: "torch.float32" } })));
  const abs1 = ctx.call(fn("torch", "add"), [ctx.call(fn("torch", "abs"), [r]), float(1)]);
  const table = ctx.call(fn("torch", "div"), [ctx.call(fn("torch", "mul"), [ctx.call(fn("torch", "sign"), [r]), ctx.call(fn("torch", "log2"), [abs1])]), float(3)]);
  const l3 = Math.fround(Math.fround(Math.log2(3)) / 3);
  assert.deepEqual(values(table), [-l3, -Math.fround(1 / 3), 0, Math.fround(1 / 3), l3]);

  const x = input(ctx, [2, 3]);
  for (const name of ["log2", "log10", "log1p", "expm1"]) {
    const out = ctx.call(fn("torch", name), [x]);
    assert.deepEqual(asTensor(out).shape, [2, 3]);
    assert.deepEqual([nodeOf(ctx.nodes, out).op, nodeOf(ctx.nodes, out).category], [name, "math"]);
    assert.deepEqual(asTensor(method(x, `${name}_`)).shape, [2, 3]);
  }
  assert.deepEqual(ctx.messages, []);
});

test("torch.nn.parameter: Parameter is nn.Parameter, by attribute and by import (748 params)", () => {
  const text = `import torch
import torch.nn as nn
import torch.nn.parameter
from torch.nn.parameter import Parameter, UninitializedParameter


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.table = nn.parameter.Parameter(torch.empty((169, 2), dtype=torch.float32))
        self.table2 = Parameter(torch.zeros(169, 2))
        self.fc = nn.Linear(8, 8)
        assert Parameter is nn.Parameter and torch.nn.parameter.Parameter is nn.Parameter
        assert not isinstance(self.fc.weight, UninitializedParameter)

    def forward(self, x):
        return self.fc(x) + self.table.sum()
`;
  const r = analyze({ file: "m.py", text, entry: "M()", input: [[1, 8]] });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info"), []);
  const s = summarize(r.ir!, r.diagnostics);
  // 2 * 169 * 2 + 8 * 8 + 8.
  assert.equal(s.totals.params, 748);
  assert.deepEqual(s.output, [[1, 8]]);
});

test("swapaxes / swapdims are transposes, movedim / moveaxis permutes, as functions and methods", () => {
  const ctx = fakeContext();
  const x = input(ctx, [1, 3, 5, 8]);
  const method = (name: string, args: Value[], kwargs: Kwargs = new Map()) => TENSOR_METHODS[name](ctx, x, args, kwargs);
  const swapped = ctx.call(fn("torch", "swapaxes"), [x, int(-2), int(-3)]);
  assert.deepEqual(asTensor(swapped).shape, [1, 5, 3, 8]);
  assert.deepEqual([nodeOf(ctx.nodes, swapped).op, nodeOf(ctx.nodes, swapped).attrs], ["transpose", { dim0: 2, dim1: 1 }]);
  assert.deepEqual(asTensor(method("swapdims", [int(0), int(3)])).shape, [8, 3, 5, 1]);
  assert.deepEqual(asTensor(ctx.call(fn("torch", "swapdims"), [x, int(1), int(2)])).shape, [1, 5, 3, 8]);
  assert.deepEqual(asTensor(method("swapaxes", [], kw({ axis0: int(1), axis1: int(-1) }))).shape, [1, 8, 5, 3]);

  // Channels last: dim 1 to the end, the others keep their order.
  const last = ctx.call(fn("torch", "movedim"), [x, int(1), int(-1)]);
  assert.deepEqual(asTensor(last).shape, [1, 5, 8, 3]);
  assert.deepEqual([nodeOf(ctx.nodes, last).op, nodeOf(ctx.nodes, last).attrs], ["permute", { dims: [0, 2, 3, 1] }]);
  // numpy.moveaxis(zeros((1, 3, 5, 8)), [0, 1], [2, 0]).shape == (3, 5, 1, 8).
  const two = method("moveaxis", [tuple([int(0), int(1)]), tuple([int(2), int(0)])]);
  assert.deepEqual(asTensor(two).shape, [3, 5, 1, 8]);
  assert.deepEqual(nodeOf(ctx.nodes, two).attrs, { dims: [1, 2, 0, 3] });
  assert.deepEqual(asTensor(ctx.call(fn("torch", "moveaxis"), [x], kw({ source: int(3), destination: int(0) }))).shape, [8, 1, 3, 5]);
  assert.deepEqual(ctx.messages, []);

  assert.throws(() => ctx.call(fn("torch", "movedim"), [x, tuple([int(0), int(1)]), int(2)]), /movedim\(\): source \[0, 1\] and destination \[2\] must have the same number of dims/);
  assert.throws(() => method("movedim", [tuple([int(1), int(1)]), tuple([int(0), int(2)])]), /movedim\(\): repeated dim in source \[1, 1\]/);
  assert.throws(() => ctx.call(fn("torch", "swapaxes"), [x, int(4), int(0)]), /swapaxes\(\): dimension 4 is out of range for a tensor of rank 4/);
});

test("an elementwise op on a skipped statement's unknown stays that unknown: no node, no second warning, output unknown", () => {
  const forward = `y = self.not_defined(x)
z = x + y
z = z * 2 + x @ y
return self.fc(torch.where(x > y, z, 0.0))`;
  const { problems, s } = run(model("self.fc = nn.Linear(8, 4)", forward), [1, 5, 8]);
  assert.deepEqual(problems, [[11, "'M' object has no attribute 'not_defined' (line 11). The statement was skipped."]]);
  assert.deepEqual(s!.output, []);
  assert.equal(s!.totals.params, 36);
  assert.deepEqual(s!.nodes.map((n) => n.op), ["Input"]);
});

test("an unknown number (a tensor's value) still scales a tensor without changing its shape", () => {
  const forward = `scale = torch.randn(1).item()
return self.fc(x * scale + scale)`;
  const { problems, s } = run(model("self.fc = nn.Linear(8, 4)", forward), [1, 5, 8]);
  assert.deepEqual(problems, []);
  assert.deepEqual(s!.output, [[1, 5, 4]]);
  // The "tensor" node is randn(1), whose value item() reads.
  assert.deepEqual(s!.nodes.map((n) => [n.op, n.shape]), [["Input", [1, 5, 8]], ["tensor", [1]], ["mul", [1, 5, 8]], ["add", [1, 5, 8]], ["Linear", [1, 5, 4]]]);
});

test("a torch.autograd.Function subclass's apply runs its static forward (timm's memory-efficient activations)", () => {
  const text = `import torch
import torch.nn as nn


class SwishFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * torch.sigmoid(x)

    @staticmethod
    def backward(ctx, grad_output):
        x = ctx.saved_tensors[0]
        return grad_output * torch.sigmoid(x)


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 6)

    def forward(self, x):
        return SwishFn.apply(self.fc(x))
`;
  const { r, problems } = run(text, [2, 4]);
  assert.deepEqual(problems, []);
  assert.deepEqual(r.ir!.nodes.map((n) => n.op), ["Input", "Linear", "sigmoid", "mul"]);
  assert.deepEqual(r.ir!.nodes.find((n) => n.id === r.ir!.outputs[0])!.shape, [2, 6]);
});

test("a failed assert or torch._assert in forward is an error at its own line, worded like a raised exception", () => {
  const text = `import torch
import torch.nn as nn

class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        n, c = x.shape
        torch._assert(c == 16, f"Wrong width: expected 16, got {c}")
        assert c == 16, "need 16 features"
        return self.fc(x)
`;
  const r = analyze({ file: "m.py", text, entry: "M()", input: [[1, 8]] });
  assert.deepEqual(
    r.diagnostics.map((d) => [d.range.start.line + 1, d.severity, d.message]),
    [[11, "error", "AssertionError raised at line 11: Wrong width: expected 16, got 8."]],
  );
});
