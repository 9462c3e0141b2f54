// Format detection and analyzeFile: Python source and model files behind one call.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeFile, detectFormat, isModelFileName } from "../../src/formats/index";
import { resnetOnnx } from "./onnx-writer";
import { kerasZip } from "./keras-fixtures";

test("formats are chosen by magic first, then by name", () => {
  const zip = kerasZip({});
  const hdf5 = new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(detectFormat("model.keras", zip)?.id, "keras");
  assert.equal(detectFormat("model.keras", hdf5)?.id, "h5");
  assert.equal(detectFormat("weights.bin", hdf5)?.id, "h5");
  assert.equal(detectFormat("web/model.json", new TextEncoder().encode(' {"x": 1}'))?.id, "tfjs");
  assert.equal(detectFormat("other.json", new TextEncoder().encode('{"modelTopology": {}}'))?.id, "tfjs");
  assert.equal(detectFormat("other.json", new TextEncoder().encode('{"a": 1}')), undefined);
  assert.equal(detectFormat("r.onnx", new Uint8Array([8, 7]))?.id, "onnx");
  assert.equal(isModelFileName("a/b/model.json"), true);
  assert.equal(isModelFileName("a/b/net.py"), false);
});

test("analyzeFile sends Python to the analyzer and model files to their loader", async () => {
  const py = await analyzeFile({ file: "m.py", text: "import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(4, 3))\n", entry: "model", input: [[1, 4]] });
  assert.equal(py.format, "python");
  assert.equal(py.ir!.paramTotals.params, 15);
  const onnx = await analyzeFile({ file: "r.onnx", bytes: resnetOnnx([2, 2, 2, 2], false) });
  assert.equal(onnx.format, "onnx");
  assert.deepEqual(onnx.entries, []);
  assert.equal(onnx.inputSource, "model");
  assert.equal(onnx.ir!.paramTotals.params, 11_689_512);
  const noBytes = await analyzeFile({ file: "r.onnx" });
  assert.equal(noBytes.ir, null);
  assert.equal(noBytes.diagnostics[0].message, "'r.onnx' is a model file: pass its bytes, not text.");
});
