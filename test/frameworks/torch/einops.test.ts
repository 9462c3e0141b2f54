import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { einopsPlan, einopsShape, einsumShape } from "../../../src/ir/einops-pattern";
import { analyze } from "../../../src/analyze";

const none = new Map<string, number>();

test("einops patterns: splits, merges, ellipsis, new and reduced axes", () => {
  assert.deepEqual(einopsShape("rearrange", "b c (h p1) (w p2) -> b (h w) (p1 p2 c)", [1, 3, 224, 224], new Map([["p1", 16], ["p2", 16]])), [1, 196, 768]);
  assert.deepEqual(einopsShape("rearrange", "b n (h d) -> b h n d", [2, 197, 384], new Map([["h", 6]])), [2, 6, 197, 64]);
  assert.deepEqual(einopsShape("rearrange", "b ... c -> b c ...", [1, 7, 9, 32], none), [1, 32, 7, 9]);
  assert.deepEqual(einopsShape("rearrange", "b h w c -> b (h w c)", [1, null, 5, 2], none), [1, null]);
  assert.deepEqual(einopsShape("repeat", "1 1 d -> b 1 d", [1, 1, 384], new Map([["b", 8]])), [8, 1, 384]);
  assert.deepEqual(einopsShape("repeat", "h w -> h w 3", [4, 5], none), [4, 5, 3]);
  assert.deepEqual(einopsShape("reduce", "b c h w -> b c", [2, 64, 7, 7], none), [2, 64]);
  assert.deepEqual(einopsShape("reduce", "b c (h 2) (w 2) -> b c h w", [1, 8, 6, 6], none), [1, 8, 3, 3]);
  assert.deepEqual(einopsShape("rearrange", "b c () () -> b c", [4, 10, 1, 1], none), [4, 10]);
});

test("einops patterns that do not fit say why", () => {
  assert.equal(einopsShape("rearrange", "b (h d) -> b h d", [2, 10], none), "the sizes of 'h' and 'd' cannot both be inferred from one dimension; pass one of them (e.g. h=...)");
  assert.equal(einopsShape("rearrange", "b (h d) -> b h d", [2, 10], new Map([["h", 3]])), "dimension 1 of size 10 cannot be split into '(h d)' with 3 left for 'd'");
  assert.equal(einopsShape("rearrange", "b c h w -> b c", [2, 3, 4, 5], none), "rearrange keeps every axis: 'h' is only on the left, 'w' is only on the left");
  assert.equal(einopsShape("rearrange", "b c h -> b h c", [2, 3], none), "'b c h' describes 3 dimensions, but the input has 2 ([2, 3])");
  assert.equal(einopsShape("repeat", "b c -> b c n", [2, 3], none), "the size of the new axis 'n' is not given (pass n=...)");
  assert.equal(einopsShape("rearrange", "b c", [2, 3], none), "the pattern 'b c' needs exactly one '->'");
});

test("'(...)' on the right merges the dimensions '...' stands for into one; '...' alone keeps them", () => {
  // LeViT: q of [1, 32, 7, 7] with h=4 becomes [1, 4, 49, 8].
  assert.deepEqual(einopsShape("rearrange", "b (h d) ... -> b h (...) d", [1, 32, 7, 7], new Map([["h", 4]])), [1, 4, 49, 8]);
  assert.deepEqual(einopsShape("rearrange", "b (h d) ... -> b h ... d", [1, 32, 7, 7], new Map([["h", 4]])), [1, 4, 7, 7, 8]);
  assert.deepEqual(einopsShape("rearrange", "b c ... -> b (c ...)", [2, 3, 4, 5], none), [2, 60]);
  assert.deepEqual(einopsShape("rearrange", "b ... -> b (...)", [2], none), [2, 1]);
  assert.deepEqual(einopsShape("rearrange", "... c -> (...) c", [2, null, 4], none), [null, 4]);
  assert.deepEqual(einopsShape("reduce", "b c ... -> b (...)", [2, 3, 4, 5], none), [2, 20]);
  assert.deepEqual(einopsShape("reduce", "b c ... -> b c", [2, 3, 4, 5], none), [2, 3]);
  assert.deepEqual(einopsShape("rearrange", "b (h) w -> b h w", [2, 3, 4], none), [2, 3, 4]);
  // The profiler's plan: split the input into elementary axes, permute, merge the ellipsis' axes.
  assert.deepEqual(einopsPlan("rearrange", "b (h d) ... -> b h (...) d", [1, 32, 7, 7], new Map([["h", 4]])), {
    inAxes: [1, 4, 8, 7, 7], reduceAxes: [], keptAxes: [1, 4, 8, 7, 7], perm: [0, 1, 3, 4, 2], beforeRepeat: [1, 4, 7, 7, 8], outAxes: [1, 4, 7, 7, 8], shape: [1, 4, 49, 8],
  });
});

