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
