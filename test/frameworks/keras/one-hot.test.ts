// tf.one_hot and keras.ops.one_hot: indices.shape with a new axis of `depth` classes (last by
// default, or where `axis` says); a depth the analyzer cannot know leaves that axis unknown.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";

test("tf.one_hot and keras.ops.one_hot add an axis of depth classes", () => {
  const text = `import tensorflow as tf
import keras
from keras import layers, ops
import wandb


def build():
    ids = keras.Input(shape=(5,), dtype="int32")
    a = tf.one_hot(ids, 10)
    b = ops.one_hot(ids, num_classes=7, axis=1)
    c = tf.one_hot(ids, depth=3, axis=0)
    d = tf.one_hot(ids, wandb.config.classes)
    out = layers.Dense(4)(a)
    return keras.Model(ids, [out, b, c, d])
`;
  const r = analyze({ file: "model.py", text, entry: "build()" });
  assert.deepEqual(r.ir?.nodes.filter((n) => n.op === "one_hot").map((n) => n.shape), [
    [null, 5, 10],
    [null, 7, 5],
    [3, null, 5],
    [null, 5, null],
  ]);
  assert.equal(r.ir?.paramTotals.params, 44);
  assert.deepEqual(r.diagnostics.map((d) => [d.severity, d.code]), [["info", "unknown-module"]]);
});
