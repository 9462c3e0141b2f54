// The real CLI process on a model inside a package written in modern torchvision's style
// (test/fixtures/tvstyle): `from ..ops.misc import ...` out of the model's folder, a registry keyed by
// `fn.__name__` behind functools.wraps shims, inspect.signature, isinstance with typing.Sequence.
// Run from the repository root with a relative path, and from the model's own folder with a bare name.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

const bin = resolve("bin/resgraph.js");
const skip = !existsSync("dist/cli.js") && "run npm run build first";

function summary(cwd: string, file: string, entry: string) {
  const r = spawnSync(process.execPath, [bin, "summary", file, "--entry", entry, "--input", "1,3,32,32", "--json"], { cwd, encoding: "utf8", env: { ...process.env, RESGRAPH_NO_CACHE: "1" } });
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  const problems = s.diagnostics.filter((d: { severity: string }) => d.severity !== "info");
  assert.deepEqual(problems, [], "no warnings or errors");
  return s;
}

// stem conv 3->8 (3x3, no bias) + BN = 216 + 16; block 8->16 stride 2 = 1,152 + 32; block 16->16 = 2,304 + 32;
// Linear(16, 10) = 170. MACs at 32x32: 216*16*16 + 1,152*8*8 + 2,304*8*8 + 160.
test("a model importing from its parent package, from the repository root", { skip }, () => {
  const s = summary(process.cwd(), "test/fixtures/tvstyle/models/tinynet.py", "tinynet()");
  assert.equal(s.totals.params, 3922);
  assert.equal(s.totals.macs, 276640);
  assert.deepEqual(s.residualBlocks.map((b: { shortcut: string }) => b.shortcut), ["identity"]);
});

// 432 + 32, 4,608 + 64, 9,216 + 64, Linear(32, 5) = 165; MACs 432*256 + 4,608*64 + 9,216*64 + 160.
test("the same package from the model's own folder, with a bare file name and a second registered builder", { skip }, () => {
  const s = summary(join("test", "fixtures", "tvstyle", "models"), "tinynet.py", "tinynet_wide(num_classes=5)");
  assert.equal(s.totals.params, 14581);
  assert.equal(s.totals.macs, 995488);
});
