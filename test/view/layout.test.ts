import { test } from "node:test";
import assert from "node:assert/strict";
import { tinyResNet, IRBuilder } from "../analysis/ir-fixtures";
import { buildViewModel } from "../../src/view/view-model";
import { createLayoutCache, layoutGraph } from "../../src/view/layout";
import { collapseAll, defaultCollapse, expandAll, toggle } from "../../src/view/collapse";
import type { GraphIR } from "../../src/ir/types";
import type { Layout } from "../../src/view/types";
import { fixedSizer, inceptionWithBridge, residualChain } from "./fixtures";

const at = (l: Layout, id: string): [number, number] => {
  const n = l.nodes.find((x) => x.id === id);
  assert.ok(n, `${id} is laid out`);
  return [n.x, n.y];
};

test("tiny 2-block ResNet, fully expanded: exact coordinates", () => {
  const m = buildViewModel(tinyResNet());
  const l = layoutGraph(m, defaultCollapse(m), fixedSizer);
  assert.equal(l.engine, "series-parallel");
  assert.deepEqual([l.width, l.height], [440, 1480]);
  // The main path: one straight vertical line at x = 124, 64 px apart (40 high + 24 gap).
  const main = ["x", "conv1", "bn1", "relu", "layer1.0.conv1", "layer1.0.add", "layer2.0.conv1", "layer2.0.bn2", "layer2.0.add", "layer2.0.relu_1", "avgpool", "fc"];
  for (const id of main) assert.equal(at(l, id)[0], 124, `${id} on the main line`);
  assert.deepEqual(at(l, "x"), [124, 40]);
  assert.deepEqual(at(l, "relu"), [124, 232]);
  assert.deepEqual(at(l, "layer1.0.conv1"), [124, 364]); // below two frame tops (12 padding + 22 header each... stage and block)
  assert.deepEqual(at(l, "layer2.0.add"), [124, 1224]);
  assert.deepEqual(at(l, "fc"), [124, 1440]);
  // Projection boxes in the side column, vertically centred beside the main branch.
  assert.deepEqual(at(l, "layer2.0.downsample.0"), [316, 1000]);
  assert.deepEqual(at(l, "layer2.0.downsample.1"), [316, 1064]);
  // Frames nest: stage around block, block around its side column.
  assert.deepEqual(l.groups, [
    { id: "stage:conv2_x", x: 20, y: 276, width: 232, height: 516, depth: 0 },
    { id: "block:layer1/0", x: 32, y: 310, width: 208, height: 470, depth: 1 },
    { id: "stage:conv3_x", x: 20, y: 816, width: 400, height: 516, depth: 0 },
    { id: "block:layer2/0", x: 32, y: 850, width: 376, height: 470, depth: 1 },
  ]);
  // The identity bypass: out of the fork's right side, down a lane right of the main column (x 228 >
  // the boxes' right edge 204), into the add's right side.
  const identity = l.edges.filter((e) => e.shortcut === "identity");
  assert.deepEqual(identity, [
    { id: "relu->layer1.0.add", source: "relu", target: "layer1.0.add", points: [[204, 232], [228, 232], [228, 684], [204, 684]], shortcut: "identity", block: "block:layer1/0" },
  ]);
  const projection = l.edges.filter((e) => e.shortcut === "projection");
  assert.deepEqual(projection.map((e) => [e.source, e.target, e.points]), [["layer2.0.downsample.1", "layer2.0.add", [[316, 1084], [316, 1224], [204, 1224]]]]);
  const straight = l.edges.find((e) => e.id === "conv1->bn1")!;
  assert.deepEqual(straight.points, [[124, 124], [124, 148]]);
});

