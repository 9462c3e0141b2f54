import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { einopsShape, einsumShape } from "../../../src/ir/einops-pattern";
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
