// A starred unknown in a tuple, list or set display (`(None, *data.shape[2:])`) makes that display an
// unknown of unknown length, named after it, instead of skipping the whole statement.

import { test } from "node:test";
import assert from "node:assert/strict";
import { runPython } from "./run-python";
import { analyze } from "../../src/analyze";

test("a display with a starred unknown is one unknown naming the display; known ones still expand", () => {
  const r = runPython(`
import numpy as np
data = np.load("frames.npy")
shape = (None, *data.shape[2:])
listed = [1, *data.shape]
known = (1, *[2, 3], *range(2))
for d in shape:
    pass
`);
  assert.equal(r.get("known"), "(1, 2, 3, 0, 1)");
  assert.equal(r.get("shape"), "<unknown>");
  assert.equal(r.get("listed"), "<unknown>");
  // Only the statement that needed the display's items says so, naming it.
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity !== "info").map((d) => [d.range.start.line + 1, d.message]),
    [[7, "Cannot iterate over a value the analyzer cannot know ((None, *data.shape[2:]), whose length depends on the result of calling numpy.load.shape[...]) (line 7). The statement was skipped."]],
  );
});

test("a Keras Input whose shape stars an unknown takes the --input shape (keras.io conv_lstm)", () => {
  const text = `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

data = np.load("frames.npy")

inp = layers.Input(shape=(None, *data.shape[2:]))
x = layers.Conv3D(1, 3, padding="same")(inp)
model = keras.Model(inp, x)
`;
  const r = analyze({ file: "model.py", text, entry: "model", input: [[1, 5, 32, 32, 1]] });
  // Conv3D 3*3*3*1*1 + 1 = 28.
  assert.equal(r.ir!.paramTotals.params, 28);
  assert.deepEqual(r.ir!.nodes.find((n) => n.id === r.ir!.outputs[0])!.shape, [null, 5, 32, 32, 1]);
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity !== "info").map((d) => [d.range.start.line + 1, d.message]),
    [[7, "Input's shape comes from data the analyzer cannot read; it uses the --input shape (5, 32, 32, 1) instead."]],
  );
  const without = analyze({ file: "model.py", text, entry: "model" });
  assert.deepEqual(
    without.diagnostics.filter((d) => d.severity === "warning" && d.range.start.line + 1 === 7).map((d) => d.message),
    ["'shape' could not be determined: (None, *data.shape[2:]), whose length depends on the result of calling numpy.load.shape[...] (line 7). The statement was skipped."],
  );
});
