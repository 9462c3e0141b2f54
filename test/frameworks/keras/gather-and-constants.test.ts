// A graph network's pieces: a constant tensor captured by a subclassed model (node features made with
// ops.zeros / tf.constant) is fed to layers inside call() like any tensor, whose weights count; rows
// are picked with keras.ops.take / tf.gather and summed back with segment_sum. Features read from data
// the analyzer does not load stay unknown and the layer says what it could not know.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeKeras } from "./helpers";

const IMPORTS = "import numpy as np\nimport tensorflow as tf\nimport keras\nfrom keras import layers, ops";

test("Dense on a captured constant in call(), then ops.take of the requested rows: 1,152,807 params, (None, 7)", () => {
  const r = analyzeKeras(IMPORTS, `
node_states = ops.zeros((2708, 1433))

class NodeClassifier(keras.Model):
    def __init__(self, node_states, **kwargs):
        super().__init__(**kwargs)
        self.node_states = node_states
        self.preprocess = layers.Dense(800, activation="relu")
        self.output_layer = layers.Dense(7)

    def call(self, indices):
        x = self.preprocess(self.node_states)
        out = self.output_layer(x)
        return ops.take(out, indices, axis=0)

model = NodeClassifier(node_states)
model.build((None,))
`);
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.ir.paramTotals.params, 1_152_807);
  assert.deepEqual(r.shapes("Dense"), [[2708, 800], [2708, 7]]);
  assert.deepEqual(r.output, [[null, 7]]);
  assert.equal(r.node("dense")!.macs, 2708 * 1433 * 800);
});

test("take without an axis, tf.gather with batch_dims, segment_sum, tf.constant indices and a numpy array's constant", () => {
  const r = analyzeKeras(IMPORTS, `
edges = tf.constant([[0, 1], [1, 2], [2, 0], [0, 2]])
inputs = keras.Input((5, 8))
x = layers.Dense(4)(inputs)
rows = ops.take(x, edges[:, 0], axis=1)
flat = ops.take(x, [[0, 1, 2]])
per_batch = tf.gather(x, tf.constant([[1, 0], [3, 4]]), axis=1, batch_dims=1)
summed = ops.segment_sum(ops.take(x[0], edges[:, 1], axis=0), edges[:, 0], num_segments=5)
positions = layers.Embedding(5, 4)(ops.convert_to_tensor(np.arange(5)))
model = keras.Model(inputs, [rows, flat, per_batch, summed, tf.gather(x, 2, axis=-1), x + positions])
`);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.output, [[null, 4, 4], [1, 3], [null, 2, 4], [5, 4], [null, 5], [null, 5, 4]]);
  assert.equal(r.paramsOf("embedding"), 20);
});

test("a constant from data the analyzer does not load: the layer applied to it says what it could not know", () => {
  const r = analyzeKeras(IMPORTS, `
import pandas as pd
papers = pd.read_csv("cora.content")
node_states = ops.convert_to_tensor(papers.to_numpy(), dtype="float32")

class NodeClassifier(keras.Model):
    def __init__(self, node_states):
        super().__init__()
        self.node_states = node_states
        self.dense = layers.Dense(7)

    def call(self, indices):
        return ops.take(self.dense(self.node_states), indices, axis=0)

model = NodeClassifier(node_states)
model.build((None,))
`);
  assert.deepEqual(r.diagnostics, [
    "18: Dense 'dense' was called on a value the analyzer cannot know (convert_to_tensor() of the result of calling pandas.read_csv.to_numpy) (line 18). The statement was skipped.",
    "13: The outputs of model 'node_classifier' are not symbolic Keras tensors: the value line 18 could not compute; the layers that lead to them are missing from the graph.",
  ]);
  assert.ok(!r.diagnostics.some((d) => /not a symbolic Keras tensor|object is not/.test(d)), r.diagnostics.join("\n"));
});
