// Depthwise conv + BatchNorm (+ activation) fusion: which depthwise convs are grouped (PyTorch
// groups = in_channels, Keras DepthwiseConv2D), that folding BN into a depthwise filter (channel
// multiplier included) computes the same function, and that MobileNetV2 and a Keras model built
// fused and unfused with the same weights give the same output, the same weight count, and report
// every fused node under its conv.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBackend } from "../../backends/registry";
import { estimateMemory, foldBatchNorm, fusedByLayer, planFusion, profileModel, type TfTensor } from "../../src/profile";
import { irOf, maxAbsDiff, planOutput, torchExpectedWeights } from "./helpers";

const mobilenetIr = () => irOf("examples/torch_mobilenet_v2.py", "mobilenet_v2()", [[1, 3, 64, 64]]);

const KERAS_DEPTHWISE = `
import keras
from keras import layers

inp = keras.Input((16, 16, 8))
x = layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2, use_bias=False)(inp)
x = layers.BatchNormalization()(x)
x = layers.ReLU(6.0)(x)
x = layers.DepthwiseConv2D(3, strides=2)(x)
x = layers.BatchNormalization()(x)
x = layers.Activation("sigmoid")(x)
y = layers.DepthwiseConv2D(3, padding="same", activation="relu")(x)
y = layers.BatchNormalization()(y)
x = layers.Add()([x, y])
x = layers.DepthwiseConv2D(1)(x)
x = layers.BatchNormalization()(x)
x = layers.LeakyReLU()(x)
model = keras.Model(inp, x)
`;

const kerasIr = () => irOf("depthwise.py", "model", undefined, KERAS_DEPTHWISE);

test("planFusion on MobileNetV2: all 52 conv + BN pairs, the 17 depthwise ones included, 35 with their ReLU6", () => {
  const groups = [...planFusion(mobilenetIr()).values()];
  assert.equal(groups.length, 52);
  // Stem, 16 expansions, 17 projections and the last 1x1 conv are regular; each block's 3x3 is depthwise.
  assert.equal(groups.filter((g) => g.kind === "conv2d").length, 35);
  assert.equal(groups.filter((g) => g.kind === "depthwiseConv2d").length, 17);
  // ReLU6 after the stem, each expansion, each depthwise and the last conv; projections are linear.
  assert.equal(groups.filter((g) => g.activationKind === "relu6").length, 35);
  assert.equal(groups.filter((g) => g.activation !== undefined).length, 35);
  assert.deepEqual(groups[1], {
    kind: "depthwiseConv2d",
    conv: "features/1/conv/0/0",
    batchNorm: "features/1/conv/0/1",
    activation: "features/1/conv/0/2",
    activationKind: "relu6",
  });
  assert.deepEqual(groups[2], { kind: "conv2d", conv: "features/1/conv/1", batchNorm: "features/1/conv/2" });
});

test("planFusion on Keras DepthwiseConv2D: BN and a relu6/sigmoid after it fuse; a conv with its own activation does not", () => {
  assert.deepEqual(
    [...planFusion(kerasIr()).values()],
    [
      { kind: "depthwiseConv2d", conv: "depthwise_conv2d", batchNorm: "batch_normalization", activation: "re_lu", activationKind: "relu6" },
      { kind: "depthwiseConv2d", conv: "depthwise_conv2d_1", batchNorm: "batch_normalization_1", activation: "activation", activationKind: "sigmoid" },
      // depthwise_conv2d_2 applies relu before its BN. LeakyReLU has a slope the fused kernel is not given.
      { kind: "depthwiseConv2d", conv: "depthwise_conv2d_3", batchNorm: "batch_normalization_3" },
    ],
  );
  // Folded copies: 144 (no bias) + 16, 144 + 16 (its own bias replaced), 16 + 16 floats.
  assert.equal(estimateMemory(kerasIr(), 1).foldedBytes, (160 + 160 + 32) * 4);
});

