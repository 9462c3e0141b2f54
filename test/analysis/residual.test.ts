import { test } from "node:test";
import assert from "node:assert/strict";
import { findResidualBlocks } from "../../src/analysis/residual";
import { IRBuilder, blockChain, tinyResNet } from "./ir-fixtures";

test("tiny ResNet: one identity and one projection block with exact members", () => {
  const blocks = findResidualBlocks(tinyResNet());
  assert.equal(blocks.length, 2);
  const [b1, b2] = blocks;

  assert.equal(b1.id, "layer1/0");
  assert.equal(b1.shortcut, "identity");
  assert.equal(b1.forkNode, "relu");
  assert.equal(b1.mergeNode, "layer1.0.add");
  assert.deepEqual(b1.nodes, ["layer1.0.conv1", "layer1.0.bn1", "layer1.0.relu", "layer1.0.conv2", "layer1.0.bn2", "layer1.0.add"]);
  assert.deepEqual(b1.mainPath, ["layer1.0.conv1", "layer1.0.bn1", "layer1.0.relu", "layer1.0.conv2", "layer1.0.bn2"]);
  assert.deepEqual(b1.shortcutPath, []);
  assert.equal(b1.reason, "The shortcut adds the fork's output unchanged.");
  assert.equal(b1.weightedLayers, 2);
  assert.equal(b1.inChannels, 16);
  assert.equal(b1.outChannels, 16);
  assert.deepEqual(b1.inShape, [1, 16, 32, 32]);
  assert.equal(b1.params, 2304 + 32 + 2304 + 32);
  assert.equal(b1.macs, 2 * 2304 * 1024);
  assert.equal(b1.parent, undefined);

  assert.equal(b2.id, "layer2/0");
  assert.equal(b2.shortcut, "projection");
  assert.equal(b2.forkNode, "layer1.0.relu_1");
  assert.deepEqual(b2.shortcutPath, ["layer2.0.downsample.0", "layer2.0.downsample.1"]);
  assert.deepEqual(b2.shortcutOps, ["Conv2d", "BatchNorm2d"]);
  assert.deepEqual(b2.mainPath, ["layer2.0.conv1", "layer2.0.bn1", "layer2.0.relu", "layer2.0.conv2", "layer2.0.bn2"]);
  assert.equal(b2.nodes.length, 8);
  assert.equal(b2.nodes[7], "layer2.0.add");
  assert.equal(b2.reason, "The shortcut applies Conv2d, a projection.");
  assert.equal(b2.weightedLayers, 2);
  assert.equal(b2.inChannels, 16);
  assert.equal(b2.outChannels, 32);
  assert.deepEqual(b2.outShape, [1, 32, 16, 16]);
  assert.equal(b2.params, 4608 + 64 + 9216 + 64 + 512 + 64);
  assert.equal(b2.macs, 1179648 + 2359296 + 131072);
});

test("option-A shortcut (subsample + zero-pad with a constant) counts as identity and says why", () => {
  const b = new IRBuilder("pytorch");
  b.input("x", [1, 16, 8, 8]);
  b.node("c1", "Conv2d", "conv", ["x"], [1, 32, 4, 4], { params: 4608, scope: "blk/c1" });
  b.node("c2", "Conv2d", "conv", ["c1"], [1, 32, 4, 4], { params: 9216, scope: "blk/c2" });
  b.node("sub", "getitem", "reshape", ["x"], [1, 16, 4, 4], { scope: "blk" });
  b.node("zeros", "zeros", "math", [], [1, 16, 4, 4], { scope: "blk" }); // a constant, not from the input
  b.node("pad", "cat", "merge", ["sub", "zeros"], [1, 32, 4, 4], { scope: "blk", attrs: { mergeKind: "concat" } });
  b.node("add", "add", "merge", ["c2", "pad"], [1, 32, 4, 4], { scope: "blk" });
  const [block] = findResidualBlocks(b.build());
  assert.equal(block.shortcut, "identity");
  assert.equal(block.forkNode, "x");
  assert.deepEqual(block.shortcutPath, ["sub", "pad"]);
  assert.deepEqual(block.nodes, ["c1", "c2", "sub", "pad", "add"]);
  assert.equal(
    block.reason,
    "The shortcut has no weighted layer, only getitem, cat, so it counts as identity (like option-A shortcuts that subsample and zero-pad).",
  );
  assert.equal(block.id, "blk");
});

test("a branch scaled by a learned Parameter (layer scale: x + gamma * conv(x)) is still a residual block", () => {
  const b = new IRBuilder("pytorch");
  b.input("x", [1, 8, 8, 8]);
  b.node("conv", "Conv2d", "conv", ["x"], [1, 8, 8, 8], { params: 584, scope: "blk/conv" });
  // PyTorch constants (Parameters, torch.ones(...)) are "input"-category nodes that are not model inputs.
  b.node("gamma", "Parameter", "input", [], [8, 1, 1], { params: 8, scope: "blk" });
  b.node("mul", "mul", "math", ["gamma", "conv"], [1, 8, 8, 8], { scope: "blk" });
  b.node("add", "add", "merge", ["x", "mul"], [1, 8, 8, 8], { scope: "blk" });
  const blocks = findResidualBlocks(b.build());
  assert.equal(blocks.length, 1);
  assert.equal(blocks[0].forkNode, "x");
  assert.equal(blocks[0].shortcut, "identity");
  assert.deepEqual(blocks[0].mainPath, ["conv", "mul"]);
});

