// Models built at module level inside a `with` block (a distribution strategy's scope, a device,
// torch.no_grad()) or a try statement are module-level models too: they are offered as entries.
// What `if __name__ == "__main__":` builds stays out: that is the script's own run.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../src/analyze";

test("a Keras model built inside `with strategy.scope():` is the entry: 5 params, no 'No model found'", () => {
  const r = analyze({
    file: "w.py",
    text: `import tensorflow as tf
from tensorflow import keras
strategy = tf.distribute.MirroredStrategy()
with strategy.scope():
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
`,
  });
  assert.equal(r.entry, "model");
  assert.deepEqual(r.entries.map((e) => [e.expr, e.kind, e.range.start.line + 1]), [["model", "assignment", 6]]);
  assert.equal(r.ir?.paramTotals.params, 5);
  assert.deepEqual(r.diagnostics, []);
});

test("models in nested with blocks, tf.device and torch.no_grad, and try / except / else bodies are candidates, in source order", () => {
  const r = analyze({
    file: "scoped.py",
    text: `import tensorflow as tf
from tensorflow import keras
with tf.device("/gpu:0"):
    with tf.name_scope("outer"):
        small = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
try:
    import nothing_here
except ImportError:
    backup = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
else:
    other = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5)])
if __name__ == "__main__":
    script = keras.Sequential([keras.Input((4,)), keras.layers.Dense(9)])
`,
  });
  // Module-level models come last binding first, as without blocks. An unknown module imports (its
  // values are unknown), so the else branch runs and `backup` is never bound.
  assert.deepEqual(r.entries.map((e) => e.expr), ["other", "small"]);
  assert.equal(r.entry, "other");
  assert.equal(r.ir?.paramTotals.params, 25);
});

test("a PyTorch model built under torch.no_grad() is offered as well", () => {
  const r = analyze({
    file: "t.py",
    input: [[1, 8]],
    text: `import torch
import torch.nn as nn
with torch.no_grad():
    net = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
`,
  });
  assert.equal(r.entry, "net");
  assert.equal(r.ir?.paramTotals.params, 46);
});
