import { test } from "node:test";
import assert from "node:assert/strict";
import { SourceText } from "../../src/python/source";

test("SourceText maps offsets to 0-based line/character in UTF-16 units", () => {
  const s = new SourceText("a = 1\r\nb = 'é😀'\nc");
  assert.deepEqual(s.position(0), { line: 0, character: 0 });
  assert.deepEqual(s.position(7), { line: 1, character: 0 });
  // the emoji is two UTF-16 code units, so 'c' is on line 2 at column 0
  assert.deepEqual(s.position(s.text.indexOf("c")), { line: 2, character: 0 });
  assert.equal(s.offset({ line: 1, character: 4 }), 11);
  assert.equal(s.lineCount, 3);
});
