import { test } from "node:test";
import assert from "node:assert/strict";
import { summarize } from "../../src/analysis/summary";
import type { Diagnostic } from "../../src/ir/types";
import { IRBuilder, tinyResNet } from "./ir-fixtures";

const warning: Diagnostic = {
  severity: "warning",
  message: "Dropout is ignored when counting MACs.",
  file: "model.py",
  range: { start: { line: 3, character: 0 }, end: { line: 3, character: 5 } },
  code: "unsupported",
};

test("summary has the versioned top-level shape, in this key order", () => {
  const s = summarize(tinyResNet(), [warning]);
  assert.deepEqual(Object.keys(s), [
    "summaryVersion", "file", "entry", "framework", "input", "output", "totals",
    "residualBlocks", "stages", "nodes", "diagnostics", "conventions",
  ]);
  assert.equal(s.summaryVersion, 1);
  assert.equal(s.file, "model.py");
  assert.equal(s.entry, "TinyResNet()");
  assert.equal(s.framework, "pytorch");
  assert.deepEqual(s.input, [[1, 3, 32, 32]]);
  assert.deepEqual(s.output, [[1, 10]]);
  assert.equal(s.totals.params, 19994);
  assert.equal(s.totals.macs, 8831296);
  assert.deepEqual(s.residualBlocks.map((b) => [b.id, b.shortcut, b.nodes.length, b.parent]), [
    ["layer1/0", "identity", 6, null],
    ["layer2/0", "projection", 8, null],
  ]);
  assert.deepEqual(s.stages.map((r) => r.name), ["conv1", "conv2_x", "conv3_x", "head"]);
  assert.deepEqual(s.diagnostics, [warning]);
  assert.equal(s.conventions.flops, "FLOPs = 2 x MACs");
  assert.match(s.conventions.params, /model\.parameters\(\)/);
});

test("nodes keep IR order and carry labels, shares, block and stage", () => {
  const s = summarize(tinyResNet(), []);
  assert.deepEqual(s.nodes.map((n) => n.id), tinyResNet().nodes.map((n) => n.id));
  const add = s.nodes.find((n) => n.id === "layer1.0.add")!;
  assert.deepEqual(add, {
    id: "layer1.0.add",
    name: "add",
    label: "layer1/0/add",
    op: "add",
    category: "merge",
    scope: "layer1/0",
    shape: [1, 16, 32, 32],
    inputs: ["layer1.0.bn2", "relu"],
    params: 0,
    macs: 0,
    macsPercent: 0,
    paramsPercent: 0,
    line: null,
    block: "layer1/0",
    stage: "conv2_x",
    reuseOf: null,
    opaque: null,
  });
  const conv = s.nodes.find((n) => n.id === "layer2.0.conv2")!;
  assert.equal(conv.macsPercent, 26.7152); // 2,359,296 / 8,831,296
  assert.equal(conv.paramsPercent, 46.0938); // 9,216 / 19,994
  assert.equal(s.nodes.find((n) => n.id === "fc")!.stage, "head");
});

test("summaries are deterministic and JSON round-trips unchanged", () => {
  const a = JSON.stringify(summarize(tinyResNet(), [warning]));
  const b = JSON.stringify(summarize(tinyResNet(), [warning]));
  assert.equal(a, b);
  assert.deepEqual(JSON.parse(a), summarize(tinyResNet(), [warning]));
});

test("Keras conventions and 1-based lines", () => {
  const k = new IRBuilder("keras");
  k.input("in", [null, 4]);
  k.node("d", "Dense", "dense", ["in"], [null, 2], { params: 10, line: 7 });
  const s = summarize(k.build(), []);
  assert.match(s.conventions.params, /count_params\(\)/);
  assert.equal(s.nodes[1].line, 7);
  assert.deepEqual(s.stages, []);
  assert.deepEqual(s.totals.depth, 1);
});

test("nodes of nested blocks name the innermost block; blocks name their parent", () => {
  const b = new IRBuilder("pytorch");
  b.input("x", [1, 8, 4, 4]);
  b.node("m1", "Conv2d", "conv", ["x"], [1, 8, 4, 4], { params: 576, scope: "outer/m1" });
  b.node("m2", "Conv2d", "conv", ["m1"], [1, 8, 4, 4], { params: 576, scope: "outer/inner/m2" });
  b.node("add1", "add", "merge", ["m2", "m1"], [1, 8, 4, 4], { scope: "outer/inner" });
  b.node("add2", "add", "merge", ["add1", "x"], [1, 8, 4, 4], { scope: "outer" });
  const s = summarize(b.build(), []);
  assert.deepEqual(s.nodes.map((n) => [n.id, n.block]), [
    ["x", null],
    ["m1", "outer"],
    ["m2", "outer/inner"],
    ["add1", "outer/inner"],
    ["add2", "outer"],
  ]);
  assert.deepEqual(s.residualBlocks.map((k) => [k.id, k.parent]), [
    ["outer/inner", "outer"],
    ["outer", null],
  ]);
});

test("an IR whose node order is not topological is analysed in dependency order", () => {
  const b = new IRBuilder("pytorch");
  b.input("x", [1, 4]);
  b.node("add", "add", "merge", ["d", "x"], [1, 4]);
  b.node("d", "Linear", "dense", ["x"], [1, 4], { params: 20, macs: 16 });
  const s = summarize(b.build(["add"]), []);
  assert.deepEqual(s.nodes.map((n) => n.id), ["x", "add", "d"]); // IR order kept in the output
  assert.deepEqual(s.residualBlocks.map((k) => [k.forkNode, k.nodes, k.shortcut]), [["x", ["d", "add"], "identity"]]);
  assert.equal(s.totals.depth, 1);
});
