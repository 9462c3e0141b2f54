// How an unknown describes where it came from, as diagnostics quote it: expressions grow like
// expressions, a cause written in words is quoted whole, a skipped statement's unknown stays itself.

import { test } from "node:test";
import assert from "node:assert/strict";
import { derivedUnknown, reportedUnknown, unknown, unknownName } from "../../src/interp/values";
import { callUnknown } from "../../src/interp/unknown-calls";
import { fakeContext } from "../helpers/fake-context";

test("derived unknowns read like the expression, or keep a cause written in words whole", () => {
  assert.equal(derivedUnknown(unknown("numpy.unique"), "len(numpy.unique)").why, "len(numpy.unique)");
  assert.equal(derivedUnknown(unknown("the result of calling f"), "the result of calling the result of calling f").why, "the result of calling f");
  const words = unknown("keras.utils.image_dataset_from_directory() loads data, which static analysis does not");
  assert.equal(derivedUnknown(words, `${words.why}.map`).why, words.why);
  assert.equal(derivedUnknown(unknown("Layer weights have no values in static analysis."), "x[...]").why, "Layer weights have no values in static analysis.");
  const skipped = reportedUnknown("'v', which line 4 could not compute");
  assert.equal(derivedUnknown(skipped, "v.shape"), skipped);
});

test("only a name reached through an unmodelled module is taken for a class when called: not a description that reads like one", () => {
  const ctx = fakeContext();
  const named = callUnknown(ctx, unknownName("timm.layers.DropPath"), [], new Map());
  assert.deepEqual([named.kind === "unknown" && named.instanceOf, named.kind === "unknown" && named.why], ["timm.layers.DropPath", "the result of calling timm.layers.DropPath"]);
  const described = callUnknown(ctx, unknown("Config.Model"), [], new Map());
  assert.equal(described.kind === "unknown" && described.instanceOf, undefined);
  const fn = callUnknown(ctx, unknownName("timm.layers.trunc_normal_"), [], new Map());
  assert.equal(fn.kind === "unknown" && fn.instanceOf, undefined);
});
