import { test } from "node:test";
import assert from "node:assert/strict";
import { fakeContext, input, int, make, node, str } from "./helpers";

test("Conv2D(64, 7, strides=2, padding='same') on (None, 224, 224, 3)", () => {
  const ctx = fakeContext();
  const x = input(ctx, 224, 224, 3);
  const conv = make(ctx, "Conv2D", [int(64), int(7)], { strides: 2, padding: "same" });
  const y = ctx.call(conv, [x]);
  const n = node(ctx, y);
  assert.deepEqual(n.shape, [null, 112, 112, 64]);
  assert.equal(n.params, 9472);
  assert.equal(n.trainableParams, 9472);
  assert.equal(n.macs, 118_013_952);
  assert.equal(n.op, "Conv2D");
  assert.equal(n.category, "conv");
  assert.equal(n.name, "conv2d");
  assert.deepEqual(n.attrs?.kernel_size, [7, 7]);
  assert.equal(n.attrs?.__conv, undefined);
  assert.equal(n.inputs[0].node, (x as { node: string }).node);
});

test("valid padding, dilation and fused activation", () => {
  const ctx = fakeContext();
  const x = input(ctx, 32, 32, 16);
  const y = ctx.call(make(ctx, "Conv2D", [int(8), int(3)], { dilation_rate: 2, activation: "relu", use_bias: 0 }), [x]);
  const n = node(ctx, y);
  // dilated kernel 5: (32 - 5) / 1 + 1 = 28
  assert.deepEqual(n.shape, [null, 28, 28, 8]);
  assert.equal(n.params, 3 * 3 * 16 * 8);
  assert.equal(n.attrs?.activation, "relu");
  assert.equal(ctx.nodes.length, 2, "the activation is part of the conv node");
});

test("BatchNormalization on 64 channels: 256 params, 128 non-trainable", () => {
  const ctx = fakeContext();
  const y = ctx.call(make(ctx, "BatchNormalization"), [input(ctx, 56, 56, 64)]);
  const n = node(ctx, y);
  assert.equal(n.params, 256);
  assert.equal(n.trainableParams, 128);
  assert.equal(n.nonTrainableParams, 128);
  assert.equal(n.name, "batch_normalization");
  assert.equal(n.category, "norm");
});

test("Dense(1000) on 2048 features: 2,049,000 params and MACs per sample", () => {
  const ctx = fakeContext();
  const y = ctx.call(make(ctx, "Dense", [int(1000)]), [input(ctx, 2048)]);
  const n = node(ctx, y);
  assert.deepEqual(n.shape, [null, 1000]);
  assert.equal(n.params, 2_049_000);
  assert.equal(n.macs, 2_048_000);
});

test("Dense on a rank-3 input applies to the last axis", () => {
  const ctx = fakeContext();
  const n = node(ctx, ctx.call(make(ctx, "Dense", [int(32)]), [input(ctx, 10, 64)]));
  assert.deepEqual(n.shape, [null, 10, 32]);
  assert.equal(n.params, 64 * 32 + 32);
  assert.equal(n.macs, 10 * 64 * 32);
});

test("DepthwiseConv2D(3) on 32 channels: 320 params", () => {
  const ctx = fakeContext();
  const n = node(ctx, ctx.call(make(ctx, "DepthwiseConv2D", [int(3)], { padding: "same" }), [input(ctx, 112, 112, 32)]));
  assert.deepEqual(n.shape, [null, 112, 112, 32]);
  assert.equal(n.params, 320);
  assert.equal(n.macs, 112 * 112 * 9 * 32);
  assert.equal(n.name, "depthwise_conv2d");
});

