import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";

/** Analyses `forward(self, x, *rest)` with the given body lines and input shapes. */
const run = (body: string, input: number[][]) => {
  const lines = body.split("\n").map((l) => `        ${l}`).join("\n");
  const text = `import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 6)\n\n    def forward(self, x, *rest):\n${lines}\n`;
  const a = analyze({ file: "m.py", text, entry: "M()", input });
  const ir = a.ir!;
  const byId = new Map(ir.nodes.map((n) => [n.id, n]));
  return {
    ir,
    warnings: a.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message),
    /** [op, shape] of every node but the inputs, in graph order. */
    ops: ir.nodes.filter((n) => n.op !== "Input").map((n) => [n.op, n.shape]),
    output: ir.outputs.map((id) => byId.get(id)!.shape),
    node: (op: string) => ir.nodes.find((n) => n.op === op)!,
  };
};

test("unbind gives one node per index with the dim removed, as a tuple (method and torch.unbind)", () => {
  const r = run("a, b, c = x.unbind(1)\nreturn a * b + c", [[2, 3, 4]]);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.ops, [["unbind", [2, 4]], ["unbind", [2, 4]], ["unbind", [2, 4]], ["mul", [2, 4]], ["add", [2, 4]]]);
  assert.deepEqual(r.ir.nodes.filter((n) => n.op === "unbind").map((n) => n.attrs), [{ dim: 1, index: 0 }, { dim: 1, index: 1 }, { dim: 1, index: 2 }]);
  const f = run("q, k = torch.unbind(x, dim=-1)\nreturn q @ k.transpose(-2, -1)", [[3, 5, 2]]);
  assert.deepEqual([f.warnings, f.output], [[], [[3, 3]]]);
  const values = run("return torch.tensor([[1, 2], [3, 4]]).unbind(0)[1] * x", [[2]]);
  assert.deepEqual([values.warnings, values.node("unbind").shape], [[], [2]]);
});

test("in-place unary methods keep the shape and are recorded with inplace", () => {
  const r = run("r = torch.rand((x.shape[0], 1))\nr.floor_()\ny = x.abs_().exp_().log_().sqrt_().neg_().ceil_().round_().sigmoid_()\nreturn y.clamp_min(0.1).clamp_max_(2) * r.div_(0.9)", [[2, 4]]);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.ops.map(([op]) => op), ["tensor", "floor", "abs", "exp", "log", "sqrt", "neg", "ceil", "round", "sigmoid", "clamp_min", "clamp_max", "div", "mul"]);
  assert.deepEqual(r.node("floor").attrs, { inplace: true });
  assert.deepEqual(r.node("clamp_max").attrs, { inplace: true });
  assert.deepEqual(r.output, [[2, 4]]);
});

test("new_zeros/new_ones/new_empty/new_full/new_tensor are constants of the given size", () => {
  const r = run(
    "a = x.new_zeros(x.shape[0], 3)\nb = x.new_ones((2, 3))\nc = x.new_empty([2, 3])\nd = x.new_full((2, 3), 7.0)\ne = x.new_tensor([[1.0, 2.0, 3.0]])\nreturn a + b + c + d + e",
    [[2, 4]],
  );
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.ops.slice(0, 5), [["tensor", [2, 3]], ["tensor", [2, 3]], ["tensor", [2, 3]], ["tensor", [2, 3]], ["tensor", [1, 3]]]);
  assert.deepEqual(r.ir.nodes.filter((n) => n.op === "tensor").map((n) => n.attrs.factory), ["new_zeros", "new_ones", "new_empty", "new_full", "new_tensor"]);
  assert.deepEqual(r.output, [[2, 3]]);
});

