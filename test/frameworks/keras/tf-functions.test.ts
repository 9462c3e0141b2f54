// TensorFlow functions and keras.ops applied to symbolic tensors: the common ones have their shapes
// (tf.range, tf.split, tf.stack, tf.matmul(transpose_b=True), einsum, argmax), any other makes an
// opaque node with a warning instead of a silent stand-in, and decorators hand back what they wrap.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";

function run(body: string) {
  const text = `import tensorflow as tf\nimport keras\nfrom keras import layers, ops\n\n${body}`;
  const r = analyze({ file: "model.py", text, entry: "build()" });
  return {
    ir: r.ir,
    warnings: r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message),
    shapes: (op: string) => r.ir!.nodes.filter((n) => n.op === op).map((n) => n.shape),
  };
}

test("tf.range positions feed an Embedding: its weights count (were silently dropped)", () => {
  const r = run(`
class PosEmb(layers.Layer):
    def __init__(self):
        super().__init__()
        self.emb = layers.Embedding(64, 16)
    def call(self, x):
        return x + self.emb(tf.range(start=0, limit=64, delta=1))

def build():
    inputs = keras.Input(shape=(64, 16))
    return keras.Model(inputs, PosEmb()(inputs))
`);
  assert.deepEqual(r.warnings, []);
  assert.equal(r.ir!.paramTotals.params, 1_024);
});

test("split, stack, tile, cast, einsum, argmax and matmul(transpose_b) have their shapes", () => {
  const r = run(`
def build():
    x = keras.Input(shape=(8, 16))
    a, b = tf.split(x, 2, axis=-1)
    p, q = tf.split(x, [4, 12], axis=-1)
    s = ops.split(x, [4], axis=-1)[1]
    return keras.Model(x, [a * b, q, s, ops.stack([x, x], axis=1), ops.tile(x, (1, 2, 1)), tf.cast(x, "float16"),
                           ops.einsum("bij,bkj->bik", x, x), ops.argmax(x, axis=-1), tf.matmul(x, x, transpose_b=True),
                           tf.expand_dims(x, -1), tf.transpose(x, perm=[0, 2, 1])])
`);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.ir!.outputs.map((id) => r.ir!.nodes.find((n) => n.id === id)!.shape), [
    [null, 8, 8], [null, 8, 12], [null, 8, 12], [null, 2, 8, 16], [null, 16, 16], [null, 8, 16],
    [null, 8, 8], [null, 8], [null, 8, 8], [null, 8, 16, 1], [null, 16, 8],
  ]);
  assert.deepEqual(r.ir!.nodes.find((n) => n.op === "einsum")!.macs, 8 * 8 * 16);
});

test("a TensorFlow function the analyzer does not model warns and passes the shape on, rather than vanish", () => {
  const r = run(`
def build():
    x = keras.Input(shape=(8, 16))
    return keras.Model(x, layers.Dense(4)(tf.math.l2_normalize(x, axis=-1)))
`);
  assert.deepEqual(r.warnings, ["tensorflow.math.l2_normalize() is not modelled: shown as an opaque node whose output shape is assumed equal to its input's."]);
  assert.deepEqual(r.shapes("Dense"), [[null, 8, 4]]);
});

test("@register_keras_serializable() and @tf.function leave the class and the method as they are", () => {
  const r = run(`
@keras.saving.register_keras_serializable(package="custom")
class Block(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(4)
    @tf.function
    def call(self, x):
        return self.dense(x)

@tf.function(jit_compile=True)
def twice(x):
    return x * 2

def build():
    inputs = keras.Input(shape=(8,))
    return keras.Model(inputs, twice(Block()(inputs)))
`);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual([r.ir!.paramTotals.params, r.ir!.nodes.at(-1)!.shape], [36, [null, 4]]);
});

test("a Lambda's function runs on the symbolic input: its shape is the function's, not assumed", () => {
  const r = run(`
def build():
    x = keras.Input(shape=(8, 16))
    y = layers.Lambda(lambda t: ops.mean(t, axis=1))(x)
    return keras.Model(x, layers.Dense(2)(y))
`);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.shapes("mean"), [[null, 16]]);
  assert.equal(r.ir!.paramTotals.params, 16 * 2 + 2);
});

test("pad, norm and where have their shapes (were passed through with a warning)", () => {
  const r = run(`
def build():
    x = keras.Input(shape=(8, 16))
    return keras.Model(x, [ops.pad(x, ((0, 0), (1, 1), (0, 2))), ops.norm(x, axis=-1), ops.norm(x, axis=(1, 2), keepdims=True),
                           ops.where(x > 0, x, 0.0), tf.pad(x, [[0, 0], [2, 2], [0, 0]])])
`);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.ir!.outputs.map((id) => r.ir!.nodes.find((n) => n.id === id)!.shape), [
    [null, 10, 18], [null, 8], [null, 1, 1], [null, 8, 16], [null, 12, 16],
  ]);
});
