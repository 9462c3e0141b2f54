// TensorFlow's spellings of ops keras.ops has (tf.image.extract_patches with sizes/strides/rates,
// tf.image.resize, tf.linalg.matrix_transpose / matmul / einsum), and random or constant tensors
// whose shape holds a dim known only at run time (tf.random.normal(shape=(tf.shape(x)[0], d)),
// keras.backend.random_normal: the VAE's Sampling layer), which are KerasTensors with None there.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import { analyzeKeras } from "./helpers";

const IMPORTS = `import tensorflow as tf\nimport keras\nfrom keras import layers, ops`;

const run = (body: string, entry = "model") => analyzeKeras(IMPORTS, body, entry);

test("tf.image.extract_patches and resize, keras.ops.image.resize", () => {
  const r = run(`
inputs = layers.Input(shape=(64, 64, 3))
patches = tf.image.extract_patches(images=inputs, sizes=[1, 8, 8, 1], strides=[1, 8, 8, 1], rates=[1, 1, 1, 1], padding="VALID")
same = tf.image.extract_patches(inputs, [1, 3, 3, 1], [1, 2, 2, 1], [1, 1, 1, 1], "SAME")
x = layers.Dense(16)(tf.reshape(patches, [-1, 64, patches.shape[-1]]))
model = keras.Model(inputs, [x, same, tf.image.resize(inputs, (32, 48)), ops.image.resize(inputs, (16, 16)),
                             tf.image.resize(inputs, [20, 20], preserve_aspect_ratio=True)])
`);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.shapes("extract_patches"), [[null, 8, 8, 192], [null, 32, 32, 27]]);
  assert.deepEqual(r.output, [[null, 64, 16], [null, 32, 32, 27], [null, 32, 48, 3], [null, 16, 16, 3], [null, null, null, 3]]);
  assert.equal(r.ir.paramTotals.params, 192 * 16 + 16);
});

test("tf.linalg.matrix_transpose swaps the last two axes (MLP-Mixer); tf.linalg.matmul and einsum", () => {
  const r = run(`
inputs = layers.Input(shape=(32, 64))
x = tf.linalg.matrix_transpose(inputs)
x = layers.Dense(8)(x)
x = tf.linalg.matrix_transpose(x)
x = layers.Dense(32)(x)
y = tf.linalg.matmul(x, x, transpose_b=True)
z = tf.linalg.einsum("bij,bkj->bik", x, x)
model = keras.Model(inputs, [x, y, z])
`);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.output, [[null, 8, 32], [null, 8, 8], [null, 8, 8]]);
  // Dense(32 -> 8) 264 and Dense(64 -> 32) 2080.
  assert.equal(r.ir.paramTotals.params, 2344);
});

test("random and constant tensors with a run-time batch dim are (None, d) KerasTensors (VAE Sampling)", () => {
  const r = run(`
class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = tf.shape(z_mean)[0]
        dim = tf.shape(z_mean)[1]
        epsilon = tf.keras.backend.random_normal(shape=(batch, dim))
        noise = keras.random.normal((batch, dim)) + tf.zeros((batch, dim)) + tf.ones(shape=(batch, 1))
        return z_mean + tf.exp(0.5 * z_log_var) * epsilon + tf.random.normal(shape=(tf.shape(z_mean)[0], 2)) * noise

inputs = keras.Input(shape=(10,))
z_mean = layers.Dense(2)(inputs)
z_log_var = layers.Dense(2)(inputs)
model = keras.Model(inputs, [z_mean, z_log_var, Sampling()([z_mean, z_log_var])])
`);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.output, [[null, 2], [null, 2], [null, 2]]);
  assert.equal(r.ir.paramTotals.params, 44);
});

test("tf.nn.depth_to_space moves channels into b x b blocks (sub-pixel upscaling) and space_to_depth back; NCHW too", () => {
  const r = run(`
inputs = layers.Input(shape=(100, 100, 1))
planes = layers.Input(shape=(8, 5, 5))
x = layers.Conv2D(9, 3, padding="same")(inputs)
up = tf.nn.depth_to_space(x, 3)
model = keras.Model([inputs, planes], [up, tf.nn.space_to_depth(up, block_size=2), tf.nn.depth_to_space(planes, 2, data_format="NCHW")])
`);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.output, [[null, 300, 300, 1], [null, 150, 150, 4], [null, 2, 10, 10]]);
  assert.deepEqual(r.node("depth_to_space")!.attrs, { block_size: 3, data_format: "NHWC" });
});

test("depth_to_space of channels that b * b does not divide is a shape mismatch, as TensorFlow rejects it", () => {
  const r = run(`
inputs = layers.Input(shape=(10, 10, 9))
model = keras.Model(inputs, tf.nn.depth_to_space(inputs, 2))
`);
  assert.deepEqual(r.diagnostics, ["7: depth_to_space() needs the channel count (9) to be divisible by 4, got shape (None, 10, 10, 9) (line 7)."]);
  assert.deepEqual(r.output, [[null, 20, 20, null]]);
});