test("unflatten, flip, mT, repeat_interleave, roll and triu/tril have their shapes", () => {
  const r = run(
    [
      "a = x.unflatten(1, (2, -1))",
      "b = torch.unflatten(x, -1, (5, 1))",
      "c = x.flip(0, 2)",
      "d = torch.flip(x, dims=[1])",
      "e = torch.fliplr(x)",
      "f = x.mT",
      "g = x.mH",
      "h = x.repeat_interleave(3, dim=1)",
      "i = torch.repeat_interleave(x, 2)",
      "j = torch.roll(x, shifts=1, dims=2)",
      "k = x.roll((1, -1), (0, 1))",
      "l = torch.triu(x, diagonal=1)",
      "m = x.tril()",
      "n = x.triu_(1)",
      "return a, b, c, d, e, f, g, h, i, j, k, l, m, n",
    ].join("\n"),
    [[2, 6, 5]],
  );
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.ops, [
    ["unflatten", [2, 2, 3, 5]],
    ["unflatten", [2, 6, 5, 1]],
    ["flip", [2, 6, 5]],
    ["flip", [2, 6, 5]],
    ["flip", [2, 6, 5]],
    ["mT", [2, 5, 6]],
    ["mH", [2, 5, 6]],
    ["repeat_interleave", [2, 18, 5]],
    ["repeat_interleave", [120]],
    ["roll", [2, 6, 5]],
    ["roll", [2, 6, 5]],
    ["triu", [2, 6, 5]],
    ["tril", [2, 6, 5]],
    ["triu", [2, 6, 5]],
  ]);
  assert.deepEqual(r.ir.nodes.filter((n) => n.op === "flip").map((n) => n.attrs.dims), [[0, 2], [1], [1]]);
  assert.deepEqual(r.ir.nodes.filter((n) => n.op === "roll").map((n) => n.attrs), [{ shifts: [1], dims: [2] }, { shifts: [1, -1], dims: [0, 1] }]);
  assert.deepEqual(r.ir.nodes.filter((n) => n.op === "triu").map((n) => n.attrs), [{ diagonal: 1 }, { diagonal: 1, inplace: true }]);
  const bad = run("return x.unflatten(1, (4, 2))", [[2, 6]]);
  assert.deepEqual(bad.warnings, ["Cannot unflatten dim 1 of a tensor of shape [2, 6] into [4, 2]: shape [4, 2] is invalid for input of size 6 (line 11)."]);
  const flipped = run("return torch.tensor([1, 2, 3]).flip(0).tolist()[0] + x", [[1]]);
  assert.deepEqual([flipped.warnings, flipped.ir.nodes.at(-1)!.attrs], [[], { scalar: 3, reversed: true }]);
});

test("cumsum/cumprod keep the shape, logsumexp reduces, outer/ger make a matrix, gather takes the index's shape", () => {
  const r = run(
    [
      "a = x.cumsum(dim=1)",
      "b = torch.cumprod(x, -1)",
      "c = x.logsumexp(dim=-1, keepdim=True)",
      "d = torch.logsumexp(x, 1)",
      "e = torch.outer(x[0, 0], rest[0])",
      "f = rest[0].ger(rest[0])",
      "g = torch.gather(x, 2, rest[1])",
      "return a, b, c, d, e, f, g",
    ].join("\n"),
    [[2, 3, 4], [7], [2, 3, 1]],
  );
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.ops.filter(([op]) => op !== "getitem"), [
    ["cumsum", [2, 3, 4]],
    ["cumprod", [2, 3, 4]],
    ["logsumexp", [2, 3, 1]],
    ["logsumexp", [2, 4]],
    ["outer", [4, 7]],
    ["ger", [7, 7]],
    ["gather", [2, 3, 1]],
  ]);
  assert.deepEqual([r.node("cumsum").attrs, r.node("cumprod").attrs, r.node("gather").attrs], [{ dim: 1 }, { dim: 2 }, { dim: 2 }]);
});

test("F.one_hot adds a num_classes dim (unknown when inferred), F.glu halves its dim", () => {
  const r = run("a = F.one_hot(rest[0], num_classes=10)\nb = F.one_hot(rest[0])\nc = F.glu(x)\nd = F.glu(x, dim=1)\nreturn a, b, c, d", [[2, 6, 8], [2, 5]]);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.ops, [["one_hot", [2, 5, 10]], ["one_hot", [2, 5, null]], ["glu", [2, 6, 4]], ["glu", [2, 3, 8]]]);
  const odd = run("return F.glu(x)", [[2, 5]]);
  assert.deepEqual(odd.warnings, ["glu(): dim 1 of a tensor of shape [2, 5] must be even, got 5 (line 11)."]);
});

