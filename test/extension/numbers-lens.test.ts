import { test } from "node:test";
import assert from "node:assert/strict";
import { compactCount, compactParts, compactUnit, shapeText, thousands } from "../../extension/model/numbers";
import { candidateLensText, lensSummary, plural, statusBarText } from "../../extension/model/code-lens-text";

test("compact numbers keep three significant digits and switch prefix on rounding", () => {
  assert.deepEqual(compactParts(25_557_032), { value: "25.6", prefix: "M" });
  assert.deepEqual(compactParts(4_089_184_256), { value: "4.09", prefix: "G" });
  assert.deepEqual(compactParts(999_950), { value: "1.00", prefix: "M" });
  assert.deepEqual(compactParts(999), { value: "999", prefix: "" });
  assert.deepEqual(compactParts(1_000), { value: "1.00", prefix: "K" });
  assert.equal(compactCount(11_689_512, "params"), "11.7 M params");
  assert.equal(compactCount(512, "params"), "512 params");
  assert.equal(compactUnit(1_814_083_072, "MACs"), "1.81 GMACs");
  assert.equal(compactUnit(0, "MACs"), "0 MACs");
  assert.equal(thousands(4_329_472), "4,329,472");
  assert.equal(shapeText([null, 7, 7, 2048]), "[None, 7, 7, 2048]");
  assert.equal(shapeText(null), "unknown");
});

test("the CodeLens summary reads like the paper's table", () => {
  assert.equal(lensSummary({ params: 25_557_032, macs: 4_089_184_256, depth: 50 }), "25.6 M params · 4.09 GMACs · depth 50");
  assert.equal(lensSummary({ params: 21_797_672, macs: 3_663_761_408, depth: 34 }), "21.8 M params · 3.66 GMACs · depth 34");
  const totals = { params: 11_689_512, macs: 1_814_083_072, depth: 18 };
  assert.equal(candidateLensText("resnet18()", { entry: "resnet18()", totals, errors: 0 }), "11.7 M params · 1.81 GMACs · depth 18");
  assert.equal(candidateLensText("resnet18()", { entry: "resnet18()", totals, errors: 2 }), "11.7 M params · 1.81 GMACs · depth 18 · 2 errors");
  assert.equal(candidateLensText("resnet34()", { entry: "resnet18()", totals, errors: 0 }), "not analysed (click to analyse this one)");
  assert.equal(candidateLensText("Net()", { entry: "Net()", totals: null, errors: 1 }), "no graph: 1 error");
  assert.equal(plural(1, "error"), "1 error");
  assert.equal(plural(0, "error"), "0 errors");
});

test("the status bar shows params and MACs, or why there is no model", () => {
  assert.equal(statusBarText({ params: 25_557_032, macs: 4_089_184_256, depth: 50 }, 0), "$(type-hierarchy) 25.6 M params · 4.09 GMACs");
  assert.equal(statusBarText({ params: 25_557_032, macs: 4_089_184_256, depth: 50 }, 3), "$(type-hierarchy) 25.6 M params · 4.09 GMACs · $(error) 3");
  assert.equal(statusBarText(null, 1), "$(error) ResGraph: 1 error");
  assert.equal(statusBarText(null, 0), "$(type-hierarchy) ResGraph: no model");
});
