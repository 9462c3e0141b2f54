// A layer that cannot be built at the model's own open input size (an LSTM on features the Input
// leaves None) is built when the model runs again at the --input size: its node shows the weights the
// totals then count, so the table's rows add up to its total (lstm_seq2seq's LSTMs showed "--").

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";

const SEQ2SEQ = `import keras

encoder_inputs = keras.Input(shape=(None, None))
_, state_h, state_c = keras.layers.LSTM(256, return_state=True)(encoder_inputs)
decoder_inputs = keras.Input(shape=(None, None))
shared = keras.layers.Dense(8)
hint = shared(decoder_inputs)
decoded, _, _ = keras.layers.LSTM(256, return_sequences=True, return_state=True)(shared(hint), initial_state=[state_h, state_c])
model = keras.Model([encoder_inputs, decoder_inputs], keras.layers.Dense(93)(decoded))
`;

// The IR's node params wait on NodeUpdate taking params (src/interp/values.ts) and GraphBuilder.updateNode
// applying them to the layer's first application (src/ir/builder.ts); the Keras replay already passes them.

test("layers first built at the --input size carry their weights on their nodes; a reused layer's later node stays 0", () => {
  const r = analyze({ file: "seq2seq.py", text: SEQ2SEQ, entry: "model", input: [[1, 16, 71], [1, 59, 8]] });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  const ir = r.ir;
  // LSTM(256) on 71 features: 4 * (256 * (71 + 256) + 256) = 335,872; on 8: 4 * (256 * 264 + 256) = 271,360;
  // Dense(8) on 8: 72, applied twice, counted once; Dense(93) on 256: 23,901.
  assert.deepEqual(
    ir.nodes.filter((n) => n.category !== "input").map((n) => [n.name, n.params, n.reuseOf ?? null]),
    [
      ["lstm", 335_872, null],
      ["lstm_state_h", 0, null],
      ["lstm_state_c", 0, null],
      ["dense", 72, null],
      ["dense", 0, "dense"],
      ["lstm_1", 271_360, null],
      ["dense_1", 23_901, null],
    ],
  );
  assert.equal(ir.paramTotals.params, 335_872 + 72 + 271_360 + 23_901);
  assert.equal(ir.nodes.reduce((sum, n) => sum + n.params, 0), ir.paramTotals.params);
});

test("a layer first applied in another model, built only at this model's --input size, shows its weights here (lstm_seq2seq's decoder_model)", () => {
  const text = `import keras

lstm = keras.layers.LSTM(16, return_sequences=True)
sequence = keras.Input(shape=(None, None))
training = keras.Model(sequence, lstm(sequence))
step = keras.Input(shape=(None, None))
inference = keras.Model(step, lstm(step))
`;
  const r = analyze({ file: "seq2seq.py", text, entry: "inference", input: [[1, 1, 8]] });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  // LSTM(16) on 8 features: 4 * (16 * (8 + 16) + 16) = 1,600.
  assert.deepEqual(r.ir.nodes.map((n) => [n.name, n.params, n.reuseOf ?? null]), [["input_layer_1", 0, null], ["lstm", 1_600, null]]);
  assert.equal(r.ir.paramTotals.params, 1_600);
});

const OPEN_WIDTH = `import keras
from keras import layers
inputs = keras.Input(shape=(None,))
x = layers.Dense(10)(inputs)
outputs = layers.Dense(2)(x)
model = keras.Model(inputs, outputs)
`;

const unsized = (r: ReturnType<typeof analyze>) => ({
  warnings: r.diagnostics.filter((d) => d.code === "unsized-weights").map((d) => `${d.range.start.line + 1}: ${d.message}`),
  marked: r.ir!.nodes.filter((n) => n.paramsUnknown).map((n) => n.name),
});

test("a layer sized only at the --input size takes back its warning and loses its unknown mark", () => {
  const sized = analyze({ file: "f.py", text: OPEN_WIDTH, entry: "model", input: [[1, 20]] });
  assert.ok(sized.ir, sized.diagnostics.map((d) => d.message).join("\n"));
  // Dense(10) on 20: 210; Dense(2) on 10: 22.
  assert.deepEqual(sized.ir.nodes.map((n) => [n.name, n.params]), [["input_layer", 0], ["dense", 210], ["dense_1", 22]]);
  assert.equal(sized.ir.paramTotals.params, 232);
  assert.deepEqual(unsized(sized), { warnings: [], marked: [] });
  assert.deepEqual(sized.diagnostics, []);

  const open = analyze({ file: "f.py", text: OPEN_WIDTH, entry: "model" });
  assert.ok(open.ir);
  assert.equal(open.ir.paramTotals.params, 22);
  assert.deepEqual(unsized(open), {
    warnings: ["4: Dense 'dense' needs a known last input dimension, got shape (None, None); its weights are counted as 0."],
    marked: ["dense"],
  });
});

test("every warning of a layer applied unsized in two models is taken back when the --input run sizes it", () => {
  const text = `import keras

lstm = keras.layers.LSTM(16, return_sequences=True)
sequence = keras.Input(shape=(None, None))
training = keras.Model(sequence, lstm(sequence))
step = keras.Input(shape=(None, None))
inference = keras.Model(step, lstm(step))
`;
  const sized = analyze({ file: "seq2seq.py", text, entry: "inference", input: [[1, 1, 8]] });
  assert.deepEqual(unsized(sized), { warnings: [], marked: [] });
  const open = analyze({ file: "seq2seq.py", text, entry: "inference" });
  assert.deepEqual(unsized(open), {
    warnings: [
      "5: LSTM 'lstm' needs a known number of input features, got shape (None, None, None); its weights are counted as 0.",
      "7: LSTM 'lstm' needs a known number of input features, got shape (None, None, None); its weights are counted as 0.",
    ],
    marked: ["lstm"],
  });
});

test("a custom layer whose only weight has an unknown shape still gets its own node, marked", () => {
  const text = `import keras
import mystery

class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(mystery.width,))

    def call(self, x):
        return x * self.w

inputs = keras.Input(shape=(4,))
model = keras.Model(inputs, Scale()(inputs))
`;
  const r = analyze({ file: "scale.py", text, entry: "model" });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  assert.deepEqual(r.ir.nodes.map((n) => [n.name, n.params]), [["input_layer", 0], ["multiply", 0], ["scale", 0]]);
  assert.deepEqual(unsized(r), {
    warnings: ["6: Weight 'weight_0' of layer 'scale' has an unknown shape (<unknown>,); it is counted as 0 parameters."],
    marked: ["scale"],
  });
});
