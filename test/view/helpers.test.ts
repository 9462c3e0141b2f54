import { test } from "node:test";
import assert from "node:assert/strict";
import { formatBytes, formatChannels, formatCompact, formatInt, formatMacs, formatShape } from "../../src/view/format";
import { groupValues, heatMap, metricValues } from "../../src/view/heat";
import { searchNodes, stepMatch } from "../../src/view/search";
import { buildViewModel } from "../../src/view/view-model";
import { tinyResNet } from "../analysis/ir-fixtures";

test("number and shape formatting", () => {
  assert.equal(formatCompact(25557032), "25.6 M");
  assert.equal(formatCompact(4089184256), "4.09 G");
  assert.equal(formatCompact(1234), "1.23 K");
  assert.equal(formatCompact(999), "999");
  assert.equal(formatCompact(999999), "1.00 M");
  assert.equal(formatInt(215808), "215,808");
  assert.equal(formatInt(-1234567), "-1,234,567");
  assert.equal(formatShape([1, 64, 56, 56]), "1×64×56×56");
  assert.equal(formatShape([null, 224, 224, 3]), "?×224×224×3");
  assert.equal(formatShape(null), "?");
  assert.equal(formatMacs(3857973248), "3.86 GMACs");
  assert.equal(formatMacs(36864), "36.86 KMACs");
  assert.equal(formatBytes(3211264), "3.21 MB");
  assert.equal(formatChannels(64, 256), "64→256 ch");
  assert.equal(formatChannels(null, null), "");
});

test("heat map: quantile buckets as CSS classes, zeros left neutral, legend ranges", () => {
  const values = new Map([["a", 0], ["b", 10], ["c", 20], ["d", 30], ["e", 40], ["f", 1000], ["g", 1000]]);
  const h = heatMap("macs", values, 3);
  assert.equal(h.classOf.get("a"), undefined);
  assert.deepEqual([...h.classOf.entries()], [["b", "heat-0"], ["c", "heat-0"], ["d", "heat-1"], ["e", "heat-1"], ["f", "heat-2"], ["g", "heat-2"]]);
  assert.deepEqual(h.legend.map((b) => [b.className, b.min, b.max, b.label]), [
    ["heat-0", 10, 20, "10 – 20"],
    ["heat-1", 30, 40, "30 – 40"],
    ["heat-2", 1000, 1000, "1.00 K"],
  ]);
  assert.match(h.caption, /FLOPs = 2 × MACs/);
  // Equal values never straddle buckets: all-equal input makes one bucket.
  assert.equal(heatMap("params", new Map([["x", 5], ["y", 5], ["z", 5]]), 6).legend.length, 1);
});

test("heat metrics from the view model, summed for groups", () => {
  const m = buildViewModel(tinyResNet());
  const macs = metricValues(m, "macs");
  assert.equal(macs.get("fc"), 320);
  assert.equal(metricValues(m, "activationBytes").get("conv1"), 16 * 32 * 32 * 4);
  const groups = groupValues(m, macs);
  assert.equal(groups.get("block:layer1/0"), 2 * 16 * 16 * 9 * 32 * 32);
  assert.equal(groups.get("stage:conv2_x"), groups.get("block:layer1/0"));
});

test("search by name, op or scope; next/previous wrap", () => {
  const m = buildViewModel(tinyResNet());
  assert.deepEqual(searchNodes(m, "downsample"), ["layer2.0.downsample.0", "layer2.0.downsample.1"]);
  assert.deepEqual(searchNodes(m, "linear"), ["fc"]);
  assert.deepEqual(searchNodes(m, "layer2 conv2d"), ["layer2.0.conv1", "layer2.0.conv2", "layer2.0.downsample.0"]);
  assert.deepEqual(searchNodes(m, "  "), []);
  const hits = ["a", "b", "c"];
  assert.equal(stepMatch(hits, null, 1), 0);
  assert.equal(stepMatch(hits, "c", 1), 0);
  assert.equal(stepMatch(hits, "a", -1), 2);
  assert.equal(stepMatch([], "a", 1), -1);
});
