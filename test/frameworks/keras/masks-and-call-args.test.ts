// The arguments Keras fills in when it calls a user layer: `mask=` with the mask the previous layer
// attached (Embedding(mask_zero=True), a layer's compute_mask, passed on by Dense and layers that
// set supports_masking), and a `training` that call() requires (keras-io's NMT and text
// classification transformers rely on both; their models were empty before).

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import { analyzeKeras } from "./helpers";

const IMPORTS = `import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers`;

const run = (body: string, entry = "model") => analyzeKeras(IMPORTS, body, entry);

test("a layer's compute_mask result reaches the next layer's call as mask= (NMT encoder's padding mask)", () => {
  const r = run(`
class Embed(layers.Layer):
    def __init__(self):
        super().__init__()
        self.emb = layers.Embedding(100, 8)
    def call(self, inputs):
        return self.emb(inputs)
    def compute_mask(self, inputs, mask=None):
        return tf.math.not_equal(inputs, 0)

class Block(layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(4)
    def call(self, inputs, mask=None):
        if mask is not None:
            padding_mask = tf.cast(mask[:, tf.newaxis, :], dtype="int32")
        return self.dense(inputs) * tf.cast(padding_mask[:, 0, :, tf.newaxis], "float32")

inputs = keras.Input(shape=(5,), dtype="int64")
model = keras.Model(inputs, Block()(Embed()(inputs)))
`);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.output, [[null, 5, 4]]);
  assert.equal(r.ir.paramTotals.params, 100 * 8 + 8 * 4 + 4);
});

test("Embedding(mask_zero=True)'s mask passes Dense and a supports_masking layer, and is dropped by the others", () => {
  const r = run(`
class Passes(layers.Layer):
    def __init__(self):
        super().__init__()
        self.supports_masking = True
    def call(self, inputs):
        return inputs * 2.0

class Needs(layers.Layer):
    def call(self, inputs, mask=None):
        assert mask is not None and mask.shape == (None, 6) and mask.dtype == "bool"
        return inputs

class Lacks(layers.Layer):
    def call(self, inputs, mask=None):
        assert mask is None
        return inputs

inputs = keras.Input(shape=(6,), dtype="int64")
x = layers.Embedding(50, 4, mask_zero=True)(inputs)
x = Needs()(Passes()(layers.Dense(3)(x)))
x = Lacks()(layers.Flatten()(x))
y = Lacks()(layers.Embedding(50, 4)(inputs))
model = keras.Model(inputs, [x, y])
`);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.output, [[null, 18], [null, 6, 4]]);
});

test("call(self, inputs, training) with no default gets training=None, as tf.keras passes while building", () => {
  const r = run(`
class Block(layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(8)
        self.drop = layers.Dropout(0.1)
    def call(self, inputs, training):
        assert training is None
        return self.drop(self.dense(inputs), training=training)

class Given(layers.Layer):
    def call(self, inputs, training, mask):
        assert training is True and mask is None
        return inputs

inputs = layers.Input(shape=(16,))
model = keras.Model(inputs, Given()(Block()(inputs), True))
`);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.output, [[null, 8]]);
  assert.equal(r.ir.paramTotals.params, 16 * 8 + 8);
});
