import { test } from "node:test";
import assert from "node:assert/strict";
import type { Diagnostic } from "../../src/ir/types";
import {
  formatNoModelText,
  formatShapeLike,
  formatShapes,
  formatSummaryText,
  scaled,
  withThousands,
  type SummaryLike,
} from "../../extension/summary-text";

const resnet50: SummaryLike = {
  file: "examples/torch_resnet.py",
  entry: "resnet50()",
  framework: "pytorch",
  input: [[1, 3, 224, 224]],
  output: [[1, 1000]],
  totals: {
    params: 25_557_032,
    trainableParams: 25_557_032,
    nonTrainableParams: 0,
    macs: 4_089_184_256,
    flops: 8_178_368_512,
    depth: 50,
    nodes: 175,
  },
  residualBlocks: [
    ...Array.from({ length: 4 }, () => ({ shortcut: "projection" })),
    ...Array.from({ length: 12 }, () => ({ shortcut: "identity" })),
  ],
};

const mismatch: Diagnostic = {
  severity: "error",
  message: "Conv2d expects 64 input channels, got 128.",
  file: "net.py",
  range: { start: { line: 40, character: 4 }, end: { line: 40, character: 20 } },
  code: "shape-mismatch",
};

test("number helpers format like the CLI's totals", () => {
  assert.equal(withThousands(25_557_032), "25,557,032");
  assert.equal(withThousands(0), "0");
  assert.equal(scaled(4_089_184_256), "4.09 G");
  assert.equal(scaled(3_504_872), "3.50 M");
  assert.equal(scaled(1_500), "1.50 K");
  assert.equal(scaled(999), "999");
  assert.equal(formatShapeLike([null, 224, 224, 3]), "[None, 224, 224, 3]");
  assert.equal(formatShapeLike([[1, 3], [1, 5]]), "[[1, 3], [1, 5]]");
  assert.equal(formatShapeLike(undefined), "None");
  assert.equal(formatShapes([[null, 10]]), "[None, 10]");
  assert.equal(formatShapes([[1, 3], [1, 5]]), "[[1, 3], [1, 5]]");
  assert.equal(formatShapes([null]), "None");
});

test("formatSummaryText prints totals, blocks and diagnostics (1-based lines)", () => {
  assert.deepEqual(formatSummaryText(resnet50, [mismatch]), [
    "Model: resnet50() in examples/torch_resnet.py (pytorch)",
    "Input: [1, 3, 224, 224] -> Output: [1, 1000]",
    "Total params: 25,557,032 (trainable 25,557,032, non-trainable 0)",
    "MACs: 4.09 G (4,089,184,256)",
    "FLOPs: 8.18 G (FLOPs = 2 x MACs)",
    "Depth: 50 weighted layers on the main path",
    "Nodes: 175",
    "Residual blocks: 16 (12 identity, 4 projection)",
    "Diagnostics: 1",
    "  error (line 41, shape-mismatch): Conv2d expects 64 input channels, got 128.",
  ]);
  assert.equal(formatSummaryText(resnet50, []).at(-1), "Diagnostics: none");
});

test("formatNoModelText lists candidate entries or says what to define", () => {
  assert.deepEqual(formatNoModelText("m.py", [], [{ expr: "resnet18()" }, { expr: "resnet34()" }]), [
    "No model could be analysed in m.py.",
    "Candidate entries: resnet18(), resnet34().",
  ]);
  assert.deepEqual(formatNoModelText("m.py", [mismatch], []), [
    "No model could be analysed in m.py.",
    "No model class or factory function was found; define one (e.g. `def resnet50(): ...`).",
    "  error (line 41, shape-mismatch): Conv2d expects 64 input channels, got 128.",
  ]);
});