test("topk and sort return (values, indices) that unpack and have .values/.indices; max(dim) too", () => {
  const r = run(
    [
      "v, i = torch.topk(x, 3)",
      "w = x.topk(2, dim=1).values",
      "j = x.topk(2, dim=1).indices",
      "s, order = x.sort(dim=1, descending=True)",
      "m = x.max(dim=-1).values",
      "n = x.max(-1)[1]",
      "return v, i, w, j, s, order, m, n",
    ].join("\n"),
    [[2, 5, 8]],
  );
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.output, [[2, 5, 3], [2, 5, 3], [2, 2, 8], [2, 2, 8], [2, 5, 8], [2, 5, 8], [2, 5], [2, 5]]);
  assert.deepEqual(r.ir.nodes.filter((n) => n.op === "topk").map((n) => n.attrs), [{ k: 3, dim: 2 }, { k: 2, dim: 1 }, { k: 2, dim: 1 }]);
  assert.deepEqual(r.ops.filter(([op]) => op === "topk_indices" || op === "sort_indices").length, 4);
  const tooMany = run("return x.topk(9)", [[2, 5]]);
  assert.deepEqual(tooMany.warnings, ["Cannot take the top 9 values along dim 1 of a tensor of shape [2, 5]: it has only 5 (line 11). The statement was skipped."]);
});

test("diff shrinks its dim by n (prepend/append grow it); a 1-D diff of values keeps them", () => {
  const r = run("a = torch.diff(x, dim=1)\nb = x.diff(n=2)\nc = torch.diff(x, prepend=x[:, :1, :], dim=1)\nreturn a, b, c", [[2, 5, 3]]);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.output, [[2, 4, 3], [2, 5, 1], [2, 5, 3]]);
  assert.deepEqual(r.ir.nodes.filter((n) => n.op === "diff").map((n) => n.attrs), [{ n: 1, dim: 1 }, { n: 2, dim: 2 }, { n: 1, dim: 1 }]);
  const values = run("return torch.tensor([1, 4, 9, 16]).diff().tolist()[2] + x", [[1]]);
  assert.deepEqual([values.warnings, values.ir.nodes.at(-1)!.attrs], [[], { scalar: 7, reversed: true }]);
});

test("scaled_dot_product_attention: q[:-1] + [Ev], MACs L*S*E + L*S*Ev per batch element", () => {
  const r = run("return F.scaled_dot_product_attention(x, rest[0], rest[1], is_causal=True)", [[2, 4, 16, 8], [2, 4, 10, 8], [2, 4, 10, 32]]);
  assert.deepEqual(r.warnings, []);
  const n = r.node("scaled_dot_product_attention");
  assert.deepEqual([n.shape, n.category, n.macs, n.inputs.length], [[2, 4, 16, 32], "math", 2 * 4 * (16 * 10 * 8 + 16 * 10 * 32), 3]);
  assert.deepEqual(n.attrs, { dropout_p: 0, is_causal: true, scale: null });
  const masked = run("return F.scaled_dot_product_attention(x, x, x, attn_mask=rest[0])", [[1, 6, 4], [6, 6]]);
  assert.deepEqual([masked.warnings, masked.node("scaled_dot_product_attention").inputs.length, masked.output], [[], 4, [[1, 6, 4]]]);
  const bad = run("return F.scaled_dot_product_attention(x, rest[0], rest[0])", [[1, 6, 4], [1, 6, 5]]);
  assert.deepEqual(bad.warnings, [
    "scaled_dot_product_attention needs query [..., L, E], key [..., S, E] and value [..., S, Ev], got [1, 6, 4], [1, 6, 5] and [1, 6, 5] (line 11).",
  ]);
});

test("losses reduce to a 0-d tensor, or with reduction='none' keep the input's (class losses: the target's) shape", () => {
  const r = run(
    [
      "a = F.cross_entropy(x, rest[0])",
      "b = F.cross_entropy(x, rest[0], reduction='none')",
      "c = F.nll_loss(F.log_softmax(x, dim=1), rest[0], reduction='sum')",
      "d = F.mse_loss(x, rest[1], reduction='none')",
      "e = F.l1_loss(x, rest[1])",
      "f = F.smooth_l1_loss(x, rest[1], beta=0.5)",
      "g = F.huber_loss(x, rest[1], reduction='none')",
      "h = F.binary_cross_entropy(torch.sigmoid(x), rest[1])",
      "i = F.binary_cross_entropy_with_logits(x, rest[1], reduction='none')",
      "j = F.kl_div(x, rest[1], reduction='batchmean')",
      "k = F.cosine_embedding_loss(x, rest[1], rest[0], reduction='none')",
      "return a, b, c, d, e, f, g, h, i, j, k",
    ].join("\n"),
    [[4, 10], [4], [4, 10]],
  );
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.output, [[], [4], [], [4, 10], [], [], [4, 10], [], [4, 10], [], [4]]);
  assert.deepEqual(r.node("cross_entropy").category, "math");
  assert.deepEqual(r.node("cross_entropy").inputs.length, 2);
  assert.equal(r.ir.nodes.some((n) => n.opaque), false);
  const seq = run("return F.cross_entropy(x, rest[0], reduction='none')", [[2, 10, 7], [2, 7]]);
  assert.deepEqual(seq.output, [[2, 7]]);
  const probs = run("return F.cross_entropy(x, x.softmax(-1), reduction='none')", [[3, 10]]);
  assert.deepEqual(probs.output, [[3]]);
});

