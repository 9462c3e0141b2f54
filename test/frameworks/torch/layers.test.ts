import { test } from "node:test";
import assert from "node:assert/strict";
import { fakeContext } from "../../helpers/fake-context";
import { NONE, int, str, tuple, bool } from "../../../src/interp/values";
import { torchParamTotals } from "../../../src/frameworks/torch/index";
import { input, layer, nodeOf } from "./torch-test-kit";

test("Conv2d(3, 64, 7, 2, 3, bias=False): ResNet stem shape, params and MACs", () => {
  const ctx = fakeContext();
  const conv = layer(ctx, "Conv2d", [int(3), int(64), int(7), int(2), int(3)], { bias: bool(false) });
  const y = ctx.call(conv, [input(ctx, [1, 3, 224, 224])]);
  const n = nodeOf(ctx.nodes, y);
  assert.deepEqual(n.shape, [1, 64, 112, 112]);
  assert.equal(n.params, 9408);
  assert.equal(n.trainableParams, 9408);
  assert.equal(n.macs, 118_013_952);
  assert.equal(n.op, "Conv2d");
  assert.equal(n.category, "conv");
  assert.equal(n.layer, conv);
  assert.deepEqual(n.attrs, {
    in_channels: 3, out_channels: 64, kernel_size: [7, 7], stride: [2, 2], padding: [3, 3], dilation: [1, 1], groups: 1, bias: false,
  });
  assert.deepEqual(conv.dict.get("weight")!.kind, "instance");
  assert.deepEqual(ctx.getAttr(ctx.getAttr(conv, "weight"), "shape"), tuple([int(64), int(3), int(7), int(7)]));
  assert.equal(ctx.getAttr(conv, "bias"), NONE);
  assert.deepEqual(ctx.getAttr(conv, "kernel_size"), tuple([int(7), int(7)]));
  assert.deepEqual(ctx.getAttr(conv, "out_channels"), int(64));
});

test("depthwise, dilated 'same' and 1-d convolutions", () => {
  const ctx = fakeContext();
  const dw = layer(ctx, "Conv2d", [int(32), int(32), int(3)], { padding: int(1), groups: int(32) });
  const n = nodeOf(ctx.nodes, ctx.call(dw, [input(ctx, [1, 32, 56, 56])]));
  assert.deepEqual(n.shape, [1, 32, 56, 56]);
  assert.equal(n.params, 32 * 9 + 32);
  assert.equal(n.macs, 56 * 56 * 32 * 9);

  const same = layer(ctx, "Conv2d", [int(16), int(8), int(3)], { padding: str("same"), dilation: int(2) });
  assert.deepEqual(nodeOf(ctx.nodes, ctx.call(same, [input(ctx, [2, 16, 28, 30])])).shape, [2, 8, 28, 30]);

  const c1 = layer(ctx, "Conv1d", [int(4), int(8), int(5)], { stride: int(2) });
  const n1 = nodeOf(ctx.nodes, ctx.call(c1, [input(ctx, [1, 4, 100])]));
  assert.deepEqual(n1.shape, [1, 8, 48]);
  assert.equal(n1.params, 8 * 4 * 5 + 8);
  assert.equal(n1.macs, 48 * 8 * 4 * 5);
});

test("ConvTranspose2d output size, output_padding, params and MACs", () => {
  const ctx = fakeContext();
  const up = layer(ctx, "ConvTranspose2d", [int(64), int(32), int(4)], { stride: int(2), padding: int(1) });
  const n = nodeOf(ctx.nodes, ctx.call(up, [input(ctx, [1, 64, 16, 16])]));
  assert.deepEqual(n.shape, [1, 32, 32, 32]);
  assert.equal(n.params, 64 * 32 * 16 + 32);
  assert.equal(n.macs, 16 * 16 * 64 * 32 * 16);
  const op = layer(ctx, "ConvTranspose2d", [int(8), int(4), int(3)], { stride: int(2), padding: int(1), output_padding: int(1) });
  assert.deepEqual(nodeOf(ctx.nodes, ctx.call(op, [input(ctx, [1, 8, 7, 7])])).shape, [1, 4, 14, 14]);
});

