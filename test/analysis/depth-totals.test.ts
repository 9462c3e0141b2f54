import { test } from "node:test";
import assert from "node:assert/strict";
import { paperDepth } from "../../src/analysis/depth";
import { computeTotals, elementCount, nodeShare } from "../../src/analysis/totals";
import { IRBuilder, blockChain, tinyResNet } from "./ir-fixtures";

test("paper depth counts convs and dense layers on the longest path, never the projection", () => {
  assert.equal(paperDepth(tinyResNet()), 6); // conv1 + 2 + 2 + fc
  assert.equal(paperDepth(blockChain(16)), 32);
});

test("matmul and parameter-free conv-like nodes do not add depth; reused layers do", () => {
  const b = new IRBuilder("pytorch");
  b.input("x", [1, 4]);
  b.node("d", "Linear", "dense", ["x"], [1, 4], { params: 20 });
  b.node("mm", "matmul", "math", ["d", "d"], [1, 4], { macs: 16 });
  b.node("d2", "Linear", "dense", ["mm"], [1, 4], { reuseOf: "d" });
  b.node("f", "conv2d", "conv", ["d2"], [1, 4]); // functional conv with unknown weights: params 0
  assert.equal(paperDepth(b.build()), 2);
});

test("totals of the tiny ResNet: params from paramTotals, MACs summed, FLOPs doubled, activations in bytes", () => {
  const ir = tinyResNet();
  assert.deepEqual(computeTotals(ir), {
    params: 19994,
    trainableParams: 19994,
    nonTrainableParams: 0,
    buffers: 32 + 32 + 32 + 64 + 64 + 64,
    macs: 8831296,
    flops: 17662592,
    depth: 6,
    nodes: 22,
    activationBytes: 240682 * 4,
  });
});

test("params come from paramTotals even when nodes disagree (unused PyTorch modules)", () => {
  const ir = tinyResNet();
  ir.paramTotals = { params: 20000, trainableParams: 19000, nonTrainableParams: 1000, buffers: 7 };
  const t = computeTotals(ir);
  assert.deepEqual([t.params, t.trainableParams, t.nonTrainableParams, t.buffers], [20000, 19000, 1000, 7]);
});

test("element counts treat unknown dims as 1 and unknown shapes as 0; shares are percents", () => {
  assert.equal(elementCount([null, 7, 7, 2048]), 100352);
  assert.equal(elementCount(null), 0);
  const ir = tinyResNet();
  const fc = ir.nodes.find((n) => n.id === "fc")!;
  const share = nodeShare(fc, { macs: 8831296, params: 19994 });
  assert.equal(share.macsPercent, (100 * 320) / 8831296);
  assert.equal(share.paramsPercent, (100 * 330) / 19994);
  assert.deepEqual(nodeShare(fc, { macs: 0, params: 0 }), { macsPercent: 0, paramsPercent: 0 });
});
