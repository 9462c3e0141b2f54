// numpy arrays of any rank made from a known shape: np.zeros((2708, 1433)), random batches, their
// reshapes and stacks carry numpy's shapes (their values are unknown, except one number filling the
// whole array); errors are numpy's. Keras takes them as constants of that shape (tf.constant,
// ops.convert_to_tensor, tf.Variable), so a layer applied to captured features counts its weights.

import { test } from "node:test";
import assert from "node:assert/strict";
import { runPython } from "./run-python";
import { analyze } from "../../src/analyze";

test("np.zeros / ones / empty / full / *_like and np.random give arrays of numpy's shape and dtype", () => {
  const r = runPython(`
import numpy as np
a = np.zeros((2708, 1433))
b = np.ones((3, 4), dtype="int32")
made = (a.shape, a.ndim, a.size, a.dtype, b.dtype, np.empty([2, 3, 4]).shape, np.full((2, 2), 7).dtype, np.zeros_like(b).shape,
        np.ones_like(b, dtype=float).dtype, np.full_like(a, 0.5).shape, np.eye(3).shape, np.identity(2).shape)
rand = (np.random.rand(8, 4).shape, np.random.randn(3).shape, np.random.normal(0, 1, size=(5, 6)).shape, np.random.uniform(size=10).shape,
        np.random.randint(0, 10, size=(2, 3)).dtype, np.random.default_rng(0).normal(size=(2, 2)).shape, np.random.permutation(5).shape)
one_d = (np.zeros(3).tolist(), (np.ones(4, dtype=int) * 3).tolist(), np.full((2,), 3).tolist())
text = repr(a)
`);
  assert.equal(r.get("made"), "((2708, 1433), 2, 3880564, 'float64', 'int32', (2, 3, 4), 'int64', (3, 4), 'float64', (2708, 1433), (3, 3), (2, 2))");
  assert.equal(r.get("rand"), "((8, 4), (3,), (5, 6), (10,), 'int64', (2, 2), (5,))");
  assert.equal(r.get("one_d"), "([0.0, 0.0, 0.0], [3, 3, 3, 3], [3, 3])");
  assert.equal(r.get("text"), "'<numpy array of shape (2708, 1433), dtype float64>'");
  assert.deepEqual(r.diagnostics, []);
});

test("reshape, T, transpose, astype, expand_dims, squeeze, stack, concatenate, indexing, arithmetic and reductions keep numpy's shapes", () => {
  const r = runPython(`
import numpy as np
a = np.zeros((2708, 1433))
b = np.ones((3, 4), dtype="int32")
j = np.zeros(5)
moved = (a.reshape(-1, 1433).shape, a.T.shape, np.zeros((2, 3, 4)).transpose(1, 0, 2).shape, b.astype("float32").dtype,
         np.expand_dims(a, 0).shape, np.expand_dims(a, -1).shape, np.squeeze(np.zeros((1, 3, 1))).shape, np.reshape(np.arange(6), (2, 3)).shape)
stacked = (np.stack([b, b, b]).shape, np.stack([b, b], axis=-1).shape, np.concatenate([a, a]).shape, np.concatenate([b, b], axis=1).shape,
           np.vstack([j, j]).shape, np.hstack([j, j]).shape)
picked = (a[0].shape, a[:10].shape, a[:, 0].shape, a[None].shape, a[..., None].shape, np.zeros((2, 3, 4))[0, :, 1:3].shape,
          np.zeros((2, 3))[[0, 1, 1]].shape, len(a), len(list(b)))
math = ((a + 1).shape, (b * np.ones((4,))).shape, (np.random.rand(8, 4) @ np.ones((4, 2))).shape, (-b).dtype, (b / 2).dtype)
reduced = (a.sum(), a.sum(axis=0).shape, b.sum(), b.mean(), np.random.rand(8, 4).mean(axis=1, keepdims=True).shape, np.sum(b), np.max(b, axis=0).shape)
`);
  assert.equal(r.get("moved"), "((2708, 1433), (1433, 2708), (3, 2, 4), 'float32', (1, 2708, 1433), (2708, 1433, 1), (3,), (2, 3))");
  assert.equal(r.get("stacked"), "((3, 3, 4), (3, 4, 2), (5416, 1433), (3, 8), (2, 5), (10,))");
  assert.equal(r.get("picked"), "((1433,), (10, 1433), (2708,), (1, 2708, 1433), (2708, 1433, 1), (3, 2), (3, 3), 2708, 3)");
  assert.equal(r.get("math"), "((2708, 1433), (3, 4), (8, 2), 'int32', 'float64')");
  // Filled with one known number: its sums are known too.
  assert.equal(r.get("reduced"), "(0.0, (1433,), 12, 1.0, (8, 1), 12, (4,))");
  assert.deepEqual(r.diagnostics, []);
});