test("patterns einops itself rejects are reasons, never a shape", () => {
  const shape = [2, 3, 4];
  assert.equal(einopsShape("rearrange", "b (c ...) -> b c ...", shape, none), "'...' inside parentheses is allowed on the right only, not on the left of 'b (c ...) -> b c ...'");
  assert.equal(einopsShape("rearrange", "b c h -> b (c h) ...", shape, none), "'...' is on the right of 'b c h -> b (c h) ...' but not on the left");
  assert.equal(einopsShape("rearrange", "b ... -> b", shape, none), "rearrange keeps every axis: '...' is only on the left of 'b ... -> b'");
  assert.equal(einopsShape("repeat", "b ... -> b n", shape, new Map([["n", 2]])), "repeat keeps every axis of the input: '...' is missing on the right of 'b ... -> b n'");
  assert.equal(einopsShape("rearrange", "b (c 2) h -> b c h 2", [2, 4, 4], none), "rearrange takes no number axes other than 1, got '2', '2' in 'b (c 2) h -> b c h 2'");
  assert.equal(einopsShape("rearrange", "b c h -> b h c", shape, new Map([["w", 4]])), "'w' is given by name but not used in 'b c h -> b h c'");
  assert.equal(einopsShape("rearrange", "b b h -> b h", shape, none), "'b' appears twice on one side in 'b b h -> b h'");
  assert.equal(einopsShape("rearrange", "b ... ... -> b", shape, none), "'...' appears twice on one side in 'b ... ... -> b'");
  assert.equal(einopsShape("rearrange", "b ((c h)) -> b c h", shape, none), "nested parentheses are not allowed in 'b ((c h)) -> b c h'");
});

test("an einops call the analyzer cannot apply is a located error, not a pass-through", () => {
  const text = [
    "import torch.nn as nn",
    "from einops import rearrange, reduce",
    "",
    "class M(nn.Module):",
    "    def forward(self, x):",
    "        y = rearrange(x, 'b (c ...) -> b c ...', c=2)",
    "        z = reduce(x, 'b c h w -> b c', lambda t, axes: t)",
    "        return rearrange(x, 'b c h w -> b h (c w)')",
    "",
  ].join("\n");
  const a = analyze({ file: "m.py", text, entry: "M()", input: [[1, 2, 3, 4]] });
  assert.deepEqual(a.diagnostics.filter((d) => d.severity !== "info").map((d) => [d.range.start.line, d.message]), [
    [5, "Einops rearrange: '...' inside parentheses is allowed on the right only, not on the left of 'b (c ...) -> b c ...' (line 6). The statement was skipped."],
    [6, "Einops reduce: a reduction given as <function <lambda>> is not modelled; use one of mean, sum, max, min, prod, any, all (line 7). The statement was skipped."],
  ]);
  assert.deepEqual(a.ir!.nodes.at(-1)!.shape, [1, 3, 8]);
});

