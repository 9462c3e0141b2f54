// The bundled zoo's TypeScript copy (src/frameworks/zoo/bundled-python.ts) matches its Python sources.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

test("src/frameworks/zoo/bundled-python.ts is generated from the current Python files (npm run build)", () => {
  const r = spawnSync(process.execPath, ["scripts/gen-zoo.mjs", "--check"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});
