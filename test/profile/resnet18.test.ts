// The profiler runs the example ResNet-18s end to end on wasm and cpu: every node profiled with a
// positive median (or fused into the conv whose row includes it), the built weights equal the
// analyzer's count exactly, the output shape equals the analyzer's, and no tensor is leaked.
// Behaviour and counts only, never timings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBackend } from "../../backends/registry";
import { fusedByLayer, profileModel } from "../../src/profile";
import { analyzerOutput, irOf, torchExpectedWeights } from "./helpers";

test("PyTorch ResNet-18 (1x3x64x64) on wasm: every node profiled, weights = params + BN running stats", async () => {
  const { tf, choice } = await loadBackend("wasm");
  assert.equal(choice.picked, "wasm");
  assert.equal(tf.getBackend(), "wasm");
  const ir = irOf("examples/torch_resnet.py", "resnet18()", [[1, 3, 64, 64]]);
  const before = tf.memory().numTensors;
  const r = await profileModel(tf, ir, { warmup: 1, runs: 2, device: choice.device });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(r.skipped, []);
  // Every node but the input has a row of its own or runs fused into a conv's: 20 BNs and the 9
  // ReLUs right after a BN (the stem's and each block's first) are folded/fused into their conv.
  assert.equal(r.fused!.length, 29);
  assert.equal(r.nodes.length, ir.nodes.length - 1 - 29);
  const rows = new Set(r.nodes.map((n) => n.id));
  for (const f of r.fused!) assert.ok(rows.has(f.into), `${f.id} is fused into ${f.into}, which has a row`);
  assert.deepEqual(fusedByLayer(r).get("conv1")?.map((f) => f.id), ["bn1", "relu"]);
  for (const n of r.nodes) assert.ok(n.medianMs > 0, `${n.id} has median ${n.medianMs}`);
  assert.equal(torchExpectedWeights(ir), 11_699_112); // 11,689,512 params + 2 x 4,800 BN channels
  assert.equal(r.weightCount, 11_699_112);
  assert.deepEqual(r.outputShapes, [analyzerOutput(ir, 1)]);
  assert.deepEqual(r.outputShapes, [[1, 1000]]);
  assert.deepEqual(r.warnings, []);
  assert.equal(r.layout, "NHWC (converted from NCHW)");
  assert.equal(r.backend, "wasm");
  assert.equal(r.tfjsVersion, "4.22.0");
  assert.equal(r.runs, 2);
  assert.ok(r.nodes.every((n) => n.runs === 2));
  assert.ok(r.peakGflops !== null && r.peakGflops > 0);
  // 8 basic blocks (3 projection), stem + 4 stages + head.
  assert.equal(r.blocks.length, 8);
  assert.equal(r.blocks.filter((b) => b.kind === "projection").length, 3);
  assert.deepEqual(r.stages.map((s) => s.name), ["conv1", "conv2_x", "conv3_x", "conv4_x", "conv5_x", "head"]);
  const conv = r.nodes.find((n) => n.id === "conv1")!;
  assert.equal(conv.macs, 9_633_792);
  assert.ok(conv.gflopsPerSec !== null && conv.gflopsPerSec > 0);
  assert.equal(r.nodes.find((n) => n.id === "maxpool")!.gflopsPerSec, null);
});

test("Keras ResNet-18 (224x224x3) on wasm: weights equal count_params() incl. BN moving statistics", async () => {
  const { tf } = await loadBackend("wasm");
  const ir = irOf("examples/keras_resnet_v1.py", "build_resnet18()");
  const r = await profileModel(tf, ir, { warmup: 1, runs: 1, peak: false });
  assert.deepEqual(r.skipped, []);
  assert.equal(r.weightCount, 11_700_328);
  assert.equal(r.weightCount, ir.paramTotals.params);
  assert.deepEqual(r.outputShapes, [analyzerOutput(ir, 1)]);
  assert.equal(r.layout, "NHWC");
  assert.equal(r.batch, 1);
  assert.deepEqual(r.input, [[1, 224, 224, 3]]);
  assert.equal(r.peakGflops, null);
});

test("PyTorch ResNet-18 (1x3x32x32, batch 2) on cpu: end to end, output [2, 1000]", async () => {
  const { tf, choice } = await loadBackend("cpu");
  assert.equal(choice.picked, "cpu");
  const ir = irOf("examples/torch_resnet.py", "resnet18()", [[1, 3, 32, 32]]);
  const r = await profileModel(tf, ir, { warmup: 1, runs: 2, batch: 2, peak: false });
  assert.equal(r.backend, "cpu");
  assert.deepEqual(r.skipped, []);
  for (const n of r.nodes) assert.ok(n.medianMs > 0, `${n.id} has median ${n.medianMs}`);
  assert.equal(r.weightCount, 11_699_112);
  assert.deepEqual(r.outputShapes, [[2, 1000]]);
  assert.deepEqual(r.input, [[2, 3, 32, 32]]);
  assert.equal(r.nodes.find((n) => n.id === "conv1")!.macs, 2 * 2_408_448);
  assert.ok(r.wholeModel.medianMs > 0 && r.layerSumMs > 0);
});
