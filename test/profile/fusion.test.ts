// Conv + BatchNorm (+ activation) fusion: which nodes are grouped, that folding BN into the conv
// computes the same function, and that a profile reports the BN and activation as fused into their
// conv (no time of their own) while the weight count, output shape and layer sum still cover them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBackend } from "../../backends/registry";
import { foldBatchNorm, fusedByLayer, parseResult, planFusion, profileModel, serializeResult, toCsv, type TfTensor } from "../../src/profile";
import { irOf, maxAbsDiff, planOutput } from "./helpers";

const FUSE = `
import torch
import torch.nn as nn

class Fuse(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(8)
        self.conv3 = nn.Conv2d(8, 8, 1)
        self.bn3 = nn.BatchNorm2d(8)
        self.conv4 = nn.Conv2d(8, 8, 3, padding=1, groups=2, bias=False)
        self.bn4 = nn.BatchNorm2d(8)
        self.conv5 = nn.Conv2d(8, 8, 1, bias=False)
        self.bn5 = nn.BatchNorm2d(8)
        self.conv6 = nn.Conv2d(8, 4, 3, stride=2, padding=1, bias=False)
        self.bn6 = nn.BatchNorm2d(4)
        self.act = nn.LeakyReLU(0.1)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(x)) + x
        z = self.conv3(y)
        z = self.bn3(z) + z
        w = torch.sigmoid(self.bn4(self.conv4(z)))
        v = self.act(self.bn5(self.conv5(w)))
        return torch.sigmoid(self.bn6(self.conv6(v)))
`;

const fuseIr = () => irOf("fuse.py", "Fuse()", [[1, 3, 16, 16]], FUSE);

test("planFusion groups a plain conv with its sole-consumer BN and a fusable activation after it", () => {
  assert.deepEqual(
    [...planFusion(fuseIr()).values()],
    [
      { kind: "conv2d", conv: "conv1", batchNorm: "bn1", activation: "relu", activationKind: "relu" },
      // The add after bn2 stays a layer of its own.
      { kind: "conv2d", conv: "conv2", batchNorm: "bn2" },
      // conv3's output also feeds the add: BN cannot be folded into it. conv4 is grouped (2 groups
      // of 4 channels), neither regular nor depthwise.
      // LeakyReLU has a slope the fused kernel is not given, so it stays separate.
      { kind: "conv2d", conv: "conv5", batchNorm: "bn5" },
      // The model's output may be the fused activation's.
      { kind: "conv2d", conv: "conv6", batchNorm: "bn6", activation: "sigmoid_1", activationKind: "sigmoid" },
    ],
  );
});

test("planFusion on the example ResNet-18s: every BN, and the ReLU after it where there is one", () => {
  const torch = planFusion(irOf("examples/torch_resnet.py", "resnet18()", [[1, 3, 64, 64]]));
  assert.equal(torch.size, 20);
  assert.equal([...torch.values()].filter((g) => g.activation !== undefined).length, 9);
  assert.deepEqual(torch.get("layer2/0/downsample/0"), { kind: "conv2d", conv: "layer2/0/downsample/0", batchNorm: "layer2/0/downsample/1" });
  // The Keras example's projection shortcuts are bare 1x1 convs: 17 BNs in all.
  const keras = planFusion(irOf("examples/keras_resnet_v1.py", "build_resnet18()"));
  assert.equal(keras.size, 17);
  assert.deepEqual(keras.get("conv2d"), { kind: "conv2d", conv: "conv2d", batchNorm: "batch_normalization", activation: "activation", activationKind: "relu" });
});

