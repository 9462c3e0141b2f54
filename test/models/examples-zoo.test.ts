// The examples that build on the bundled model zoo (transfer learning): figures from the published
// counts by the arithmetic in each file's header.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { analyze } from "../../src/analyze";
import { summarize } from "../../src/analysis/summary";

function summary(file: string) {
  const r = analyze({ file, text: readFileSync(file, "utf8") });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info"), []);
  return summarize(r.ir!, r.diagnostics);
}

test("examples/torch_finetune_resnet50.py: a frozen torchvision ResNet-50 under a new head", () => {
  const s = summary("examples/torch_finetune_resnet50.py");
  assert.equal(s.entry, "model");
  assert.equal(s.totals.params, 24035146);
  assert.equal(s.totals.trainableParams, 527114);
  assert.equal(s.totals.macs, 4087663104);
  assert.equal(s.totals.depth, 51);
  assert.deepEqual(s.output, [[1, 10]]);
  assert.equal(s.residualBlocks.filter((b) => b.shortcut === "identity").length, 12);
  assert.equal(s.residualBlocks.filter((b) => b.shortcut === "projection").length, 4);
  // Lines are the user's: the backbone at its models.resnet50(...) call, the new head where it is built.
  const line = (id: string) => s.nodes.find((n) => n.id === id)?.line;
  assert.equal(line("layer4/2/conv3"), 15);
  assert.equal(line("fc/0"), 19);
});

test("examples/keras_transfer_learning.py: a frozen keras.applications MobileNetV2 base under a new head", () => {
  const s = summary("examples/keras_transfer_learning.py");
  assert.equal(s.entry, "build_model()");
  assert.equal(s.totals.params, 2264389);
  assert.equal(s.totals.trainableParams, 6405);
  assert.equal(s.totals.nonTrainableParams, 2257984);
  assert.equal(s.totals.macs, 299500672);
  assert.equal(s.totals.depth, 53);
  assert.deepEqual(s.output, [[null, 5]]);
  assert.equal(s.residualBlocks.length, 10);
});
