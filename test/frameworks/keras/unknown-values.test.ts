// Values the analyzer cannot know never silently reshape a Keras model: a layer called on one skips
// its statement with a warning, an operand left by a skipped statement makes the result unknown
// (`a + b` is not just `a`), a lost output of a list is named, and a size computed from data
// (Dense(n_classes)) keeps the layer, of unknown width, instead of emptying the model.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";

function run(body: string, entry = "model") {
  const text = `import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\nimport mystery\n\n${body}`;
  const r = analyze({ file: "model.py", text, entry });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  const ir = r.ir;
  return {
    ir,
    warnings: r.diagnostics.filter((d) => d.severity === "warning" || d.severity === "error").map((d) => `${d.range.start.line + 1}: [${d.code}] ${d.message}`),
    output: ir.outputs.map((id) => ir.nodes.find((n) => n.id === id)!.shape),
  };
}

test("tensor + the unknown output of a layer called on an unknown value: warned, and the model has no confident output", () => {
  const r = run(`
inputs = keras.Input(shape=(8,))
a = layers.Dense(8)(inputs)
b = layers.Dense(8)(mystery.transform(inputs))
c = b * 2 + a
model = keras.Model(inputs, a + c)
`);
  assert.deepEqual(r.warnings, [
    "10: [unknown-value] Dense 'dense_1' was called on a value the analyzer cannot know (the result of calling mystery.transform) (line 10). The statement was skipped.",
    "12: [no-output] The outputs of model 'functional' are not symbolic Keras tensors: 'b', which line 10 could not compute; the layers that lead to them are missing from the graph.",
  ]);
  assert.deepEqual(r.output, []);
});

test("an unknown number still scales a tensor: tf.shape(x)[0] of the batch, an unknown factor", () => {
  const r = run(`
inputs = keras.Input(shape=(6, 8))
x = layers.Dense(4)(inputs)
x = x / tf.math.sqrt(tf.cast(tf.shape(x)[0], "float32")) * mystery.factor
model = keras.Model(inputs, x)
`);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.output, [[null, 6, 4]]);
  assert.equal(r.ir.paramTotals.params, 36);
});

test("an output of a list that could not be computed is named instead of dropped silently", () => {
  const r = run(`
inputs = keras.Input(shape=(10,))
a = layers.Dense(2)(inputs)
b = layers.Dense(2)(inputs)
z = mystery.sample(a, b)
model = keras.Model(inputs, [a, b, z])
`);
  assert.deepEqual(r.warnings, [
    "12: [no-output] Output 3 of 3 of model 'functional' is not a symbolic Keras tensor: the result of calling mystery.sample; the layers that lead to it are missing from the graph.",
  ]);
  assert.deepEqual(r.output, [[null, 2], [null, 2]]);
});

test("a size computed from data keeps the layer, of unknown width, and the rest of the model", () => {
  const r = run(`
y_train = np.loadtxt("labels.tsv")[:, 0]
n_classes = len(np.unique(y_train))
inputs = keras.Input(shape=(10,))
x = layers.Dense(64, activation="relu")(inputs)
x = layers.Conv1D(n_classes, 3)(layers.Reshape((8, 8))(x))
outputs = layers.Dense(n_classes, activation="softmax")(layers.Embedding(n_classes, 4)(x))
model = keras.Model(inputs, outputs)
`);
  const why = "len(the result of calling numpy.unique)";
  assert.deepEqual(r.warnings, [
    `12: [unsized-weights] Conv1D 'conv1d' takes its filters from a value the analyzer cannot know (${why}): its output size is unknown and its weights are not counted.`,
    `13: [unsized-weights] Dense 'dense_1' takes its units from a value the analyzer cannot know (${why}): its output size is unknown and its weights are not counted.`,
    `13: [unsized-weights] Embedding 'embedding' takes its input_dim from a value the analyzer cannot know (${why}): its output size is unknown and its weights are not counted.`,
  ]);
  // Dense(64) on 10 inputs: 704; the layers sized by n_classes are not counted, and their nodes say so.
  assert.equal(r.ir.paramTotals.params, 704);
  assert.deepEqual(r.ir.nodes.filter((n) => n.paramsUnknown).map((n) => n.name), ["conv1d", "embedding", "dense_1"]);
  assert.deepEqual(r.output, [[null, 6, null, null]]);
});

