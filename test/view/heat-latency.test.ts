// The latency heat metric: values from a profile result keyed by node id (skipped and unknown
// ids stay neutral), bucketed like the other metrics, labelled in milliseconds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatMs, heatMap, latencyValues } from "../../src/view/heat";
import { sampleResult } from "../profile/result-fixture";

test("latencyValues maps each profiled node id to its median; skipped nodes get nothing", () => {
  const values = latencyValues(sampleResult());
  assert.deepEqual([...values], [["conv1", 2], ["relu", 1]]);
  assert.equal(values.has("mystery"), false);
});

test("the latency heat map buckets medians and labels them in ms / µs", () => {
  const values = new Map([["a", 0.25], ["b", 1.5], ["c", 3], ["d", 0], ["e", 12]]);
  const heat = heatMap("latency", values, 2);
  assert.deepEqual([...heat.classOf], [["a", "heat-0"], ["b", "heat-0"], ["c", "heat-1"], ["e", "heat-1"]]);
  assert.deepEqual(heat.legend.map((b) => b.label), ["250.0 µs – 1.50 ms", "3.00 ms – 12.00 ms"]);
  assert.equal(heat.caption, "Measured latency per layer");
  assert.equal(formatMs(0.0005), "0.5 µs");
});
