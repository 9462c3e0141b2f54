import { test } from "node:test";
import assert from "node:assert/strict";
import { tinyResNet } from "../analysis/ir-fixtures";
import { buildViewModel } from "../../src/view/view-model";
import { collapseAll, defaultCollapse, expandAll, expandToDepth, revealNode, toggle, visibleItems, visibleOwner } from "../../src/view/collapse";
import { residualChain } from "./fixtures";

const sorted = (s: ReadonlySet<string>): string[] => [...s].sort();

test("default: small models fully expanded; large ones (> 60 nodes) stages open, blocks closed", () => {
  const small = buildViewModel(tinyResNet());
  assert.deepEqual(sorted(defaultCollapse(small).expanded), ["block:layer1/0", "block:layer2/0", "stage:conv2_x", "stage:conv3_x"]);
  const large = buildViewModel(residualChain(20)); // 103 nodes
  assert.deepEqual(sorted(defaultCollapse(large).expanded), ["stage:conv2_x"]);
  const v = visibleItems(large, defaultCollapse(large));
  assert.equal(v.boxes.filter((b) => b.kind === "collapsed-group").length, 20);
  assert.deepEqual(v.frames, ["stage:conv2_x"]);
  assert.equal(v.owner.get("blocks/3/conv2"), "block:blocks/3");
});

test("expand all, collapse all, to a depth, toggle", () => {
  const m = buildViewModel(tinyResNet());
  assert.equal(expandAll(m).expanded.size, 4);
  assert.equal(collapseAll(m).expanded.size, 0);
  assert.deepEqual(sorted(expandToDepth(m, 1).expanded), ["stage:conv2_x", "stage:conv3_x"]);
  assert.equal(expandToDepth(m, 0).expanded.size, 0);
  const s = toggle(expandToDepth(m, 1), "block:layer1/0");
  assert.deepEqual(sorted(s.expanded), ["block:layer1/0", "stage:conv2_x", "stage:conv3_x"]);
  assert.deepEqual(sorted(toggle(s, "block:layer1/0").expanded), ["stage:conv2_x", "stage:conv3_x"]);
});

test("reveal a node: opens exactly its closed ancestors", () => {
  const m = buildViewModel(tinyResNet());
  const closed = collapseAll(m);
  assert.equal(visibleOwner(m, closed, "layer2.0.downsample.0"), "stage:conv3_x");
  const open = revealNode(m, closed, "layer2.0.downsample.0");
  assert.deepEqual(sorted(open.expanded), ["block:layer2/0", "stage:conv3_x"]);
  assert.equal(visibleOwner(m, open, "layer2.0.downsample.0"), "layer2.0.downsample.0");
  assert.equal(revealNode(m, open, "layer2.0.downsample.0"), open, "nothing to open: same state");
  assert.deepEqual(sorted(revealNode(m, closed, "block:layer1/0").expanded), ["stage:conv2_x"]);
});
