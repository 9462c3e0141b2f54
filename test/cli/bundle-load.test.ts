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
function loadInChild(file: string, extraEnv: Record<string, string> = {}): unknown {
  const script = `process.stdout.write(JSON.stringify(require(${JSON.stringify(codeCache)}).requireWithCodeCache(${JSON.stringify(file)})))`;
  const env = { ...process.env, ...extraEnv };
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

/** The header line of the one code cache of `bundle.js` in `dir`: the kinds of run it covers. */
function coverage(dir: string): unknown {
  const names = existsSync(join(dir, ".cache")) ? readdirSync(join(dir, ".cache")).filter((n) => n.startsWith("bundle.js.")) : [];
  if (names.length === 0) return undefined;
  assert.equal(names.length, 1);
  const bytes = readFileSync(join(dir, ".cache", names[0]!));
  return JSON.parse(bytes.subarray(0, bytes.indexOf(10)).toString("latin1"));
}

test("the code cache is written by the first run of each kind the bundle names, and by no other run", () => {
  const dir = mkdtempSync(join(tmpdir(), "resgraph-bundle-"));
  try {
    const file = join(dir, "bundle.js");
    // Like dist/cli.js: a run that analysed nothing (help, version) names no kind.
    writeFileSync(file, "exports.codeCacheCoverage = () => process.env.KIND || undefined; exports.ok = 1;\n", "utf8");
    assert.deepEqual(loadInChild(file, { KIND: "" }), { ok: 1 });
    assert.equal(coverage(dir), undefined, "a run of no kind wrote no cache");
    loadInChild(file, { KIND: "summary pytorch" });
    assert.deepEqual(coverage(dir), ["summary pytorch"]);
    loadInChild(file, { KIND: "summary pytorch" });
    assert.deepEqual(coverage(dir), ["summary pytorch"]);
    loadInChild(file, { KIND: "summary keras" });
    assert.deepEqual(coverage(dir), ["summary pytorch", "summary keras"], "a new kind of run added its functions");
    assert.deepEqual(loadInChild(file, { KIND: "" }), { ok: 1 });
    assert.deepEqual(coverage(dir), ["summary pytorch", "summary keras"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
