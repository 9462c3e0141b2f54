import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parsePython } from "../../src/python/parse";
import { parseIncremental } from "../../src/python/incremental";
import { mutate, rng } from "../fuzz/mutate";

test("incremental re-parsing after edits gives exactly the AST of a fresh parse", () => {
  const r = rng(7);
  let text = readFileSync("examples/torch_resnet.py", "utf8");
  assert.deepEqual(parseIncremental("inc-a.py", text), parsePython(text));
  for (let i = 0; i < 150; i++) {
    // Mostly small typing-like edits, sometimes a larger mutation.
    if (r() < 0.7) {
      const at = Math.floor(r() * text.length);
      text = r() < 0.5 ? text.slice(0, at) + "x" + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
    } else text = mutate(text, r);
    assert.deepEqual(parseIncremental("inc-a.py", text), parsePython(text), `edit ${i}`);
  }
});

test("identical statements appearing twice are converted independently", () => {
  const a = "import torch\nx = 1\nimport torch\n";
  parseIncremental("inc-b.py", a);
  const b = "y = 0\n" + a;
  assert.deepEqual(parseIncremental("inc-b.py", b), parsePython(b));
});

test("the converter builds a tree: no AST object is reachable twice (re-parsing shifts each span once)", () => {
  for (const file of ["examples/torch_resnet.py", "examples/keras_applications_resnet.py", "examples/torch_mobilenet_v2.py"]) {
    const seen = new Set<object>();
    let shared = 0;
    const walk = (v: unknown): void => {
      if (v === null || typeof v !== "object") return;
      if (seen.has(v)) {
        shared++;
        return;
      }
      seen.add(v);
      for (const x of Array.isArray(v) ? v : Object.values(v)) walk(x);
    };
    walk(parsePython(readFileSync(file, "utf8")));
    assert.equal(shared, 0, file);
    assert.ok(seen.size > 1000, `${file}: ${seen.size} objects walked`);
  }
});

test("an edit before analysed statements moves their spans once, even after their closures were compiled", () => {
  const text = "x = (1 + 2) * 3\ny = [x, x]\n";
  const before = parseIncremental("inc-c.py", text);
  // Cache a closure on each node, as the interpreter does on first evaluation.
  const mark = (v: unknown): void => {
    if (v === null || typeof v !== "object") return;
    for (const x of Array.isArray(v) ? v : Object.values(v)) mark(x);
    if (!Array.isArray(v) && "kind" in (v as object)) (v as { compiled?: () => void }).compiled = () => undefined;
  };
  mark(before.body);
  const edited = "  \n" + text;
  const after = parseIncremental("inc-c.py", edited);
  const strip = (v: unknown): unknown =>
    JSON.parse(JSON.stringify(v, (k, x) => (k === "compiled" ? undefined : x)));
  assert.deepEqual(strip(after), strip(parsePython(edited)));
  assert.equal(after.body[0].from, 3);
});
