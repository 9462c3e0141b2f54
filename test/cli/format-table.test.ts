import { test } from "node:test";
import assert from "node:assert/strict";
import { formatBytes, formatCount, formatInt, formatPercent, formatScaled, formatShape, formatShapes } from "../../src/cli/format";
import { fit, renderTable } from "../../src/cli/table";

test("numbers: thousands separators, decimal units, bytes, percents", () => {
  assert.equal(formatInt(25557032), "25,557,032");
  assert.equal(formatInt(0), "0");
  assert.equal(formatScaled(4089184256), "4.09 G");
  assert.equal(formatScaled(8178368512), "8.18 G");
  assert.equal(formatScaled(25557032), "25.56 M");
  assert.equal(formatScaled(6920), "6.92 K");
  assert.equal(formatScaled(999), "999");
  assert.equal(formatScaled(1.2e13), "12.00 T");
  assert.equal(formatBytes(150850000), "150.85 MB");
  assert.equal(formatBytes(2840), "2.84 KB");
  assert.equal(formatBytes(12), "12 B");
  assert.equal(formatBytes(2.5e9), "2.50 GB");
  assert.equal(formatPercent(99.8843), "99.88%");
  assert.equal(formatPercent(0), "--");
  assert.equal(formatPercent(0, true), "<0.01%");
  assert.equal(formatPercent(0.0036), "<0.01%");
  assert.equal(formatCount(0), "--");
  assert.equal(formatCount(1048576), "1,048,576");
});

test("shapes print like Python lists, None for unknown dims", () => {
  assert.equal(formatShape([null, 7, 7, 2048]), "[None, 7, 7, 2048]");
  assert.equal(formatShape(null), "?");
  assert.equal(formatShapes([[1, 3, 224, 224], [1, 10]]), "[1, 3, 224, 224]; [1, 10]");
  assert.equal(formatShapes([]), "?");
});

test("tables align columns and cut the shrinkable column to the width", () => {
  const columns = [
    { header: "Name", align: "left" as const, shrink: true, minWidth: 5 },
    { header: "N", align: "right" as const },
  ];
  const rows = [
    ["short", "1"],
    ["a-much-longer-name", "1,234"],
  ];
  assert.deepEqual(renderTable(columns, rows), [
    "Name                    N",
    "-------------------------",
    "short                   1",
    "a-much-longer-name  1,234",
  ]);
  assert.deepEqual(renderTable(columns, rows, { maxWidth: 16 }), [
    "Name           N",
    "----------------",
    "short          1",
    "a-much-l…  1,234",
  ]);
  assert.equal(fit("abcdef", 4), "abc…");
  assert.equal(fit("abc", 4), "abc");
});