test("foldBatchNorm: one fused conv computes relu(batchNorm(conv(x) + bias)) to float precision", async () => {
  const { tf } = await loadBackend("cpu");
  const before = tf.memory().numTensors;
  const owned: TfTensor[] = [];
  const t = (x: TfTensor) => (owned.push(x), x);
  const x = t(tf.randomUniform([2, 9, 9, 5], -1, 1));
  const filter = t(tf.randomUniform([3, 3, 5, 6], -0.5, 0.5));
  const bias = t(tf.randomUniform([6], -0.5, 0.5));
  const bn = {
    mean: t(tf.randomUniform([6], -0.5, 0.5)),
    variance: t(tf.randomUniform([6], 0.5, 1.5)),
    scale: t(tf.randomUniform([6], 0.5, 1.5)),
    offset: t(tf.randomUniform([6], -0.5, 0.5)),
    epsilon: 1e-5,
  };
  const conv = t(tf.conv2d(x, filter, [2, 2], [[0, 0], [1, 1], [1, 1], [0, 0]]));
  const biased = t(tf.add(conv, bias));
  const normed = t(tf.batchNorm(biased, bn.mean, bn.variance, bn.offset, bn.scale, bn.epsilon));
  const reference = t(tf.relu(normed));
  for (const [b, scale, offset] of [[bias, bn.scale, bn.offset], [undefined, undefined, undefined]] as const) {
    const derived: TfTensor[] = [];
    const folded = foldBatchNorm({ tf, derived: (d) => (derived.push(d), d) }, filter, b, { ...bn, scale, offset });
    assert.deepEqual(folded.filter.shape, [3, 3, 5, 6]);
    assert.deepEqual(folded.bias.shape, [6]);
    assert.equal(derived.length, 2, "both folded tensors are handed to the plan");
    const fused = tf.fused!.conv2d({ x, filter: folded.filter, strides: [2, 2], pad: [[0, 0], [1, 1], [1, 1], [0, 0]], bias: folded.bias, activation: "relu" });
    if (b) assert.ok(maxAbsDiff(fused, reference) < 1e-5, `fused differs from conv + bias + BN + relu by ${maxAbsDiff(fused, reference)}`);
    else {
      // Without a conv bias and BN scale/offset: relu((conv(x) - mean) / sqrt(var + eps)).
      const plain = t(tf.relu(t(tf.batchNorm(conv, bn.mean, bn.variance, undefined, undefined, bn.epsilon))));
      assert.ok(maxAbsDiff(fused, plain) < 1e-5, `fused differs from conv + BN + relu by ${maxAbsDiff(fused, plain)}`);
    }
    for (const d of [fused, ...derived]) d.dispose();
  }
  for (const o of owned) o.dispose();
  assert.equal(tf.memory().numTensors, before, "foldBatchNorm frees its intermediates");
});

test("fused and unfused builds with the same weights compute the same model output", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = fuseIr();
  const before = tf.memory().numTensors;
  const fused = planOutput(tf, ir, { fuse: true, seed: 1 });
  const unfused = planOutput(tf, ir, { fuse: false, seed: 1 });
  // 6 fused nodes: bn1, relu, bn2, bn5, bn6, sigmoid_1.
  assert.equal(unfused.steps - fused.steps, 6);
  assert.equal(fused.weightCount, unfused.weightCount);
  assert.ok(maxAbsDiff(fused.values, unfused.values) < 1e-5, `outputs differ by ${maxAbsDiff(fused.values, unfused.values)}`);
  // The seed is what makes the weights equal: another one gives another output.
  assert.ok(maxAbsDiff(planOutput(tf, ir, { fuse: false, seed: 2 }).values, unfused.values) > 1e-3);
  assert.equal(tf.memory().numTensors, before);
});

/** Each non-input IR node is exactly one of: a profiled row, fused into a row, skipped. */
function assertPartition(ir: ReturnType<typeof fuseIr>, r: Awaited<ReturnType<typeof profileModel>>): void {
  const seen = [...r.nodes.map((n) => n.id), ...(r.fused ?? []).map((f) => f.id), ...r.skipped.map((s) => s.id)].sort();
  assert.deepEqual(seen, ir.nodes.filter((n) => n.category !== "input").map((n) => n.id).sort());
}