test("elements of an array known only by its shape are unknown numbers, with one located message where one is needed", () => {
  const r = runPython(`
import numpy as np
zeros = np.zeros((3, 4))
noise = np.random.rand(3, 4)
known = (zeros[1, 2], np.full((2, 2), 7)[0, 1])
zeros[0, 1] = 5.0
changed = zeros[0, 0]
if noise[0, 0] > 0.5:
    y = 2
`);
  assert.equal(r.get("known"), "(0.0, 7)");
  assert.equal(r.get("changed"), "<unknown>");
  assert.deepEqual(r.diagnostics.map((d) => [d.range.start.line + 1, d.message]), [
    [8, "A condition depends on a value the analyzer cannot know (the values of a numpy array of shape (3, 4), of which only the shape is known) (line 8). The statement was skipped."],
  ]);
});

test("numpy's own errors for shapes that do not fit, and a shape with an unknown dim gives an unknown array", () => {
  const r = runPython(`
import numpy as np
import mystery
unknown_rows = np.zeros((mystery.count, 3))
errors = []
for f in (lambda: np.zeros((2708, 1433)).reshape(3, 5), lambda: np.zeros((2, 3)) + np.ones((4,)),
          lambda: np.concatenate([np.zeros((2, 3)), np.zeros((2, 4))]), lambda: np.stack([np.zeros(2), np.zeros(3)])):
    try:
        f()
    except ValueError as e:
        errors.append(str(e))
`);
  assert.equal(r.get("unknown_rows"), "<unknown>");
  assert.deepEqual(JSON.parse(r.get("errors").replace(/'/g, '"')), [
    "cannot reshape array of size 3880564 into shape (3, 5)",
    "operands could not be broadcast together with shapes (2, 3) (4,)",
    "all the input array dimensions except for the concatenation axis must match exactly, but along dimension 1, the array at index 0 has size 3 and the array at index 1 has size 4",
    "all input arrays must have the same shape",
  ]);
});

test("Keras takes an n-d numpy array as a constant of its shape: a layer on captured features counts its weights", () => {
  const r = analyze({
    file: "gat.py",
    entry: "model",
    text: `import numpy as np
import tensorflow as tf
import keras
from keras import layers, ops

node_states = ops.convert_to_tensor(np.zeros((2708, 1433)), dtype="float32")
scale = tf.constant(np.ones((3, 4)))
bias = tf.Variable(np.random.rand(4, 6))


class NodeClassifier(keras.Model):
    def __init__(self, node_states, **kwargs):
        super().__init__(**kwargs)
        self.node_states = node_states
        self.preprocess = layers.Dense(800, activation="relu")
        self.output_layer = layers.Dense(scale.shape[0] + bias.shape[1] - 2)

    def call(self, indices):
        x = self.preprocess(self.node_states)
        out = self.output_layer(x)
        return ops.take(out, indices, axis=0)


model = NodeClassifier(node_states)
model.build((None,))
`,
  });
  assert.deepEqual(r.diagnostics.map((d) => d.message), []);
  assert.equal(r.ir?.paramTotals.params, 1433 * 800 + 800 + 800 * 7 + 7);
  assert.deepEqual(r.ir?.outputs.map((o) => r.ir!.nodes.find((n) => n.id === o)?.shape), [[null, 7]]);
});

test("any() and all(), as methods and numpy functions, give bools, over an axis bool arrays", () => {
  const r = runPython(`
import numpy as np
a = np.array([0, 1, 0])
whole = (a.any(), a.all(), np.array([1, 2]).all(), np.any([0, 0]), np.all(a > -1), (np.arange(6) > 2).any(), (np.arange(6) > 2).all(), np.zeros((3, 4)).any(), np.ones((2, 5)).all())
axes = (np.zeros((3, 4)).any(axis=0).shape, np.ones((2, 5)).all(1).shape, np.zeros((3, 4)).any(axis=1).dtype, a.any(keepdims=True).dtype, np.any(np.ones((2, 3)), axis=0).shape)
unknown = np.random.rand(3, 2).any()
`);
  assert.equal(r.get("whole"), "(True, False, True, False, True, True, False, False, True)");
  assert.equal(r.get("axes"), "((4,), (2,), 'bool', 'bool', (3,))");
  assert.equal(r.get("unknown"), "<unknown>");
  assert.deepEqual(r.diagnostics, []);
});