test("a branch that also reads a second model input (cross-attention) is a block forked at the add's other input", () => {
  const b = new IRBuilder("pytorch");
  b.input("tgt", [1, 7, 16]);
  b.input("memory", [1, 10, 16]);
  b.node("enc", "Linear", "dense", ["memory"], [1, 10, 16], { params: 272, scope: "encoder" });
  b.node("x", "LayerNorm", "norm", ["tgt"], [1, 7, 16], { params: 32, scope: "dec/norm1" });
  b.node("attn", "MultiheadAttention", "dense", ["x", "enc"], [1, 7, 16], { params: 1088, scope: "dec/attn" });
  b.node("add", "add", "merge", ["x", "attn"], [1, 7, 16], { scope: "dec" });
  const blocks = findResidualBlocks(b.build(["add"], "Decoder"));
  assert.equal(blocks.length, 1);
  assert.equal(blocks[0].forkNode, "x");
  assert.deepEqual(blocks[0].nodes, ["attn", "add"], "the encoder is not a member");
});

test("nested blocks: the inner block names its parent", () => {
  const b = new IRBuilder("pytorch");
  b.input("x", [1, 8, 4, 4]);
  b.node("m1", "Conv2d", "conv", ["x"], [1, 8, 4, 4], { params: 576, scope: "outer/m1" });
  b.node("m2", "Conv2d", "conv", ["m1"], [1, 8, 4, 4], { params: 576, scope: "outer/inner/m2" });
  b.node("add1", "add", "merge", ["m2", "m1"], [1, 8, 4, 4], { scope: "outer/inner" });
  b.node("m3", "Conv2d", "conv", ["add1"], [1, 8, 4, 4], { params: 576, scope: "outer/m3" });
  b.node("add2", "add", "merge", ["m3", "x"], [1, 8, 4, 4], { scope: "outer" });
  const blocks = findResidualBlocks(b.build());
  assert.deepEqual(
    blocks.map((k) => [k.id, k.forkNode, k.nodes.join(" "), k.shortcut, k.parent ?? null, k.weightedLayers]),
    [
      ["outer/inner", "m1", "m2 add1", "identity", "outer", 1],
      ["outer", "x", "m1 m2 add1 m3 add2", "identity", null, 3],
    ],
  );
});

test("a 3-input add: the weightless branch is the shortcut, both conv branches are the main path", () => {
  const b = new IRBuilder("pytorch");
  b.input("x", [1, 8, 4, 4]);
  b.node("a", "Conv2d", "conv", ["x"], [1, 8, 4, 4], { params: 576 });
  b.node("an", "BatchNorm2d", "norm", ["a"], [1, 8, 4, 4], { params: 16 });
  b.node("p", "Conv2d", "conv", ["x"], [1, 8, 4, 4], { params: 64 });
  b.node("pn", "BatchNorm2d", "norm", ["p"], [1, 8, 4, 4], { params: 16 });
  b.node("add", "Add", "merge", ["an", "pn", "x"], [1, 8, 4, 4]);
  const [block] = findResidualBlocks(b.build());
  assert.equal(block.shortcut, "identity");
  assert.deepEqual(block.mainPath, ["a", "an", "p", "pn"]);
  assert.deepEqual(block.shortcutPath, []);
  assert.equal(block.id, "block_add"); // no common scope
  assert.equal(block.params, 672);
});

test("concatenations, x + x and adds of unrelated inputs are not residual blocks", () => {
  const b = new IRBuilder("pytorch");
  b.input("x", [1, 8]);
  b.input("y", [1, 8]);
  b.node("d", "Linear", "dense", ["x"], [1, 8], { params: 72 });
  b.node("cat", "cat", "merge", ["d", "x"], [1, 16], { attrs: { mergeKind: "concat" } });
  b.node("twice", "add", "merge", ["d", "d"], [1, 8]);
  b.node("both", "add", "merge", ["twice", "y"], [1, 8]);
  assert.deepEqual(findResidualBlocks(b.build()), []);
});

test("Keras layout: channels are the last dimension; a shared scope falls back to block_<merge>", () => {
  const b = new IRBuilder("keras");
  b.input("in", [null, 8, 8, 16]);
  for (const k of ["1", "2"]) {
    const from = k === "1" ? "in" : "add1";
    b.node(`c${k}`, "Conv2D", "conv", [from], [null, 8, 8, 16], { params: 2320, scope: "stack" });
    b.node(`add${k}`, "Add", "merge", [`c${k}`, from], [null, 8, 8, 16], { scope: "stack" });
  }
  const blocks = findResidualBlocks(b.build());
  assert.deepEqual(blocks.map((k) => k.id), ["block_add1", "block_add2"]);
  assert.equal(blocks[0].inChannels, 16);
  assert.equal(blocks[0].scope, "stack");
});

test("a 20,000-node chain of blocks is analysed without quadratic blow-up", () => {
  findResidualBlocks(blockChain(300)); // warm the JIT: this guards against quadratic work, not cold starts
  const ir = blockChain(2800);
  assert.equal(ir.nodes.length, 1 + 2800 * 7 + 280 * 2);
  const t0 = performance.now();
  const blocks = findResidualBlocks(ir);
  const ms = performance.now() - t0;
  assert.equal(blocks.length, 2800);
  assert.equal(blocks.filter((k) => k.shortcut === "projection").length, 280);
  assert.equal(blocks[2799].forkNode, "b2798.r2");
  // Linear work takes well under 100 ms on a developer machine; the bound is loose for loaded CI
  // runners. Walking back to the input for every block (quadratic) would take many seconds.
  assert.ok(ms < 2000, `took ${ms.toFixed(1)} ms`);
});