test("BatchNorm2d(64): 128 params, 129 buffers (running mean/var + num_batches_tracked)", () => {
  const ctx = fakeContext();
  const bn = layer(ctx, "BatchNorm2d", [int(64)]);
  const n = nodeOf(ctx.nodes, ctx.call(bn, [input(ctx, [1, 64, 56, 56])]));
  assert.deepEqual(n.shape, [1, 64, 56, 56]);
  assert.equal(n.params, 128);
  assert.equal(n.buffers, 129);
  assert.equal(n.category, "norm");
  assert.deepEqual(torchParamTotals(bn), { params: 128, trainableParams: 128, nonTrainableParams: 0, buffers: 129 });
  assert.deepEqual(ctx.getAttr(bn, "num_features"), int(64));
});

test("LayerNorm, GroupNorm, Embedding and PReLU parameter counts", () => {
  const ctx = fakeContext();
  const ln = layer(ctx, "LayerNorm", [int(768)]);
  assert.equal(nodeOf(ctx.nodes, ctx.call(ln, [input(ctx, [1, 197, 768])])).params, 1536);
  const gn = layer(ctx, "GroupNorm", [int(32), int(64)]);
  assert.equal(nodeOf(ctx.nodes, ctx.call(gn, [input(ctx, [1, 64, 8, 8])])).params, 128);
  const emb = layer(ctx, "Embedding", [int(1000), int(64)]);
  const e = nodeOf(ctx.nodes, ctx.call(emb, [input(ctx, [2, 16])]));
  assert.deepEqual(e.shape, [2, 16, 64]);
  assert.equal(e.params, 64_000);
  assert.equal(e.category, "embedding");
  const pr = layer(ctx, "PReLU", []);
  assert.equal(nodeOf(ctx.nodes, ctx.call(pr, [input(ctx, [1, 8])])).params, 1);
});

test("Linear(2048, 1000): params, MACs, and any-rank input", () => {
  const ctx = fakeContext();
  const fc = layer(ctx, "Linear", [int(2048), int(1000)]);
  const n = nodeOf(ctx.nodes, ctx.call(fc, [input(ctx, [1, 2048])]));
  assert.deepEqual(n.shape, [1, 1000]);
  assert.equal(n.params, 2_049_000);
  assert.equal(n.macs, 2_048_000);
  assert.equal(n.category, "dense");
  const n3 = nodeOf(ctx.nodes, ctx.call(fc, [input(ctx, [2, 5, 2048])]));
  assert.deepEqual(n3.shape, [2, 5, 1000]);
  assert.equal(n3.macs, 10 * 2_048_000);
});

test("Linear with the wrong in_features reports an error and still returns a tensor", () => {
  const ctx = fakeContext();
  const fc = layer(ctx, "Linear", [int(512), int(10)]);
  const n = nodeOf(ctx.nodes, ctx.call(fc, [input(ctx, [1, 2048])]));
  assert.deepEqual(n.shape, [1, 10]);
  assert.deepEqual(ctx.messages, ["error: Linear expects 512 input features, got 2048."]);
});

