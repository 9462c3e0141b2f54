// layer.build(input_shape) called by user code makes a builtin layer's weights, as Keras's build()
// does, and a built layer's weights are attributes (`conv.kernel`, `bn.moving_mean`): keras-io's
// PixelCNN builds its inner Conv2D to shape a mask from the kernel (532,673 params, was 124,289).

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import { analyzeKeras } from "./helpers";

const IMPORTS = `import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers`;

const run = (body: string, entry = "model") => analyzeKeras(IMPORTS, body, entry);

test("a Conv2D built explicitly, then masked through its kernel and called, counts its weights (PixelCNN)", () => {
  const r = run(`
class PixelConvLayer(layers.Layer):
    def __init__(self, mask_type, **kwargs):
        super().__init__()
        self.mask_type = mask_type
        self.conv = layers.Conv2D(**kwargs)

    def build(self, input_shape):
        self.conv.build(input_shape)
        kernel_shape = self.conv.kernel.get_shape()
        self.mask = np.zeros(shape=kernel_shape)
        self.mask[: kernel_shape[0] // 2, ...] = 1.0
        if self.mask_type == "B":
            self.mask[kernel_shape[0] // 2, kernel_shape[1] // 2, ...] = 1.0

    def call(self, inputs):
        self.conv.kernel.assign(self.conv.kernel * self.mask)
        return self.conv(inputs)

inputs = keras.Input(shape=(28, 28, 1))
x = PixelConvLayer(mask_type="A", filters=8, kernel_size=7, padding="same")(inputs)
x = PixelConvLayer(mask_type="B", filters=4, kernel_size=1)(x)
model = keras.Model(inputs, x)
`);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.output, [[null, 28, 28, 4]]);
  // 7*7*1*8 + 8 = 400; 1*1*8*4 + 4 = 36. The masking multiply is a constant: no node of its own.
  assert.equal(r.ir.paramTotals.params, 436);
  assert.deepEqual(r.ir.nodes.map((n) => n.op), ["InputLayer", "Conv2D", "Conv2D"]);
});

test("build() makes the weights a layer's attributes name, the same objects as layer.weights, before any call", () => {
  const r = run(`
dense = layers.Dense(5)
dense.build((None, 4))
assert dense.kernel.shape == (4, 5) and dense.bias.shape == (5,)
assert dense.weights[0] is dense.kernel
assert dense.count_params() == 25
bn = layers.BatchNormalization()
bn.build((None, 8, 8, 3))
assert [w.shape for w in (bn.gamma, bn.beta, bn.moving_mean, bn.moving_variance)] == [(3,), (3,), (3,), (3,)]
emb = layers.Embedding(10, 6)
emb.build((None, 7))
assert emb.embeddings.shape == (10, 6)
mha = layers.MultiHeadAttention(num_heads=2, key_dim=4)
mha.build((None, 5, 8), (None, 5, 8))
assert mha.count_params() == 3 * (8 * 2 * 4 + 2 * 4) + (2 * 4 * 8 + 8)
assert not hasattr(layers.Dense(3), "kernel")

inputs = keras.Input(shape=(4,))
model = keras.Model(inputs, dense(inputs))
`);
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.ir.paramTotals.params, 25);
});

test("a build() whose shape is not readable leaves the layer to be built by its first call", () => {
  const r = run(`
class Wrap(layers.Layer):
    def __init__(self):
        super().__init__()
        self.conv = layers.Conv2D(8, 3, padding="same")
    def build(self, input_shape):
        self.conv.build(np.load("shape.npy"))
    def call(self, inputs):
        return self.conv(inputs)

inputs = keras.Input(shape=(28, 28, 1))
model = keras.Model(inputs, Wrap()(inputs))
`);
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.ir.paramTotals.params, 3 * 3 * 1 * 8 + 8);
});

test("a subclass of a builtin layer with its own call() has the builtin's weights, built before the call", () => {
  const r = run(`
class MyDense(layers.Dense):
    def call(self, inputs):
        return keras.ops.matmul(inputs, self.kernel) + self.bias

class MaskedDense(layers.Dense):
    def build(self, input_shape):
        super().build(input_shape)
        self.extra = self.add_weight(shape=(3,))
    def call(self, inputs):
        return keras.ops.matmul(inputs, self.kernel)

inputs = keras.Input(shape=(4,))
model = keras.Model(inputs, MaskedDense(3)(MyDense(5)(inputs)))
`);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.output, [[null, 3]]);
  // 4*5 + 5 = 25; 5*3 + 3 + the extra 3 = 21.
  assert.equal(r.ir.paramTotals.params, 46);
});
