// A small, valid profile result (two layers, one skipped, one block) for tests that need one
// without running a backend.
import { PROFILE_RESULT_VERSION, type ProfileResult } from "../../src/profile/result";

export function sampleResult(overrides: Partial<ProfileResult> = {}): ProfileResult {
  return {
    resultVersion: PROFILE_RESULT_VERSION,
    file: "examples/torch_resnet.py",
    entry: "resnet18()",
    modelName: "ResNet",
    backend: "webgl",
    device: "WebGL 2 on ANGLE (SwiftShader) (GPU timer queries)",
    tfjsVersion: "4.22.0",
    batch: 1,
    input: [[1, 3, 32, 32]],
    layout: "NHWC (converted from NCHW)",
    method: "kernel-profile",
    warmup: 1,
    runs: 2,
    wholeModel: { medianMs: 4, p10Ms: 3.5, p90Ms: 4.5 },
    layerSumMs: 3,
    ratio: 0.75,
    peakGflops: null,
    nodes: [
      { id: "conv1", op: "Conv2d", medianMs: 2, p10Ms: 1.9, p90Ms: 2.1, runs: 2, gflopsPerSec: 2.41, macs: 2_408_448, percent: 66.67 },
      { id: "relu", op: "ReLU", medianMs: 1, p10Ms: 0.9, p90Ms: 1.1, runs: 2, gflopsPerSec: null, macs: 0, percent: 33.33 },
    ],
    skipped: [{ id: "mystery", reason: "The op 'mystery' has no TensorFlow.js lowering." }],
    blocks: [{ id: "b0", name: "layer1/0", kind: "identity", medianMs: 3, percent: 100, macs: 2_408_448, gflopsPerSec: 1.61, profiledNodes: 2, skippedNodes: 0 }],
    stages: [],
    weightCount: 9_536,
    outputShapes: [[1, 1000]],
    warnings: [],
    timestamp: "2025-01-01T00:00:00.000Z",
    ...overrides,
  };
}