test("collapsed blocks: one box each on the main line, and each still draws its shortcut as a bypass", () => {
  const m = buildViewModel(tinyResNet());
  const state = { expanded: new Set(["stage:conv2_x", "stage:conv3_x"]) };
  const l = layoutGraph(m, state, fixedSizer);
  const boxes = l.nodes.filter((n) => n.kind === "collapsed-group");
  assert.deepEqual(boxes.map((b) => [b.id, b.x, b.width, b.height]), [["block:layer1/0", 132, 200, 56], ["block:layer2/0", 132, 200, 56]]);
  assert.equal(at(l, "relu")[0], 132);
  const shortcuts = l.edges.filter((e) => e.shortcut);
  assert.deepEqual(shortcuts.map((e) => [e.block, e.shortcut, e.source, e.target]), [
    ["block:layer1/0", "identity", "block:layer1/0", "block:layer1/0"],
    ["block:layer2/0", "projection", "block:layer2/0", "block:layer2/0"],
  ]);
  // From the box's right edge (132 + 100), 14 px out and back.
  const [b1] = boxes;
  assert.deepEqual(shortcuts[0].points, [[232, b1.y - 14], [246, b1.y - 14], [246, b1.y + 14], [232, b1.y + 14]]);
  // Edges into a collapsed block are merged: relu -> block once, not once per member edge.
  assert.equal(l.edges.filter((e) => e.source === "relu" && e.target === "block:layer1/0").length, 1);
});

test("everything collapsed: stages are boxes, the blocks' shortcuts are hidden with them", () => {
  const m = buildViewModel(tinyResNet());
  const l = layoutGraph(m, collapseAll(m), fixedSizer);
  assert.deepEqual(l.nodes.map((n) => n.id), ["x", "conv1", "bn1", "relu", "stage:conv2_x", "stage:conv3_x", "avgpool", "fc"]);
  assert.equal(l.edges.filter((e) => e.shortcut).length, 0);
  assert.equal(l.edges.length, 7);
  assert.equal(l.groups.length, 0);
});

test("layout is deterministic", () => {
  const m = buildViewModel(tinyResNet());
  assert.deepEqual(layoutGraph(m, expandAll(m), fixedSizer), layoutGraph(buildViewModel(tinyResNet()), expandAll(m), fixedSizer));
  const big = buildViewModel(residualChain(50));
  assert.deepEqual(layoutGraph(big, defaultCollapse(big), fixedSizer), layoutGraph(big, defaultCollapse(big), fixedSizer));
});

test("a non-series-parallel region (Inception-like concat with a bridge) goes to the layered engine", () => {
  const m = buildViewModel(inceptionWithBridge());
  const l = layoutGraph(m, expandAll(m), fixedSizer);
  assert.equal(l.engine, "mixed");
  // The series parts around it still share the main line.
  assert.equal(at(l, "x")[0], at(l, "stem")[0]);
  assert.equal(at(l, "cat")[0], at(l, "fc")[0]);
  assert.equal(at(l, "stem")[0], at(l, "cat")[0]);
  // The region sits between stem and concat, and its boxes do not overlap.
  const region = ["b1", "b2", "b3"].map((id) => l.nodes.find((n) => n.id === id)!);
  for (const n of region) assert.ok(n.y > at(l, "stem")[1] && n.y < at(l, "cat")[1]);
  for (let i = 0; i < region.length; i++)
    for (let j = i + 1; j < region.length; j++) {
      const a = region[i];
      const c = region[j];
      assert.ok(Math.abs(a.x - c.x) >= 160 || Math.abs(a.y - c.y) >= 40, `${a.id} and ${c.id} overlap`);
    }
  assert.equal(l.edges.length, m.edges.length);
});

test("a graph with no series-parallel structure at all is laid out by the layered engine alone", () => {
  // Two inputs crossing into two outputs (a complete bipartite K2,2 plus a bridge).
  const b = new IRBuilder("pytorch");
  b.input("a", [1, 4]);
  b.input("b", [1, 4]);
  b.node("p", "add", "merge", ["a", "b"], [1, 4]);
  b.node("q", "mul", "math", ["a", "b", "p"], [1, 4]);
  b.node("r", "sub", "math", ["p", "b"], [1, 4]);
  const m = buildViewModel(b.build(["q", "r"]));
  const l = layoutGraph(m, expandAll(m), fixedSizer);
  assert.equal(l.engine, "layered");
  assert.equal(l.nodes.length, 5);
});

