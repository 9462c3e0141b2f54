// The pieces Keras transformers (keras.io's ViT) are made of: MultiHeadAttention with Keras's exact
// weights, Normalization's adapted statistics, keras.ops.shape / image.extract_patches / arange /
// expand_dims in custom layers, and keras.ops functions we do not model.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import { summarize } from "../../../src/analysis/summary";

/** Analyses `body` (a `build()` after the keras imports); no warning or error but the `expected` codes. */
function run(body: string, expected: string[] = []) {
  const text = `import keras\nfrom keras import layers, ops\n\n${body}`;
  const r = analyze({ file: "model.py", text, entry: "build()" });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.code), expected);
  return { s: summarize(r.ir!, r.diagnostics), ir: r.ir!, diagnostics: r.diagnostics };
}

test("MultiHeadAttention(num_heads=4, key_dim=64)(x, x) on (None, 16, 64): Keras's 66,368 weights", () => {
  const { s, ir } = run(`
def build():
    inp = keras.Input((16, 64))
    return keras.Model(inp, layers.MultiHeadAttention(num_heads=4, key_dim=64)(inp, inp))
`);
  // query/key/value kernels [64, 4, 64] + biases [4, 64]: 3 x 16,640; output kernel [4, 64, 64] + bias [64]: 16,448.
  assert.equal(s.totals.params, 66368);
  assert.deepEqual(s.output, [[null, 16, 64]]);
  // Projections: 3 x 16*64*4*64 + 16*4*64*64 = 1,048,576; Q.K^T and A.V: 2 x 4*16*16*64 = 131,072.
  assert.equal(s.totals.macs, 1179648);
  const mha = ir.nodes.find((n) => n.op === "MultiHeadAttention")!;
  assert.equal(mha.category, "dense");
  assert.equal(mha.inputs.length, 1, "self-attention: one edge from the shared tensor");
});

test("cross-attention with key, value_dim, output_shape, no bias, and the attention scores", () => {
  const { s } = run(`
def build():
    q = keras.Input((10, 32))
    v = keras.Input((20, 48))
    k = keras.Input((20, 24))
    mha = layers.MultiHeadAttention(2, 16, value_dim=8, use_bias=False, output_shape=12)
    out, scores = mha(q, v, key=k, return_attention_scores=True)
    return keras.Model([q, v, k], [out, scores])
`);
  // query [32, 2, 16] 1,024 + key [24, 2, 16] 768 + value [48, 2, 8] 768 + output [2, 8, 12] 192.
  assert.equal(s.totals.params, 2752);
  assert.deepEqual(s.output, [[null, 10, 12], [null, 2, 10, 20]]);
  // 10*32*2*16 + 20*24*2*16 + 20*48*2*8 + 10*2*8*12 + 2*10*20*16 + 2*10*20*8.
  assert.equal(s.totals.macs, 10240 + 15360 + 15360 + 1920 + 6400 + 3200);
});

test("attention over an image's positions: every position by default, one axis with attention_axes", () => {
  const model = (axes: string) => `
def build():
    inp = keras.Input((8, 8, 16))
    out, scores = layers.MultiHeadAttention(2, 4${axes})(inp, inp, return_attention_scores=True)
    return keras.Model(inp, [out, scores])
`;
  const all = run(model("")).s;
  // q/k/v: 16*2*4 + 2*4 = 136 each; output 2*4*16 + 16 = 144.
  assert.equal(all.totals.params, 552);
  assert.deepEqual(all.output, [[null, 8, 8, 16], [null, 2, 8, 8, 8, 8]]);
  // Projections 3 x 64*16*8 + 64*8*16 = 32,768; attention 2 x 2*64*64*4 = 65,536.
  assert.equal(all.totals.macs, 98304);
  const rows = run(model(", attention_axes=(2,)")).s;
  assert.deepEqual(rows.output, [[null, 8, 8, 16], [null, 8, 2, 8, 8]]);
  // Each row attends within itself: 2 x 2*64*8*4 = 8,192.
  assert.equal(rows.totals.macs, 32768 + 8192);
});

test("Normalization: mean, variance and a scalar count (2 * C + 1, non-trainable); adapt() does nothing", () => {
  const { s } = run(`
def build():
    inp = keras.Input((4, 4, 3))
    norm = layers.Normalization(axis=-1)
    norm.adapt(ops.ones((2, 4, 4, 3)))
    scalar = layers.Normalization(axis=None)
    fixed = layers.Normalization(mean=0.5, variance=0.25)
    return keras.Model(inp, fixed(scalar(norm(inp))))
`);
  // 3 + 3 + 1, then 1 + 1 + 1 for the scalar statistics, none for given ones.
  assert.equal(s.totals.params, 10);
  assert.equal(s.totals.nonTrainableParams, 10);
});

test("ops.shape(x) is a tuple of ints and None: a custom layer can index and multiply it", () => {
  const { s } = run(`
class Flat(layers.Layer):
    def call(self, x):
        s = ops.shape(x)
        return ops.reshape(x, (s[0], s[1] * s[2] * s[3]))


def build():
    inp = keras.Input((4, 4, 3))
    return keras.Model(inp, layers.Dense(2)(Flat()(inp)))
`);
  assert.equal(s.totals.params, 98);
  assert.deepEqual(s.output, [[null, 2]]);
});

test("ViT patches: image.extract_patches, then an Embedding of arange positions added to the projection", () => {
  const { s, ir } = run(`
class Patches(layers.Layer):
    def call(self, images):
        shape = ops.shape(images)
        patches = ops.image.extract_patches(images, size=6)
        return ops.reshape(patches, (shape[0], (shape[1] // 6) * (shape[2] // 6), 6 * 6 * shape[3]))


class PatchEncoder(layers.Layer):
    def __init__(self, num_patches, dim):
        super().__init__()
        self.num_patches = num_patches
        self.projection = layers.Dense(dim)
        self.position_embedding = layers.Embedding(input_dim=num_patches, output_dim=dim)

    def call(self, patch):
        positions = ops.expand_dims(ops.arange(start=0, stop=self.num_patches, step=1), axis=0)
        return self.projection(patch) + self.position_embedding(positions)


def build():
    inp = keras.Input((72, 72, 3))
    return keras.Model(inp, PatchEncoder(144, 64)(Patches()(inp)))
`);
  assert.deepEqual(ir.nodes.find((n) => n.op === "extract_patches")?.shape, [null, 12, 12, 108]);
  assert.deepEqual(s.output, [[null, 144, 64]]);
  // Dense 108 * 64 + 64 and Embedding 144 * 64.
  assert.equal(s.totals.params, 6976 + 9216);
});

test("a keras.ops function we do not model is an opaque node with one warning, not a silent gap", () => {
  const { s, ir } = run(
    `
def build():
    inp = keras.Input((8,))
    x = ops.cumsum(inp)
    x = ops.cumsum(x)
    return keras.Model(inp, layers.Dense(2)(x))
`,
    ["unsupported"],
  );
  assert.equal(s.totals.params, 18);
  assert.deepEqual(ir.nodes.filter((n) => n.op === "cumsum").map((n) => n.category), ["opaque", "opaque"]);
});

test("a model whose outputs are not symbolic tensors says so", () => {
  const r = analyze({
    file: "model.py",
    text: `import keras\n\ndef build():\n    inp = keras.Input((8,))\n    return keras.Model(inp, None)\n`,
    entry: "build()",
  });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.code), ["no-output"]);
});