test("foldBatchNorm on a depthwise filter (multiplier 2): one fused depthwise conv computes relu6(batchNorm(dwconv(x) + bias))", async () => {
  for (const name of ["cpu", "wasm"] as const) {
    const { tf } = await loadBackend(name);
    const before = tf.memory().numTensors;
    const owned: TfTensor[] = [];
    const t = (x: TfTensor) => (owned.push(x), x);
    const x = t(tf.randomUniform([2, 9, 9, 5], -3, 3));
    const filter = t(tf.randomUniform([3, 3, 5, 2], -1, 1));
    const bias = t(tf.randomUniform([10], -0.5, 0.5));
    const bn = {
      mean: t(tf.randomUniform([10], -0.5, 0.5)),
      variance: t(tf.randomUniform([10], 0.5, 1.5)),
      scale: t(tf.randomUniform([10], 0.5, 1.5)),
      offset: t(tf.randomUniform([10], -0.5, 0.5)),
      epsilon: 1e-5,
    };
    const pad = [[0, 0], [1, 1], [1, 1], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]];
    const conv = t(tf.depthwiseConv2d(x, filter, [2, 2], pad));
    for (const [b, scale, offset] of [[bias, bn.scale, bn.offset], [undefined, undefined, undefined]] as const) {
      const derived: TfTensor[] = [];
      const folded = foldBatchNorm({ tf, derived: (d) => (derived.push(d), d) }, filter, b, { ...bn, scale, offset }, "depthwiseConv2d");
      assert.deepEqual(folded.filter.shape, [3, 3, 5, 2]);
      assert.deepEqual(folded.bias.shape, [10]);
      assert.equal(derived.length, 2, "both folded tensors are handed to the plan");
      const fused = tf.fused!.depthwiseConv2d({ x, filter: folded.filter, strides: [2, 2], pad, bias: folded.bias, activation: "relu6" });
      const biased = b ? t(tf.add(conv, b)) : conv;
      const reference = t(tf.relu6(t(tf.batchNorm(biased, bn.mean, bn.variance, offset, scale, bn.epsilon))));
      const diff = maxAbsDiff(fused, reference);
      assert.ok(diff < 1e-5, `${name}: fused differs from depthwise conv ${b ? "+ bias " : ""}+ BN + relu6 by ${diff}`);
      for (const d of [fused, ...derived]) d.dispose();
    }
    for (const o of owned.splice(0)) o.dispose();
    assert.equal(tf.memory().numTensors, before, "foldBatchNorm frees its intermediates");
  }
});

test("MobileNetV2 built fused and unfused with the same weights: same output, same weight count (wasm and cpu)", async () => {
  const ir = mobilenetIr();
  for (const name of ["wasm", "cpu"] as const) {
    const { tf } = await loadBackend(name);
    const before = tf.memory().numTensors;
    const fused = planOutput(tf, ir, { fuse: true, seed: 3 });
    const unfused = planOutput(tf, ir, { fuse: false, seed: 3 });
    // 153 layers unfused; 52 BNs and 35 ReLU6s run inside their conv's kernel.
    assert.equal(unfused.steps, 153);
    assert.equal(fused.steps, 153 - 87);
    assert.equal(fused.weightCount, unfused.weightCount);
    assert.equal(fused.weightCount, torchExpectedWeights(ir));
    assert.equal(fused.values.length, 1000);
    assert.ok(Math.max(...unfused.values.map(Math.abs)) > 0.01, "the output is not vanishingly small, so the comparison means something");
    const diff = maxAbsDiff(fused.values, unfused.values);
    assert.ok(diff < 1e-5, `${name}: fused and unfused outputs differ by ${diff}`);
    assert.equal(tf.memory().numTensors, before);
  }
});

