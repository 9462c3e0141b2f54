import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { analyze } from "../../src/analyze";
import { loopNoun, stackStops, stackSummary, userFrames } from "../../extension/model/stack-label";
import { FILE, frame, node, site } from "./ir-samples";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "..", "..");

const lines: Record<number, string> = {
  40: "    for stage_idx, blocks in enumerate(cfg):",
  42: "        for block in range(blocks):",
  50: "    for _ in range(3):",
  51: "    while x > 0:",
};
const lineText = (_file: string, line: number) => lines[line];

test("nested loops read 'block 3 of stage 2 ← _make_layer line 180'", () => {
  const stack = [frame("call", "build", 0), frame("call", "_make_layer", 179), frame("loop", "for", 40, 1), frame("loop", "for", 42, 2), frame("call", "conv_bn", 44)];
  assert.equal(stackSummary(stack, lineText), "block 3 of stage 2 ← _make_layer line 180");
});

test("anonymous loop variables and while loops read 'iteration'; no loops: the two innermost calls", () => {
  assert.equal(loopNoun(frame("loop", "for", 50, 0), lineText), "iteration");
  assert.equal(loopNoun(frame("loop", "while", 51, 0), lineText), "iteration");
  assert.equal(loopNoun(frame("loop", "for", 99, 0), lineText), "iteration");
  assert.equal(stackSummary([frame("call", "entry", 0), frame("loop", "for", 50, 4)], lineText), "iteration 5");
  assert.equal(
    stackSummary([frame("call", "entry", 0), frame("call", "_resnet", 260), frame("call", "_make_layer", 171), frame("call", "conv1x1", 209)], lineText),
    "conv1x1 line 210 ← _make_layer line 172",
  );
  assert.equal(stackSummary([frame("call", "entry", 0)], lineText), "");
  assert.deepEqual(userFrames([frame("call", "entry", 0)]), []);
});

test("stack stops go innermost first: created, each frame, applied", () => {
  const n = node("layer1/1/conv1", {
    created: site(19, 11, 40, [frame("call", "entry", 0), frame("call", "_make_layer", 170), frame("loop", "for", 50, 0), frame("call", "conv3x3", 58)]),
    applied: site(69, 14, 27, [frame("call", "forward", 14)]),
  });
  assert.deepEqual(
    stackStops(n, lineText).map((s) => `${s.label} | ${s.detail} | ${s.range.start.line}`),
    [
      "Created: Conv2d | line 20 | 19",
      "called conv3x3() | line 59 | 58",
      "iteration 1 of the for loop | line 51 | 50",
      "called _make_layer() | line 171 | 170",
      "Applied: Conv2d | line 70 | 69",
    ],
  );
  assert.equal(stackStops(n, lineText)[0].file, FILE);
});

test("ResNet-18: a conv of the second block of layer2 names its loop iteration and _make_layer call", () => {
  const file = join(ROOT, "examples", "torch_resnet.py");
  const text = readFileSync(file, "utf8");
  const r = analyze({ file, text, entry: "resnet18()" });
  const conv = r.ir?.nodes.find((n) => n.id === "layer2/1/conv1");
  assert.ok(conv?.created);
  const source = text.split("\n");
  assert.equal(stackSummary(conv.created.stack, (_f, line) => source[line]), "iteration 1 ← _make_layer line 172");
  assert.equal(conv.created.range.start.line + 1, 20); // `return nn.Conv2d(` inside conv3x3
});