test("LeViT's attention (rearrange 'b (h d) ... -> b h (...) d') keeps its tokens", () => {
  const text = [
    "import torch.nn as nn",
    "from einops import rearrange",
    "",
    "class Net(nn.Module):",
    "    def __init__(self):",
    "        super().__init__()",
    "        self.to_q = nn.Conv2d(16, 32, 1)",
    "",
    "    def forward(self, x):",
    "        q = self.to_q(x)",
    "        q = rearrange(q, 'b (h d) ... -> b h (...) d', h=4)",
    "        return q.sum(dim=-1)",
    "",
  ].join("\n");
  const a = analyze({ file: "levit.py", text, entry: "Net()", input: [[1, 16, 7, 7]] });
  assert.deepEqual(a.diagnostics.filter((d) => d.severity !== "info"), []);
  assert.deepEqual(a.ir!.nodes.map((n) => [n.op, n.shape]), [["Input", [1, 16, 7, 7]], ["Conv2d", [1, 32, 7, 7]], ["rearrange", [1, 4, 49, 8]], ["sum", [1, 4, 49]]]);
  assert.equal(a.ir!.paramTotals.params, 544);
});

test("torch.einsum: output shape and multiply-accumulates", () => {
  assert.deepEqual(einsumShape("bhid,bhjd->bhij", [[2, 8, 197, 64], [2, 8, 197, 64]]), { shape: [2, 8, 197, 197], macs: 2 * 8 * 197 * 197 * 64 });
  assert.deepEqual(einsumShape("ij,jk", [[3, 4], [4, 5]]), { shape: [3, 5], macs: 60 });
  assert.deepEqual(einsumShape("...ij,...jk->...ik", [[6, 3, 4], [6, 4, 5]]), { shape: [6, 3, 5], macs: 360 });
  assert.deepEqual(einsumShape("ii->i", [[4, 4]]), { shape: [4], macs: 0 });
  assert.equal(einsumShape("ij,jk->ik", [[3, 4], [5, 6]]), "index 'j' has size 4 in one operand and 5 in operand 1");
});

test("a ViT written with einops (Rearrange patches, rearrange heads, repeat cls) analyses whole", () => {
  const file = join(__dirname, "..", "..", "fixtures", "real-world", "vit_einops.py");
  const a = analyze({ file, text: readFileSync(file, "utf8"), entry: "vit_small()" });
  assert.deepEqual(a.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
  const ir = a.ir!;
  // Patch LN 768*2 + Linear 768*384+384 + LN 384*2, pos 197*384, cls 384, two layers of
  // (LN 768 + qkv 384*1152 + out 384*384+384 + LN 768 + 384*1536+1536 + 1536*384+384), LN 768, head 384*1000+1000.
  const layer = 768 + 442_368 + 147_840 + 768 + 591_360 + 590_208;
  assert.equal(ir.paramTotals.params, 1_536 + 295_296 + 768 + 75_648 + 384 + 2 * layer + 768 + 385_000);
  assert.deepEqual(ir.nodes.find((n) => n.op === "Rearrange")!.shape, [1, 196, 768]);
  assert.deepEqual(ir.nodes.find((n) => n.op === "repeat")!.shape, [1, 1, 384]);
  assert.deepEqual(ir.nodes.filter((n) => n.op === "rearrange").map((n) => n.shape), [
    ...Array(3).fill([1, 6, 197, 64]), [1, 197, 384], ...Array(3).fill([1, 6, 197, 64]), [1, 197, 384],
  ]);
  assert.deepEqual(ir.nodes.at(-1)!.shape, [1, 1000]);
});

test("a pattern that does not fit the tensor is a located error naming the reason", () => {
  const text = "import torch\nfrom torch import nn\nfrom einops import rearrange\n\nclass M(nn.Module):\n    def forward(self, x):\n        return rearrange(x, 'b (h d) -> b h d', h=3)\n";
  const a = analyze({ file: "m.py", text, entry: "M()", input: [[2, 10]] });
  const errors = a.diagnostics.filter((d) => d.severity !== "info");
  assert.deepEqual(errors.map((d) => [d.range.start.line, d.message]), [
    [6, "Einops rearrange: dimension 1 of size 10 cannot be split into '(h d)' with 3 left for 'd' (line 7). The statement was skipped."],
  ]);
});