test("a MobileNetV2 profile lists each depthwise conv's BN and ReLU6 under it; --no-fuse times every layer alone", async () => {
  const { tf } = await loadBackend("wasm");
  const ir = mobilenetIr();
  const before = tf.memory().numTensors;
  const r = await profileModel(tf, ir, { warmup: 1, runs: 1, peak: false });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(r.skipped, []);
  assert.deepEqual(r.warnings, []);
  assert.equal(r.fused!.length, 87);
  assert.equal(r.nodes.length, 66);
  const seen = [...r.nodes.map((n) => n.id), ...r.fused!.map((f) => f.id)].sort();
  assert.deepEqual(seen, ir.nodes.filter((n) => n.category !== "input").map((n) => n.id).sort());
  assert.deepEqual(fusedByLayer(r).get("features/1/conv/0/0"), [
    { id: "features/1/conv/0/1", op: "BatchNorm2d", into: "features/1/conv/0/0" },
    { id: "features/1/conv/0/2", op: "ReLU6", into: "features/1/conv/0/0" },
  ]);
  // 17 depthwise convs (groups > 1), each with its BN and ReLU6 inside.
  const depthwise = new Set(ir.nodes.filter((n) => typeof n.attrs.groups === "number" && n.attrs.groups > 1).map((n) => n.id));
  assert.equal(depthwise.size, 17);
  assert.equal(r.fused!.filter((f) => depthwise.has(f.into)).length, 34);
  for (const n of r.nodes) assert.ok(n.medianMs > 0, `${n.id} has median ${n.medianMs}`);
  assert.equal(r.weightCount, torchExpectedWeights(ir));
  assert.equal(r.weightCount, 3_504_872 + 2 * 17_056); // params + BN running mean/var
  assert.deepEqual(r.outputShapes, [[1, 1000]]);

  const unfused = await profileModel(tf, ir, { warmup: 0, runs: 1, peak: false, fuse: false });
  assert.deepEqual(unfused.fused, []);
  assert.equal(unfused.nodes.length, ir.nodes.length - 1);
  assert.equal(unfused.weightCount, r.weightCount);
  assert.equal(tf.memory().numTensors, before);
});

test("Keras DepthwiseConv2D built fused and unfused: same output and count_params(); fused nodes listed under their conv", async () => {
  const ir = kerasIr();
  for (const name of ["cpu", "wasm"] as const) {
    const { tf } = await loadBackend(name);
    const fused = planOutput(tf, ir, { fuse: true, seed: 5 });
    const unfused = planOutput(tf, ir, { fuse: false, seed: 5 });
    assert.equal(unfused.steps - fused.steps, 5);
    assert.equal(fused.weightCount, 752);
    assert.equal(unfused.weightCount, ir.paramTotals.params);
    const diff = maxAbsDiff(fused.values, unfused.values);
    assert.ok(diff < 1e-5, `${name}: fused and unfused outputs differ by ${diff}`);
  }
  const { tf } = await loadBackend("cpu");
  const r = await profileModel(tf, ir, { warmup: 0, runs: 1, peak: false });
  assert.deepEqual(r.fused, [
    { id: "batch_normalization", op: "BatchNormalization", into: "depthwise_conv2d" },
    { id: "re_lu", op: "ReLU", into: "depthwise_conv2d" },
    { id: "batch_normalization_1", op: "BatchNormalization", into: "depthwise_conv2d_1" },
    { id: "activation", op: "Activation", into: "depthwise_conv2d_1" },
    { id: "batch_normalization_3", op: "BatchNormalization", into: "depthwise_conv2d_3" },
  ]);
  assert.deepEqual(r.nodes.map((n) => n.id), ["depthwise_conv2d", "depthwise_conv2d_1", "depthwise_conv2d_2", "batch_normalization_2", "add", "depthwise_conv2d_3", "leaky_re_lu"]);
  assert.equal(r.weightCount, 752);
  assert.deepEqual(r.outputShapes, [[1, 7, 7, 16]]);
  assert.deepEqual(r.warnings, []);
});
