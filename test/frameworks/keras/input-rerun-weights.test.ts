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
