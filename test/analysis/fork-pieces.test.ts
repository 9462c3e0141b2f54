import { test } from "node:test";
import assert from "node:assert/strict";
import { pieceOf } from "../../src/analysis/fork-pieces";
import { findResidualBlocks } from "../../src/analysis/residual";
import type { JsonValue } from "../../src/ir/types";
import { IRBuilder } from "./ir-fixtures";

const all: JsonValue = { kind: "slice", start: null, stop: null, step: null };
const slice = (start: number | null, stop: number | null, step: number | null = null): JsonValue => ({ kind: "slice", start, stop, step });

test("a piece is named by what it selects, however it was written; whole-tensor reads have none", () => {
  const b = new IRBuilder("pytorch");
  const x = b.input("x", [1, 8, 4, 4]);
  b.node("split1", "split", "reshape", [x], [1, 4, 4, 4], { attrs: { dim: 1, index: 1, start: 4 } });
  b.node("chunk1", "chunk", "reshape", [x], [1, 4, 4, 4], { attrs: { dim: 1, index: 1, start: 4 } });
  b.node("tail", "getitem", "reshape", [x], [1, 4, 4, 4], { attrs: { index: [all, slice(4, null)] } });
  b.node("tailNeg", "getitem", "reshape", [x], [1, 4, 4, 4], { attrs: { index: [{ kind: "ellipsis" }, slice(-4, null), all, all] } });
  b.node("head", "getitem", "reshape", [x], [1, 4, 4, 4], { attrs: { index: [all, slice(0, 4)] } });
  b.node("whole", "getitem", "reshape", [x], [1, 8, 4, 4], { attrs: { index: [all] } });
  b.node("conv", "Conv2d", "conv", [x], [1, 8, 4, 4], { params: 72 });
  b.node("kerasItem", "get_item", "reshape", [x], [1, 4, 4, 4]);
  const ir = b.build();
  const key = (id: string) => pieceOf(ir.nodes.find((n) => n.id === id)!, ir.nodes[0]);
  assert.equal(key("split1"), ":,4:8:1");
  assert.deepEqual(["chunk1", "tail", "tailNeg"].map(key), [":,4:8:1", ":,4:8:1", ":,4:8:1"]);
  assert.equal(key("head"), ":,0:4:1");
  assert.equal(key("whole"), null);
  assert.equal(key("conv"), null);
  assert.equal(key("kerasItem"), "?", "a Keras get_item records no index: it could be any piece");
});

/** x -> conv -> two pieces; the first through a conv, added to `second` (made by `addSecond`). */
function siblingAdd(addSecond: (b: IRBuilder) => string, framework: "pytorch" | "keras" = "pytorch") {
  const b = new IRBuilder(framework);
  b.input("x", [1, 8, 4, 4]);
  b.node("c", "Conv2d", "conv", ["x"], [1, 8, 4, 4], { params: 72 });
  b.node("p0", "split", "reshape", ["c"], [1, 4, 4, 4], { attrs: { dim: 1, index: 0, start: 0 } });
  b.node("f", "Conv2d", "conv", ["p0"], [1, 4, 4, 4], { params: 148 });
  const second = addSecond(b);
  b.node("add", "add", "merge", ["f", second], [1, 4, 4, 4]);
  return findResidualBlocks(b.build());
}

test("conv(piece 0) + piece 1 of one tensor joins siblings: no branch carries the fork, no block", () => {
  const blocks = siblingAdd((b) => b.node("p1", "split", "reshape", ["c"], [1, 4, 4, 4], { attrs: { dim: 1, index: 1, start: 4 } }));
  assert.deepEqual(blocks, []);
});

test("conv(piece 0) + the same piece sliced again (x[:, :4]) is a block: the shortcut carries F's input", () => {
  const same = siblingAdd((b) => b.node("g", "getitem", "reshape", ["c"], [1, 4, 4, 4], { attrs: { index: [all, slice(null, 4)] } }));
  assert.deepEqual(same.map((k) => [k.forkNode, k.shortcut, k.shortcutPath]), [["c", "identity", ["g"]]]);
});

test("a Keras get_item, whose piece is unknown, is kept as a shortcut rather than guessed away", () => {
  const blocks = siblingAdd((b) => b.node("g", "get_item", "reshape", ["c"], [1, 4, 4, 4]), "keras");
  assert.equal(blocks.length, 1);
});

test("the add input that feeds the other branch is the fork even when a second tensor joins that branch", () => {
  const b = new IRBuilder("pytorch");
  b.input("x", [1, 8, 4, 4]);
  b.node("resid", "Conv2d", "conv", ["x"], [1, 4, 4, 4], { params: 36 });
  b.node("dense", "Conv2d", "conv", ["x"], [1, 4, 4, 4], { params: 36 });
  b.node("cat", "cat", "merge", ["resid", "dense"], [1, 8, 4, 4], { attrs: { mergeKind: "concat" }, scope: "blk" });
  b.node("f", "Conv2d", "conv", ["cat"], [1, 4, 4, 4], { params: 36, scope: "blk/f" });
  b.node("add", "add", "merge", ["resid", "f"], [1, 4, 4, 4], { scope: "blk" });
  const blocks = findResidualBlocks(b.build());
  assert.deepEqual(
    blocks.map((k) => [k.id, k.forkNode, k.shortcut, k.nodes, k.params]),
    [["blk", "resid", "identity", ["cat", "f", "add"], 36]],
  );
});