test("a list of ints as an index keeps that dim with the list's length; too many indices is an IndexError", () => {
  const r = run("return x[:, [-1], :], x[[0, 1, 1]]", [[2, 5, 3]]);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.output, [[2, 1, 3], [3, 5, 3]]);
  assert.deepEqual(r.node("getitem").attrs.index, [{ kind: "slice", start: null, stop: null, step: null }, { kind: "list", values: [-1] }, { kind: "slice", start: null, stop: null, step: null }]);
  const over = run("return x[None, :, None, :]", [[5]]);
  assert.deepEqual(over.warnings, ["Too many indices for tensor of dimension 1 (line 11). The statement was skipped."]);
  assert.deepEqual(run("return x[None, :, None]", [[5]]).output, [[1, 5, 1]]);
});

test("torch.is_tensor of an unknown value is unknown, so asserting it does not fail the model", () => {
  const r = run("y = x.tolist()\nassert torch.is_tensor(y[0])\nassert torch.is_tensor(x)\nreturn self.fc(x) if torch.is_tensor(x) else None", [[2, 4]]);
  assert.deepEqual([r.warnings, r.output], [[], [[2, 6]]]);
});

test("item assignment into a tensor records a setitem node that later reads of the tensor see", () => {
  const r = run("out = torch.zeros(x.shape[0], 3, 6)\nalias = out\nkeep = out.clone()\nout[:, 1] = self.fc(x)\nout[0] = 0.0\nreturn alias, keep", [[2, 4]]);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.ops, [["tensor", [2, 3, 6]], ["Linear", [2, 6]], ["setitem", [2, 3, 6]], ["setitem", [2, 3, 6]]]);
  const [first, second] = r.ir.nodes.filter((n) => n.op === "setitem");
  assert.deepEqual([first.category, first.inputs, first.attrs.index], ["math", ["zeros", "fc"], [{ kind: "slice", start: null, stop: null, step: null }, { kind: "int", value: 1 }]]);
  assert.deepEqual([second.inputs, second.attrs.index], [[first.id], [{ kind: "int", value: 0 }]]);
  // `alias` is the same object as `out`, so it sees both writes; the clone sees neither.
  assert.deepEqual(r.ir.outputs, [second.id, "zeros"]);
});

test("var and std reduce like PyTorch in both signatures (dim, unbiased, keepdim / correction=)", () => {
  const r = run(
    [
      "a = torch.var(x, dim=1, unbiased=False, keepdim=True)",
      "b = torch.std(x, dim=(2, 3))",
      "c = x.var(1, False, True)",
      "d = x.std(-1, keepdim=True, correction=0)",
      "e = x.var()",
      "f = x.std(False)",
      "g, m = torch.var_mean(x, dim=[2, 3], keepdim=True)",
      "h, n = torch.std_mean(x, 1)",
      "return a, b, c, d, e, f, g, m, h, n",
    ].join("\n"),
    [[1, 16, 8, 8]],
  );
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.output, [[1, 1, 8, 8], [1, 16], [1, 1, 8, 8], [1, 16, 8, 1], [], [], [1, 16, 1, 1], [1, 16, 1, 1], [1, 8, 8], [1, 8, 8]]);
  assert.deepEqual(
    r.ir.nodes.filter((n) => n.op === "var" || n.op === "std").map((n) => [n.op, n.attrs.correction]),
    [["var", 0], ["std", 1], ["var", 0], ["std", 0], ["var", 1], ["std", 0], ["var", 1], ["std", 1]],
  );
});
