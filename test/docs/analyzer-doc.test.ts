// docs/analyzer.md lists the framework names the analyzer models; it must match the stubs, so a
// layer or function added to the stubs without `npm run docs` fails here.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { withSupportLists } from "../../scripts/support-lists";

test("docs/analyzer.md lists exactly what the stubs model (run npm run docs after changing them)", () => {
  const doc = readFileSync("docs/analyzer.md", "utf8");
  assert.equal(doc, withSupportLists(doc));
  // A few names users look for, so an empty or broken list cannot pass.
  for (const name of ["`Conv2d`", "`MultiheadAttention`", "`scaled_dot_product_attention`", "`BatchNormalization`", "`einsum`", "`rearrange`", "`view`"]) {
    assert.ok(doc.includes(name), `${name} is listed`);
  }
});