test("a plain 3-way fork and concat is series-parallel: heaviest branch on the main line, others beside it", () => {
  const b = new IRBuilder("pytorch");
  b.input("x", [1, 8, 8, 8]);
  b.node("b1", "Conv2d", "conv", ["x"], [1, 8, 8, 8], { params: 64, macs: 4096 });
  b.node("b2a", "Conv2d", "conv", ["x"], [1, 8, 8, 8], { params: 64, macs: 4096 });
  b.node("b2b", "Conv2d", "conv", ["b2a"], [1, 8, 8, 8], { params: 576, macs: 36864 });
  b.node("b3", "MaxPool2d", "pooling", ["x"], [1, 8, 8, 8]);
  b.node("cat", "cat", "merge", ["b1", "b2b", "b3"], [1, 24, 8, 8], { attrs: { mergeKind: "concat" } });
  const m = buildViewModel(b.build(["cat"]));
  const l = layoutGraph(m, expandAll(m), fixedSizer);
  assert.equal(l.engine, "series-parallel");
  const x = at(l, "x")[0];
  assert.equal(at(l, "b2a")[0], x);
  assert.equal(at(l, "b2b")[0], x);
  assert.equal(at(l, "cat")[0], x);
  assert.deepEqual([at(l, "b1")[0] - x, at(l, "b3")[0] - x], [192, 384]);
});

test("5,000-layer residual network (2,500 identity blocks) lays out fully expanded fast", () => {
  const m = buildViewModel(residualChain(2500));
  const state = expandAll(m);
  layoutGraph(m, state, fixedSizer); // warm-up (JIT)
  const t0 = performance.now();
  const l = layoutGraph(m, state, fixedSizer);
  const ms = performance.now() - t0;
  assert.equal(l.engine, "series-parallel");
  assert.equal(l.nodes.length, 12503);
  assert.equal(l.edges.filter((e) => e.shortcut === "identity").length, 2500);
  const spine = at(l, "stem")[0];
  assert.ok(l.nodes.every((n) => n.x === spine), "every node on the one main line");
  // A guard against quadratic behaviour, not a benchmark (generous for loaded CI machines).
  assert.ok(ms < 2000, `layout took ${ms.toFixed(0)} ms`);
});

test("20,000-layer network opens collapsed (blocks as boxes) fast", () => {
  const m = buildViewModel(residualChain(10000));
  const state = defaultCollapse(m);
  const t0 = performance.now();
  const l = layoutGraph(m, state, fixedSizer);
  const ms = performance.now() - t0;
  assert.equal(l.nodes.filter((n) => n.kind === "collapsed-group").length, 10000);
  assert.equal(l.edges.filter((e) => e.shortcut === "identity").length, 10000);
  assert.ok(ms < 2000, `layout took ${ms.toFixed(0)} ms`);
});

test("the layout cache re-lays only the opened group and its ancestors", () => {
  const m = buildViewModel(residualChain(200));
  const cache = createLayoutCache();
  const state = defaultCollapse(m);
  const before = layoutGraph(m, state, fixedSizer, { cache });
  assert.deepEqual([cache.hits, cache.misses], [0, 2]); // the stage and the root
  const opened = toggle(state, "block:blocks/7");
  const after = layoutGraph(m, opened, fixedSizer, { cache });
  assert.deepEqual([cache.hits, cache.misses], [0, 3]); // the new block, its stage, the root
  assert.deepEqual(after, layoutGraph(m, opened, fixedSizer), "cached and fresh layouts agree");
  const again = layoutGraph(m, state, fixedSizer, { cache });
  assert.deepEqual(again, before);
  assert.ok(after.height > before.height);
});