test("tf.range of a length known only at run time is a 1-D constant: the position Embedding counts", () => {
  const text = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

class PositionalEmbedding(layers.Layer):
    def __init__(self):
        super().__init__()
        self.token_embeddings = layers.Embedding(input_dim=1000, output_dim=16)
        self.position_embeddings = layers.Embedding(input_dim=20, output_dim=16)

    def call(self, inputs):
        length = tf.shape(inputs)[-1]
        positions = tf.range(start=0, limit=length, delta=1)
        return self.token_embeddings(inputs) + self.position_embeddings(positions)

inputs = keras.Input(shape=(None,), dtype="int64")
model = keras.Model(inputs, PositionalEmbedding()(inputs))
`;
  for (const [input, shape] of [[undefined, [null, null, 16]], [[[1, 20]], [null, 20, 16]]] as const) {
    const r = analyze({ file: "model.py", text, entry: "model", input: input?.map((s) => [...s]) });
    assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
    assert.equal(r.ir!.paramTotals.params, 1000 * 16 + 20 * 16);
    assert.deepEqual(r.ir!.nodes.find((n) => n.id === r.ir!.outputs[0])!.shape, shape);
  }
});

test("a KerasTensor is named KerasTensor in messages", () => {
  const r = run(`
inputs = keras.Input(shape=(4,))
x = layers.Dense(2)(inputs)
y = x @ "text"
model = keras.Model(inputs, x)
`);
  assert.deepEqual(r.warnings, ["10: [exception] Unsupported operand type(s) for @: 'KerasTensor' and 'str' (line 10). The statement was skipped."]);
});

test("a warning raised inside the bundled keras.applications is placed at the user's call and says where inside it arose", () => {
  const text = `import numpy as np
from tensorflow import keras
n = len(np.unique(np.load("labels.npy")))
base = keras.applications.EfficientNetB0(include_top=True, weights=None, classes=n)
`;
  const r = analyze({ file: "model.py", text, entry: "base" });
  const warnings = r.diagnostics.filter((d) => d.severity === "warning");
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].file, "model.py");
  assert.equal(warnings[0].range.start.line + 1, 4);
  assert.match(warnings[0].message, /^Dense 'predictions' takes its units from a value the analyzer cannot know .* \(in keras\/applications\/_common\.py, line \d+\)\.$/);
});

test("an Input whose shape comes from data takes the --input shape, and says so", () => {
  const text = `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
x_train = np.loadtxt("FordA_TRAIN.tsv", delimiter="\\t")[:, 1:]
inputs = keras.Input(shape=x_train.shape[1:])
x = layers.Flatten()(layers.Conv1D(4, 1)(inputs))
model = keras.Model(inputs, layers.Dense(2)(x))
`;
  const r = analyze({ file: "model.py", text, entry: "model", input: [[1, 500, 1]] });
  // Conv1D 1*4 + 4 = 8, Dense 2000*2 + 2 = 4,002.
  assert.equal(r.ir!.paramTotals.params, 4_010);
  assert.deepEqual(r.ir!.nodes.find((n) => n.id === r.ir!.outputs[0])!.shape, [null, 2]);
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity !== "info").map((d) => [d.range.start.line + 1, d.message]),
    [[5, "Input's shape comes from data the analyzer cannot read; it uses the --input shape (500, 1) instead."]],
  );
});

test("an unknown's own sentence quoted inside a warning loses its full stop (no 'analysis.; the layers')", () => {
  const r = run(`
inputs = keras.Input(shape=(4,))
saved = keras.models.load_model("model.keras")
model = keras.Model(inputs, [layers.Dense(2)(inputs), saved])
`);
  assert.deepEqual(r.warnings, [
    "10: [no-output] Output 2 of 2 of model 'functional' is not a symbolic Keras tensor: Saved models are not loaded by static analysis; the layers that lead to it are missing from the graph.",
  ]);
});

test("a size left by a skipped statement still says that the layer's weights are not counted (lstm_seq2seq's Dense)", () => {
  const r = run(`
chars = sorted(set(open("data.txt").read()))
inputs = keras.Input(shape=(20, 8))
outputs = layers.Dense(len(chars), activation="softmax")(layers.LSTM(16, return_sequences=True)(inputs))
model = keras.Model(inputs, outputs)
`);
  assert.deepEqual(r.warnings, [
    "8: [unsupported] The analyzer does not read files at analysis time (line 8). The statement was skipped.",
    "10: [unsized-weights] Dense 'dense' takes its units from a value the analyzer cannot know ('chars', which line 8 could not compute): its output size is unknown and its weights are not counted.",
  ]);
  // LSTM(16) on 8 features: 4 * (16 * (8 + 16) + 16) = 1,600; the Dense is not counted.
  assert.equal(r.ir.paramTotals.params, 1_600);
});

test("a shape error that comes only from the shape assumed for an unknown layer class is a warning naming it; one on a tensor it never reached stays an error", () => {
  const r = analyze({
    file: "model.py",
    text: `import keras
from keras import layers

inputs = keras.Input((32, 32, 3))
x = layers.PatchEmbedding(16, 64)(inputs)
x = layers.Conv1D(8, 3)(x)
y = layers.Conv1D(8, 3)(inputs)
model = keras.Model(inputs, [x, y])
`,
    entry: "model",
  });
  assert.deepEqual(
    r.diagnostics.filter((d) => d.code === "shape-mismatch").map((d) => [d.range.start.line + 1, d.severity, d.message]),
    [
      [6, "warning", "Conv1D 'conv1d' expects a 3D input (batch, 1 spatial dims, channels), got shape (None, 32, 32, 3); that size comes from the shape assumed for the unmodelled PatchEmbedding at line 5 (line 6)."],
      [7, "error", "Conv1D 'conv1d_1' expects a 3D input (batch, 1 spatial dims, channels), got shape (None, 32, 32, 3) (line 7)."],
    ],
  );
});
