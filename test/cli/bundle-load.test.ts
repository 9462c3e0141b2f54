// How bin/resgraph.js loads the CLI bundle: bin/code-cache.js reads an ASCII bundle as latin1 (no
// UTF-8 decoding on every cold start) and must still load a bundle with other characters correctly.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const codeCache = resolve("bin/code-cache.js");

/** Loads `file` in a fresh process, as bin/resgraph.js does, and returns its exports. */
function loadInChild(file: string): unknown {
  const script = `process.stdout.write(JSON.stringify(require(${JSON.stringify(codeCache)}).requireWithCodeCache(${JSON.stringify(file)})))`;
  const env = { ...process.env };
  delete env.RESGRAPH_NO_CACHE;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test("the built CLI bundle is pure ASCII, so it loads without UTF-8 decoding", { skip: !existsSync("dist/cli.js") && "run npm run build first" }, () => {
  const bytes = readFileSync("dist/cli.js");
  const at = bytes.findIndex((b) => b >= 0x80);
  const context = at < 0 ? "" : bytes.subarray(Math.max(0, at - 60), at + 20).toString("utf8");
  assert.equal(at, -1, `non-ASCII byte at offset ${at}: ...${context}...`);
});

for (const [label, text] of [
  ["an ASCII bundle", "plain text"],
  ["a bundle with non-ASCII text", "1×64×56×56 … ä"],
] as const) {
  test(`${label} loads with the same strings, first compiled and then from the code cache`, () => {
    const dir = mkdtempSync(join(tmpdir(), "resgraph-bundle-"));
    try {
      const file = join(dir, "bundle.js");
      writeFileSync(file, `module.exports = { text: ${JSON.stringify(text)}, twice: "${text}".repeat(2) };\n`, "utf8");
      assert.deepEqual(loadInChild(file), { text, twice: text + text });
      assert.equal(readdirSync(join(dir, ".cache")).filter((n) => n.startsWith("bundle.js.")).length, 1, "the first load wrote a code cache");
      assert.deepEqual(loadInChild(file), { text, twice: text + text });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
