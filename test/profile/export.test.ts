// Pure parts of the profiler: statistics, CSV, comparison, kernel mapping, memory estimate.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareProfiles, CSV_HEADER, estimateMemory, kernelTimesByStep, toCsv, type ProfileResult } from "../../src/profile";
import { summarise } from "../../src/profile/stats";
import { builtShape } from "../../src/profile/layout";
import { irOf } from "./helpers";

function result(over: Partial<ProfileResult>): ProfileResult {
  return {
    resultVersion: 1, file: "m.py", entry: "m()", modelName: "M", backend: "wasm", device: "WebAssembly (SIMD, 1 thread)",
    tfjsVersion: "4.22.0", batch: 1, input: [[1, 3, 8, 8]], layout: "NHWC (converted from NCHW)", method: "in-pass",
    warmup: 2, runs: 10, wholeModel: { medianMs: 10, p10Ms: 9, p90Ms: 11 }, layerSumMs: 9.5, ratio: 0.95, peakGflops: 20,
    nodes: [
      { id: "conv1", op: "Conv2d", medianMs: 8, p10Ms: 7.5, p90Ms: 8.5, runs: 10, gflopsPerSec: 2.5, macs: 10_000_000, percent: 84.21 },
      { id: "relu", op: "ReLU", medianMs: 1.5, p10Ms: 1, p90Ms: 2, runs: 10, gflopsPerSec: null, macs: 0, percent: 15.79 },
    ],
    skipped: [{ id: "up", reason: 'Upsample is not supported, "yet", sorry.' }],
    blocks: [], stages: [], weightCount: 0, outputShapes: [[1, 4]], warnings: [], timestamp: "2025-01-01T00:00:00.000Z",
    ...over,
  };
}

test("summarise gives median, p10, p90 with linear interpolation", () => {
  assert.deepEqual(summarise([5, 1, 4, 2, 3]), { medianMs: 3, p10Ms: 1.4, p90Ms: 4.6, runs: 5 });
  assert.deepEqual(summarise([2, 4]), { medianMs: 3, p10Ms: 2.2, p90Ms: 3.8, runs: 2 });
});

test("CSV: header, one row per profiled node, skipped nodes with quoted reasons", () => {
  const lines = toCsv(result({})).trimEnd().split("\n");
  assert.equal(lines[0], CSV_HEADER);
  assert.equal(lines[0], "id,op,status,median_ms,p10_ms,p90_ms,runs,percent,macs,gflops_per_sec,reason");
  assert.equal(lines[1], "conv1,Conv2d,profiled,8,7.5,8.5,10,84.21,10000000,2.5,");
  assert.equal(lines[2], "relu,ReLU,profiled,1.5,1,2,10,15.79,0,,");
  assert.equal(lines[3], `up,,skipped,,,,0,,,,"Upsample is not supported, ""yet"", sorry."`);
  assert.equal(lines.length, 4);
});

test("comparison: per-node deltas keyed by id, nodes only on one side, caveats", () => {
  const base = result({});
  const next = result({
    backend: "cpu",
    device: "CPU",
    wholeModel: { medianMs: 12, p10Ms: 11, p90Ms: 13 },
    nodes: [
      { id: "conv1", op: "Conv2d", medianMs: 6, p10Ms: 6, p90Ms: 6, runs: 10, gflopsPerSec: 3.33, macs: 10_000_000, percent: 50 },
      { id: "fc", op: "Linear", medianMs: 6, p10Ms: 6, p90Ms: 6, runs: 10, gflopsPerSec: null, macs: 0, percent: 50 },
    ],
  });
  const c = compareProfiles(base, next);
  assert.deepEqual(c.nodes, [{ id: "conv1", op: "Conv2d", baseMs: 8, nextMs: 6, deltaMs: -2, deltaPercent: -25 }]);
  assert.deepEqual(c.wholeModel, { baseMs: 10, nextMs: 12, deltaMs: 2, deltaPercent: 20 });
  assert.deepEqual(c.onlyInBase, ["relu"]);
  assert.deepEqual(c.onlyInNext, ["fc"]);
  assert.deepEqual(c.caveats, ["The runs used different backends (WebAssembly (SIMD, 1 thread) vs CPU)."]);
});

test("kernel mapping drops __op wrapper records and errored timings", () => {
  const kernels = [
    { name: "fusedConv2d__op", kernelTimeMs: 5 },
    { name: "FusedConv2D", kernelTimeMs: 4 },
    { name: "Relu", kernelTimeMs: 1 },
    { name: "Add", kernelTimeMs: { error: "no timer" } },
    { name: "Reshape", kernelTimeMs: 0.5 },
  ];
  assert.deepEqual(kernelTimesByStep(kernels, [0, 2, 3, 5]), [4, 1, 0.5]);
});

test("built shapes: NCHW -> NHWC for PyTorch 4-D tensors, batch substituted (where dim 0 is the batch), unknown dims refused", () => {
  assert.deepEqual(builtShape("pytorch", [1, 64, 56, 28], 4), [4, 56, 28, 64]);
  assert.deepEqual(builtShape("pytorch", [1, 512], 2), [2, 512]);
  assert.deepEqual(builtShape("keras", [null, 56, 56, 64], 1), [1, 56, 56, 64]);
  assert.equal(builtShape("keras", [null, null, 64], 1), null);
  // Given the model input's analysed batch (2), a first dim of another size is not a batch: kept.
  assert.deepEqual(builtShape("pytorch", [16, 2, 64], 4, 2), [16, 2, 64]);
  assert.deepEqual(builtShape("pytorch", [2, 16, 64], 4, 2), [4, 16, 64]);
  assert.deepEqual(builtShape("keras", [null, 16, 64], 4, null), [4, 16, 64]);
});

test("memory estimate: weights are params + buffers, float32", () => {
  const ir = irOf("examples/torch_resnet.py", "resnet18()", [[1, 3, 224, 224]]);
  const m = estimateMemory(ir, 1);
  assert.equal(m.weightBytes, (11_689_512 + 9_620) * 4);
  // Folded copies of the 20 BN-followed conv filters (11,166,912 elements) + their folded biases (4,800 channels).
  assert.equal(m.foldedBytes, (11_171_712) * 4);
  assert.equal(estimateMemory(ir, 1, false).foldedBytes, 0);
  assert.ok(m.activationBytes > 64 * 112 * 112 * 4);
});
