import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileParseStore, textHash } from "../../src/cli/parse-store";
import { parsePython } from "../../src/python/parse";
import { usePersistentParses } from "../../src/python/incremental";
import { analyze } from "../../src/analyze";

function scratch(): { bundle: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), "resgraph-store-test-"));
  const bundle = join(root, "cli.js");
  writeFileSync(bundle, "// a build");
  return { bundle, dir: join(root, "parses") };
}

test("a saved parse loads back as the same tree, once per text", () => {
  const { bundle, dir } = scratch();
  const store = fileParseStore(bundle, [dir])!;
  const text = "import torch.nn as nn\nm = nn.Sequential(nn.Linear(4, 2), nn.ReLU())\n";
  assert.equal(store.load(text), undefined);
  store.save(text, parsePython(text));
  assert.deepEqual(store.load(text), parsePython(text));
  assert.equal(store.load(text + "\n"), undefined);
  assert.equal(readdirSync(dir).length, 1);
});

test("a rebuilt bundle never reads trees written by the old one", () => {
  const { bundle, dir } = scratch();
  const text = "x = 1\n";
  fileParseStore(bundle, [dir])!.save(text, parsePython(text));
  utimesSync(bundle, new Date(2000, 0, 1), new Date(2000, 0, 1));
  assert.equal(fileParseStore(bundle, [dir])!.load(text), undefined);
});

test("trees holding numbers JSON cannot keep (1e999 is inf) are not saved", () => {
  const { bundle, dir } = scratch();
  const store = fileParseStore(bundle, [dir])!;
  const text = "x = 1e999\n";
  store.save(text, parsePython(text));
  assert.equal(store.load(text), undefined);
});

test("an analysis whose parse comes from the store gives the same IR as a fresh one", () => {
  const { bundle, dir } = scratch();
  const file = join(__dirname, "..", "..", "examples", "torch_resnet.py");
  const text = readFileSync(file, "utf8");
  const run = (name: string) => analyze({ file: name, text, entry: "resnet18()", input: [[1, 3, 224, 224]] });
  const fresh = run("fresh.py");
  usePersistentParses(fileParseStore(bundle, [dir]));
  try {
    run("first.py"); // parses and saves
    const fromStore = run("second.py"); // a new file key: loads the saved tree
    assert.equal(readdirSync(dir).length, 1);
    assert.equal(fromStore.ir!.nodes.length, 70);
    assert.deepEqual(
      fromStore.ir!.nodes.map((n) => [n.id, n.shape, n.params, n.macs, n.applied?.range]),
      fresh.ir!.nodes.map((n) => [n.id, n.shape, n.params, n.macs, n.applied?.range]),
    );
  } finally {
    usePersistentParses(undefined);
  }
});

test("a text whose name collides with a stored one is a miss, not the other text's tree", () => {
  const { bundle, dir } = scratch();
  const store = fileParseStore(bundle, [dir])!;
  // Long enough that the name samples every other code unit: index 1 is not sampled.
  const stored = `a1 = 1\n${"# pad\n".repeat(1000)}`;
  const other = `a2${stored.slice(2)}`;
  assert.equal(other.length, stored.length);
  assert.equal(textHash(other), textHash(stored));
  store.save(stored, parsePython(stored));
  assert.equal(store.load(other), undefined);
  assert.deepEqual(store.load(stored), parsePython(stored));
});