test("SeparableConv2D(64, 3) on 32 channels", () => {
  const ctx = fakeContext();
  const n = node(ctx, ctx.call(make(ctx, "SeparableConv2D", [int(64), int(3)], { padding: "same" }), [input(ctx, 56, 56, 32)]));
  assert.deepEqual(n.shape, [null, 56, 56, 64]);
  assert.equal(n.params, 9 * 32 + 32 * 64 + 64); // 2,400
  assert.equal(n.macs, 56 * 56 * 9 * 32 + 56 * 56 * 32 * 64);
});

test("Conv2DTranspose doubles the size with strides=2, 'same'", () => {
  const ctx = fakeContext();
  const n = node(ctx, ctx.call(make(ctx, "Conv2DTranspose", [int(16), int(3)], { strides: 2, padding: "same" }), [input(ctx, 14, 14, 32)]));
  assert.deepEqual(n.shape, [null, 28, 28, 16]);
  assert.equal(n.params, 3 * 3 * 16 * 32 + 16);
  assert.equal(n.macs, 14 * 14 * 9 * 32 * 16);
});

test("automatic names: conv2d, conv2d_1; explicit name wins and does not consume a number", () => {
  const ctx = fakeContext();
  const x = input(ctx, 8, 8, 3);
  const a = node(ctx, ctx.call(make(ctx, "Conv2D", [int(4), int(1)]), [x]));
  const named = node(ctx, ctx.call(make(ctx, "Conv2D", [int(4), int(1)], { name: "stem" }), [x]));
  const b = node(ctx, ctx.call(make(ctx, "Conv2D", [int(4), int(1)]), [x]));
  const r = node(ctx, ctx.call(make(ctx, "ReLU"), [x]));
  const r2 = node(ctx, ctx.call(make(ctx, "ReLU"), [x]));
  assert.deepEqual([a.name, named.name, b.name, r.name, r2.name], ["conv2d", "stem", "conv2d_1", "re_lu", "re_lu_1"]);
});

test("pooling, padding and global pooling shapes", () => {
  const ctx = fakeContext();
  const x = input(ctx, 112, 112, 64);
  const padded = ctx.call(make(ctx, "ZeroPadding2D", [], { padding: 1 }), [x]);
  assert.deepEqual(node(ctx, padded).shape, [null, 114, 114, 64]);
  const pooled = ctx.call(make(ctx, "MaxPooling2D", [int(3)], { strides: 2 }), [padded]);
  assert.deepEqual(node(ctx, pooled).shape, [null, 56, 56, 64]);
  const same = ctx.call(make(ctx, "AveragePooling2D", [], { padding: "same" }), [input(ctx, 7, 7, 8)]);
  assert.deepEqual(node(ctx, same).shape, [null, 4, 4, 8]);
  const gap = ctx.call(make(ctx, "GlobalAveragePooling2D"), [pooled]);
  assert.deepEqual(node(ctx, gap).shape, [null, 64]);
  assert.equal(node(ctx, gap).name, "global_average_pooling2d");
});

test("Flatten and Reshape with -1", () => {
  const ctx = fakeContext();
  const x = input(ctx, 7, 7, 64);
  assert.deepEqual(node(ctx, ctx.call(make(ctx, "Flatten"), [x])).shape, [null, 3136]);
  const { tuple } = { tuple: (xs: number[]) => ({ kind: "tuple" as const, items: xs.map(int) }) };
  assert.deepEqual(node(ctx, ctx.call(make(ctx, "Reshape", [tuple([49, -1])]), [x])).shape, [null, 49, 64]);
});

test("Activation and Dropout pass the shape through", () => {
  const ctx = fakeContext();
  const x = input(ctx, 10);
  const a = node(ctx, ctx.call(make(ctx, "Activation", [str("softmax")]), [x]));
  assert.equal(a.attrs?.activation, "softmax");
  assert.equal(a.category, "activation");
  const d = node(ctx, ctx.call(make(ctx, "Dropout", [{ kind: "float", v: 0.5 }]), [x]));
  assert.equal(d.category, "dropout");
  assert.deepEqual(d.shape, [null, 10]);
});
