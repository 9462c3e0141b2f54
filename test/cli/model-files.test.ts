// The real CLI process on a saved model: the loaders come from their own bundle (dist/model-files.js).

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resnetOnnx } from "../formats/onnx-writer";

test("resgraph summary on an ONNX ResNet-18 prints the same totals as the Python source", { skip: !existsSync("dist/model-files.js") && "run npm run build first" }, () => {
  const dir = mkdtempSync(join(tmpdir(), "resgraph-cli-"));
  const file = join(dir, "resnet18.onnx");
  writeFileSync(file, resnetOnnx([2, 2, 2, 2], false));
  const r = spawnSync(process.execPath, ["bin/resgraph.js", "summary", file, "--json"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.framework, "pytorch");
  assert.equal(s.totals.params, 11689512);
  assert.equal(s.totals.macs, 1814073344);
  assert.equal(s.residualBlocks.length, 8);
});
