import { test } from "node:test";
import assert from "node:assert/strict";
import type { IRNode } from "../../src/ir/types";
import { findPythonDefinition, isJsonModelFile, layerNamesOf, modelSourceTarget } from "../../extension/model/model-source";

const range = { start: { line: 41, character: 4 }, end: { line: 57, character: 5 } };

function node(over: Partial<IRNode>): IRNode {
  return {
    id: "n1", op: "Conv2D", category: "conv", name: "conv2_block1_1_conv", attrs: {}, inputs: [], shape: null, inputShapes: [],
    params: 0, trainableParams: 0, nonTrainableParams: 0, buffers: 0, macs: 0, scope: "",
    created: { file: "/w/model.json", range, stack: [] },
    ...over,
  } as IRNode;
}

test("a model.json node selects its layer entry", () => {
  assert.deepEqual(modelSourceTarget(node({}), "/w/web/model.json"), { kind: "json", range });
  assert.equal(isJsonModelFile("C:\\w\\model.json"), true);
  assert.equal(isJsonModelFile("/w/other.json"), false);
});

test("binary model files name the config path or the ONNX node index", () => {
  assert.deepEqual(modelSourceTarget(node({ attrs: { configPath: "config.layers[7]" } }), "/w/resnet.keras"), {
    kind: "message",
    text: "conv2_block1_1_conv (Conv2D) is the layer at config.layers[7] in the config of resnet.keras.",
  });
  assert.deepEqual(modelSourceTarget(node({ name: "Conv_3", op: "Conv", attrs: { onnxNodeIndex: 3 } }), "/w/r18.onnx"), {
    kind: "message",
    text: "Conv_3 (Conv) is node #3 of the graph in r18.onnx.",
  });
  assert.deepEqual(modelSourceTarget(node({ attrs: {} }), "/w/m.h5"), {
    kind: "message",
    text: "conv2_block1_1_conv (Conv2D) comes from m.h5, which has no source text to open.",
  });
});

test("layer names keep identifiers only, deduplicated", () => {
  assert.deepEqual(layerNamesOf(node({})), ["conv2_block1_1_conv", "Conv2D"]);
  assert.deepEqual(layerNamesOf(node({ name: "/layer1/0/conv1/Conv", op: "Conv" })), ["Conv"]);
  assert.deepEqual(layerNamesOf(node({ name: "Dense", op: "Dense" })), ["Dense"]);
});

test("finds a class first, then an assignment or a Keras name= argument, with 0-based lines", () => {
  const text = ["import torch", "stem = nn.Conv2d(3, 64, 7)", "class Stem(nn.Module):", "    pass", 'x = layers.Conv2D(64, 3, name="conv1")(x)', "stem == 1"].join("\n");
  assert.deepEqual(findPythonDefinition(text, ["stem", "Stem"]), { name: "Stem", line: 2 });
  assert.deepEqual(findPythonDefinition(text, ["stem"]), { name: "stem", line: 1 });
  assert.deepEqual(findPythonDefinition(text, ["conv1", "Conv2D"]), { name: "conv1", line: 4 });
  assert.equal(findPythonDefinition("if stem == 2: pass", ["stem"]), undefined);
  assert.equal(findPythonDefinition("self.stem_block = 1", ["stem"]), undefined);
  assert.deepEqual(findPythonDefinition("    self.stem: nn.Module = make()", ["stem"]), { name: "stem", line: 0 });
  assert.equal(findPythonDefinition(text, []), undefined);
});