test("pooling output sizes: MaxPool2d(3, 2, 1), ceil_mode, AvgPool2d, adaptive with None", () => {
  const ctx = fakeContext();
  const mp = layer(ctx, "MaxPool2d", [int(3), int(2), int(1)]);
  const n = nodeOf(ctx.nodes, ctx.call(mp, [input(ctx, [1, 64, 112, 112])]));
  assert.deepEqual(n.shape, [1, 64, 56, 56]);
  assert.equal(n.category, "pooling");
  assert.equal(n.macs, 0);
  const floorP = layer(ctx, "MaxPool2d", [int(3), int(2)]);
  const ceilP = layer(ctx, "MaxPool2d", [int(3), int(2)], { ceil_mode: bool(true) });
  assert.deepEqual(nodeOf(ctx.nodes, ctx.call(floorP, [input(ctx, [1, 8, 112, 112])])).shape, [1, 8, 55, 55]);
  assert.deepEqual(nodeOf(ctx.nodes, ctx.call(ceilP, [input(ctx, [1, 8, 112, 112])])).shape, [1, 8, 56, 56]);
  // The last window would start in the padding: PyTorch drops it (5 -> 3, not 4).
  const edge = layer(ctx, "MaxPool2d", [int(2), int(2)], { padding: int(1), ceil_mode: bool(true) });
  assert.deepEqual(nodeOf(ctx.nodes, ctx.call(edge, [input(ctx, [1, 1, 5, 5])])).shape, [1, 1, 3, 3]);
  const ap = layer(ctx, "AvgPool2d", [int(2)]);
  assert.deepEqual(nodeOf(ctx.nodes, ctx.call(ap, [input(ctx, [1, 8, 7, 7])])).shape, [1, 8, 3, 3]);
  const gap = layer(ctx, "AdaptiveAvgPool2d", [tuple([int(1), int(1)])]);
  assert.deepEqual(nodeOf(ctx.nodes, ctx.call(gap, [input(ctx, [1, 2048, 7, 7])])).shape, [1, 2048, 1, 1]);
  const partial = layer(ctx, "AdaptiveMaxPool2d", [tuple([NONE, int(3)])]);
  assert.deepEqual(nodeOf(ctx.nodes, ctx.call(partial, [input(ctx, [1, 8, 5, 9])])).shape, [1, 8, 5, 3]);
});

test("activations, dropout, flatten and upsample keep or reshape as documented", () => {
  const ctx = fakeContext();
  const x = input(ctx, [1, 16, 4, 4]);
  const relu = nodeOf(ctx.nodes, ctx.call(layer(ctx, "ReLU", [], { inplace: bool(true) }), [x]));
  assert.deepEqual([relu.op, relu.category, relu.shape, relu.attrs], ["ReLU", "activation", [1, 16, 4, 4], { inplace: true }]);
  const drop = nodeOf(ctx.nodes, ctx.call(layer(ctx, "Dropout", [{ kind: "float", v: 0.2 }]), [x]));
  assert.deepEqual([drop.category, drop.attrs], ["dropout", { p: 0.2 }]);
  const flat = nodeOf(ctx.nodes, ctx.call(layer(ctx, "Flatten", []), [x]));
  assert.deepEqual([flat.category, flat.shape], ["reshape", [1, 256]]);
  const up = nodeOf(ctx.nodes, ctx.call(layer(ctx, "Upsample", [], { scale_factor: int(2) }), [x]));
  assert.deepEqual(up.shape, [1, 16, 8, 8]);
});

test("Identity makes no node and returns its input", () => {
  const ctx = fakeContext();
  const x = input(ctx, [1, 3]);
  const before = ctx.nodes.length;
  assert.equal(ctx.call(layer(ctx, "Identity", [int(54)], { unused: bool(true) }), [x]), x);
  assert.equal(ctx.nodes.length, before);
});

test("a rank error names the layer and the shape, then guesses the output", () => {
  const ctx = fakeContext();
  const conv = layer(ctx, "Conv2d", [int(3), int(8), int(3)]);
  const n = nodeOf(ctx.nodes, ctx.call(conv, [input(ctx, [1, 3])]));
  assert.deepEqual(ctx.messages, ["error: Conv2d expects a 3-D or 4-D input, got a 2-D tensor of shape [1, 3]."]);
  assert.deepEqual(n.shape, [1, 8, 1, 1]);
  const tiny = nodeOf(ctx.nodes, ctx.call(conv, [input(ctx, [1, 3, 2, 2])]));
  assert.deepEqual(tiny.shape, [1, 8, 1, 1]);
  assert.equal(ctx.messages[1], "error: Conv2d input of shape [1, 3, 2, 2] is too small for kernel 3x3: the output would be [0, 0].");
});
