// ONNX files written from code (torchvision ResNet-18/50 as torch.onnx.export writes them with
// BatchNorm kept) give exactly the params and MACs of examples/torch_resnet.py analysed from source.

import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeModel, resnetOnnx } from "./onnx-writer";
import { fromSource, totals } from "./helpers";
import { onnxFormat, scopeFromName } from "../../src/formats/onnx";
import { analyzeGraph } from "../../src/analysis/summary";

const TORCH = "examples/torch_resnet.py";

test("ONNX ResNet-18 equals resnet18() from source: params and MACs exact, BN stats as buffers", async () => {
  const r = await onnxFormat.open("resnet18.onnx", resnetOnnx([2, 2, 2, 2], false, { payload: true }));
  assert.deepEqual(r.diagnostics, []);
  const src = totals(fromSource(TORCH, "resnet18()", [[1, 3, 224, 224]]));
  const got = totals(r.ir);
  assert.equal(got.params, 11_689_512);
  assert.equal(got.macs, 1_814_073_344);
  assert.equal(got.params, src.params);
  assert.equal(got.macs, src.macs);
  // PyTorch's 20 BatchNorms each also own a one-element num_batches_tracked buffer ONNX does not carry.
  assert.equal(got.buffers, 9_600);
  assert.equal(src.buffers - got.buffers, 20);
  assert.equal(r.ir!.framework, "pytorch");
  const summary = analyzeGraph(r.ir!);
  assert.equal(summary.blocks.length, 8);
  assert.equal(summary.blocks.filter((b) => b.shortcut === "projection").length, 3);
});

test("ONNX ResNet-50 equals resnet50() from source", async () => {
  const r = await onnxFormat.open("resnet50.onnx", resnetOnnx([3, 4, 6, 3], true));
  const src = totals(fromSource(TORCH, "resnet50()", [[1, 3, 224, 224]]));
  assert.deepEqual([totals(r.ir).params, totals(r.ir).macs], [25_557_032, 4_089_184_256]);
  assert.deepEqual([src.params, src.macs], [25_557_032, 4_089_184_256]);
  const fc = r.ir!.nodes.find((n) => n.op === "Gemm")!;
  assert.deepEqual(fc.shape, [1, 1000]);
  assert.equal(fc.macs, 2048 * 1000);
  assert.equal(fc.scope, "fc");
});

test("ONNX nodes carry their index, module scope and inferred shapes", async () => {
  const r = await onnxFormat.open("m.onnx", resnetOnnx([2, 2, 2, 2], false));
  const conv = r.ir!.nodes.find((n) => n.id === "/layer2/layer2.0/downsample/downsample.0/Conv")!;
  assert.equal(conv.scope, "layer2/0/downsample/0");
  assert.deepEqual(conv.shape, [1, 128, 28, 28]);
  assert.equal(conv.params, 64 * 128);
  assert.equal(typeof conv.attrs.onnxNodeIndex, "number");
  assert.equal(conv.created!.range.start.line, 0);
  assert.equal(scopeFromName("/layer1/layer1.0/conv1/Conv"), "layer1/0/conv1");
});

test("an op we do not model takes its shape from value_info and is opaque", async () => {
  const bytes = encodeModel({
    graph: {
      name: "g",
      node: [{ opType: "Custom", name: "c", input: ["x"], output: ["y"] }, { opType: "Relu", name: "r", input: ["y"], output: ["z"] }],
      input: [{ name: "x", type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: "N" }, { dimValue: 8 }] } } } }],
      output: [{ name: "z" }],
      valueInfo: [{ name: "y", type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: "N" }, { dimValue: 4 }] } } } }],
    },
  });
  const r = await onnxFormat.open("c.onnx", bytes);
  assert.deepEqual(r.diagnostics, []);
  const [input, custom, relu] = r.ir!.nodes;
  assert.deepEqual(input.shape, [null, 8]);
  assert.equal(custom.category, "opaque");
  assert.deepEqual(custom.shape, [null, 4]);
  assert.deepEqual(relu.shape, [null, 4]);
});

test("Reshape reads its int64 target from an initializer; Conv channel mismatches are errors", async () => {
  const shape = new Uint8Array(16);
  new DataView(shape.buffer).setBigInt64(0, 1n, true);
  new DataView(shape.buffer).setBigInt64(8, -1n, true);
  const bytes = encodeModel({
    graph: {
      node: [
        { opType: "Conv", name: "conv", input: ["x", "w"], output: ["c"], attribute: [{ name: "kernel_shape", type: 7, ints: [3, 3] }] },
        { opType: "Reshape", name: "flat", input: ["c", "s"], output: ["y"] },
      ],
      initializer: [{ name: "w", dims: [4, 2, 3, 3], dataType: 1 }, { name: "s", dims: [2], dataType: 7, rawData: shape }],
      input: [{ name: "x", type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }, { dimValue: 3 }, { dimValue: 8 }, { dimValue: 8 }] } } } }],
      output: [{ name: "y" }],
    },
  });
  const r = await onnxFormat.open("r.onnx", bytes);
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].message, "Node 0 ('conv') (Conv): Conv expects 2 input channels (weight [4, 2, 3, 3], group 1), got 3.");
  assert.equal(r.ir!.paramTotals.params, 72);
});
