// keras.ops / tf functions of plain Python numbers are computed, as TensorFlow computes them eagerly:
// model code branches on them (`if tf.math.equal(x.shape[-1], out) and strides == 1:` decides a
// residual add in keras.io's MobileViT) and sizes layers with them. A None dimension or an unknown
// number gives an unknown that names it, never a silent branch.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeKeras } from "./helpers";

const IMPORTS = "import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\nfrom keras import ops";

test("tf.math.equal on Python ints is a bool: the residual add is taken where channels and strides allow it", () => {
  const r = analyzeKeras(IMPORTS, `
def block(x, out, strides=1):
    m = layers.Conv2D(out, 1, strides=strides, use_bias=False)(x)
    if tf.math.equal(x.shape[-1], out) and strides == 1:
        return layers.Add()([m, x])
    return m

inputs = keras.Input((8, 8, 16))
x = block(inputs, 16)
x = block(x, 32)
x = block(x, 32, strides=2)
x = block(x, 32)
model = keras.Model(inputs, x)
`);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.shapes("Add"), [[null, 8, 8, 16], [null, 4, 4, 32]]);
  assert.deepEqual(r.output, [[null, 4, 4, 32]]);
});

test("comparisons, logic and arithmetic of Python numbers under tf and keras.ops give their values", () => {
  const r = analyzeKeras(IMPORTS, `
inputs = keras.Input((4,))
units = tf.maximum(4, 3) + tf.add(1, 2) * ops.multiply(2, 1)
if tf.logical_not(tf.less(3, 2)) and ops.greater_equal(3, 3) and not tf.math.not_equal(5, 5) and tf.equal("a", "a"):
    units = units + int(ops.sqrt(16.0)) + int(tf.math.ceil(tf.divide(7, 2))) + tf.cast(2.7, tf.int32) + tf.identity(0)
model = keras.Model(inputs, layers.Dense(units)(inputs))
`);
  assert.deepEqual(r.diagnostics, []);
  // 4 + 3 * 2 = 10, then + 4 + ceil(3.5) + int(2.7) + 0 = 20 units.
  assert.deepEqual(r.output, [[null, 20]]);
});

test("equal() of a dimension left None is unknown and says so: the condition is reported, and what it decides is not guessed", () => {
  const r = analyzeKeras(IMPORTS, `
inputs = keras.Input((None, None, 3))
x = layers.Conv2D(3, 1)(inputs)
if tf.math.equal(inputs.shape[1], 8):
    x = layers.Add()([x, inputs])
model = keras.Model(inputs, x)
`);
  assert.deepEqual(r.diagnostics, [
    "9: A condition depends on a value the analyzer cannot know (equal() of None, a size the analyzer does not know statically) (line 9). The statement was skipped.",
    "11: The outputs of model 'functional' are not symbolic Keras tensors: 'x', which line 9 could not compute; the layers that lead to them are missing from the graph.",
  ]);
});