test("a profile reports BN and activations as fused into their conv, and the conv row covers them", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = fuseIr();
  const before = tf.memory().numTensors;
  const r = await profileModel(tf, ir, { warmup: 1, runs: 2, peak: false });
  assert.equal(tf.memory().numTensors, before, "folded filters are freed with the plan");
  assert.deepEqual(r.fused, [
    { id: "bn1", op: "BatchNorm2d", into: "conv1" },
    { id: "relu", op: "relu", into: "conv1" },
    { id: "bn2", op: "BatchNorm2d", into: "conv2" },
    { id: "bn5", op: "BatchNorm2d", into: "conv5" },
    { id: "bn6", op: "BatchNorm2d", into: "conv6" },
    { id: "sigmoid_1", op: "sigmoid", into: "conv6" },
  ]);
  // Each row's own list is derived from the one record, `fused`.
  const byLayer = fusedByLayer(r);
  assert.deepEqual(
    r.nodes.map((n) => [n.id, (byLayer.get(n.id) ?? []).map((f) => f.id)]),
    [["conv1", ["bn1", "relu"]], ["conv2", ["bn2"]], ["add", []], ["conv3", []], ["bn3", []], ["add_1", []], ["conv4", []], ["bn4", []], ["sigmoid", []], ["conv5", ["bn5"]], ["act", []], ["conv6", ["bn6", "sigmoid_1"]]],
  );
  assertPartition(ir, r);
  assert.deepEqual(r.skipped, []);
  for (const n of r.nodes) assert.ok(n.medianMs > 0, `${n.id} has median ${n.medianMs}`);
  // The sum still covers the fused nodes: it is the sum of the rows, and their time is in their conv's row.
  assert.equal(r.layerSumMs, Math.round(r.nodes.reduce((p, n) => p + n.medianMs, 0) * 1e4) / 1e4);
  // Weights: conv1 216, conv2 584, conv3 72, conv4 288, conv5 64, conv6 288 = 1,512 params of convs;
  // BN weight+bias 2 x 44 = 88 more params; running mean/var 2 x 44 = 88, built as tfjs weights.
  assert.equal(r.weightCount, 1_600 + 88);
  assert.equal(r.weightCount, ir.paramTotals.params + 88);
  assert.deepEqual(r.outputShapes, [[1, 8, 8, 4]]);
  assert.deepEqual(r.warnings, []);

  const unfused = await profileModel(tf, ir, { warmup: 1, runs: 1, peak: false, fuse: false });
  assert.deepEqual(unfused.fused, []);
  assert.equal(unfused.nodes.length, ir.nodes.length - 1, "without fusion every node has its own row");
  assert.equal(unfused.weightCount, r.weightCount);
  assert.deepEqual(unfused.outputShapes, r.outputShapes);
  assert.equal(tf.memory().numTensors, before);

  // CSV lists the fused nodes with the row that includes them; the result survives a save and load.
  const csv = toCsv(r).trimEnd().split("\n");
  assert.equal(csv.find((l) => l.startsWith("bn1,")), `bn1,BatchNorm2d,fused,,,,0,,,,"Runs inside the kernel of 'conv1', whose time includes it."`);
  const parsed = parseResult(serializeResult(r));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.result.fused, r.fused);
});

test("ResNet-18 blocks count their fused members as profiled", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = irOf("examples/torch_resnet.py", "resnet18()", [[1, 3, 32, 32]]);
  const r = await profileModel(tf, ir, { warmup: 0, runs: 1, peak: false });
  const first = r.blocks[0];
  // layer1/0 is conv1, bn1, relu, conv2, bn2, add: three rows (conv1 with bn1 and relu, conv2 with bn2, add).
  assert.equal(first.name, "layer1/0");
  assert.equal(first.profiledNodes, 6);
  assert.equal(first.skippedNodes, 0);
  const rows = ["layer1/0/conv1", "layer1/0/conv2", "layer1/0/add"].map((id) => r.nodes.find((n) => n.id === id)!.medianMs);
  assert.equal(first.medianMs, Math.round(rows.reduce((p, x) => p + x, 0) * 1e4) / 1e4);
});
