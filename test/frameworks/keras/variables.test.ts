// Custom layers whose weights are tf.Variable / keras.Variable attributes (the Keras guide's
// "Making new layers via subclassing"), initializers called with a shape, constant tensors from a
// shape, and Keras 2's own module names (keras.engine.training, tensorflow.compat.v2).

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import { analyzeKeras } from "./helpers";

const IMPORTS = `import tensorflow as tf\nimport keras\nfrom keras import layers, ops`;

const run = (body: string, entry = "build()") => analyzeKeras(IMPORTS, body, entry);

test("tf.Variable weights set in __init__ and build count, trainable or not, as Keras 2 counts them", () => {
  const r = run(`
class Linear(keras.layers.Layer):
    def __init__(self, units=32, input_dim=32):
        super().__init__()
        w_init = tf.random_normal_initializer()
        self.w = tf.Variable(initial_value=w_init(shape=(input_dim, units), dtype="float32"), trainable=True)
        b_init = tf.zeros_initializer()
        self.b = tf.Variable(initial_value=b_init(shape=(units,), dtype="float32"), trainable=True)

    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

class Lin2(keras.layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)
        self.total = tf.Variable(initial_value=tf.zeros((self.units,)), trainable=False)
        self.alias = self.total
    def call(self, inputs):
        return tf.matmul(inputs, self.w) + self.b

def build():
    inp = keras.Input((32,))
    x = Linear(4, 32)(inp)
    x = Lin2(8)(x)
    return keras.Model(inp, x)
`);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.output, [[null, 8]]);
  // 32*4 + 4 = 132; 4*8 + 8 trainable + 8 non-trainable (the alias counts once) = 48.
  assert.equal(r.paramsOf("linear"), 132);
  assert.equal(r.paramsOf("lin2"), 48);
  assert.deepEqual([r.ir.paramTotals.params, r.ir.paramTotals.trainableParams, r.ir.paramTotals.nonTrainableParams], [180, 172, 8]);
});

test("keras.Variable, keras.initializers objects and classes, lists of variables, tf.random and tf.constant shapes", () => {
  const r = run(`
class Init(keras.initializers.Initializer):
    def __call__(self, shape, dtype=None):
        return tf.random.normal(shape, stddev=0.02)

class Mix(layers.Layer):
    def __init__(self):
        super().__init__()
        self.a = keras.Variable(keras.initializers.GlorotUniform()(shape=(6, 6)))
        self.b = keras.Variable(initializer="zeros", shape=(6,), trainable=False)
        self.c = [tf.Variable(tf.ones((2, 3))) for _ in range(3)]
        self.d = tf.Variable(Init()((5,)))
        self.e = tf.Variable(tf.constant([[1.0, 2.0], [3.0, 4.0]]))
        self.f = tf.Variable(keras.initializers.he_normal()((4,)))
    def call(self, x):
        return ops.matmul(x, self.a) + self.b

def build():
    x = keras.Input((6,))
    return keras.Model(x, Mix()(x))
`);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.output, [[null, 6]]);
  // a 36, b 6 (non-trainable), c 3 x 6, d 5, e 4, f 4.
  assert.deepEqual([r.ir.paramTotals.params, r.ir.paramTotals.nonTrainableParams], [73, 6]);
});

test("a variable whose initial value has no known shape says so instead of counting 0 silently", () => {
  const text = `import tensorflow as tf\nimport keras\n\nclass L(keras.layers.Layer):\n    def __init__(self, v):\n        super().__init__()\n        self.w = tf.Variable(tf.io.read_file(v))\n    def call(self, x):\n        return x\n\ndef build():\n    x = keras.Input((4,))\n    return keras.Model(x, L("w.bin")(x))\n`;
  const r = analyze({ file: "model.py", text, entry: "build()" });
  const warnings = r.diagnostics.filter((d) => d.severity === "warning").map((d) => `${d.range.start.line + 1}: ${d.message}`);
  assert.ok(warnings.some((w) => w === "7: tf.Variable has an initial value of unknown shape; its weights are not counted."), warnings.join("\n"));
});

test("Keras 2 application files: keras.engine.training.Model and tensorflow.compat.v2", () => {
  const text = `import tensorflow.compat.v2 as tf
from keras import layers
from keras.engine import training
from tensorflow.python.util.tf_export import keras_export

@keras_export("keras.applications.Tiny")
def tiny(weights=None):
    if not (weights in {"imagenet", None} or tf.io.gfile.exists(weights)):
        raise ValueError("bad weights")
    inputs = layers.Input(shape=(32, 32, 3))
    x = layers.Conv2D(8, 3, strides=2, padding="same")(inputs)
    x = tf.math.multiply(x, x)
    return training.Model(inputs=inputs, outputs=x, name="tiny")
`;
  const r = analyze({ file: "model.py", text, entry: "tiny()" });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
  assert.equal(r.ir!.modelName, "tiny");
  assert.equal(r.ir!.paramTotals.params, 224);
  assert.deepEqual(r.ir!.nodes.find((n) => n.id === r.ir!.outputs[0])!.shape, [null, 16, 16, 8]);
});
