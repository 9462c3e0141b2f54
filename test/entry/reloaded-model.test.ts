// `model = make_model(...)`, training, then `model = keras.models.load_model(...)`: the analyzer does
// not read saved files, so `model` keeps the model the code built (the keras.io pattern of reloading
// the best checkpoint), with one info at the load saying so.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../src/analyze";

const RELOADED = `from tensorflow import keras


def make_model(input_shape):
    inp = keras.layers.Input(input_shape)
    x = keras.layers.Conv1D(64, 3, padding="same")(inp)
    x = keras.layers.GlobalAveragePooling1D()(x)
    out = keras.layers.Dense(2, activation="softmax")(x)
    return keras.models.Model(inputs=inp, outputs=out)


model = make_model(input_shape=(500, 1))
model.fit([], [], epochs=1)

model = keras.models.load_model("best_model.h5")   # reload best checkpoint
y_pred = model.predict([]).argmax(axis=1)
`;

test("a model rebound by load_model keeps the model built before, with its own layer names", () => {
  const r = analyze({ file: "ts.py", text: RELOADED });
  assert.equal(r.entry, "model");
  assert.ok(r.ir);
  assert.equal(r.ir.paramTotals.params, 386);
  assert.deepEqual(r.ir.nodes.map((n) => n.name), ["input_layer", "conv1d", "global_average_pooling1d", "dense"]);
  const info = r.diagnostics.filter((d) => d.code === "saved-model");
  assert.equal(info.length, 1);
  assert.equal(info[0].severity, "info");
  assert.equal(info[0].range.start.line, 14);
  assert.equal(
    info[0].message,
    `'model' is reloaded by keras.models.load_model("best_model.h5"), a saved model the analyzer does not read; it keeps the model built at line 12, as a checkpoint saved by this code has the same layers.`,
  );
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info"), []);
  // Named explicitly, too.
  assert.equal(analyze({ file: "ts.py", text: RELOADED, entry: "model" }).ir?.paramTotals.params, 386);
});

test("sub-models cut from a reloaded model build, and the whole model is chosen before its parts", () => {
  const text = `import keras

enc_in = keras.Input(shape=(16, 71))
_, h, c = keras.layers.LSTM(256, return_state=True)(enc_in)
dec_in = keras.Input(shape=(59, 93))
y, _, _ = keras.layers.LSTM(256, return_sequences=True, return_state=True)(dec_in, initial_state=[h, c])
y = keras.layers.Dense(93, activation="softmax")(y)
model = keras.Model([enc_in, dec_in], y)
model.save("s2s_model.keras")

model = keras.models.load_model("s2s_model.keras")
encoder_model = keras.Model(model.input[0], [h, c])
`;
  const r = analyze({ file: "s2s.py", text });
  assert.equal(r.entry, "model");
  assert.equal(r.ir?.paramTotals.params, 718173);
  const encoder = analyze({ file: "s2s.py", text, entry: "encoder_model" });
  assert.equal(encoder.ir?.paramTotals.params, 335872);
});

test("an entry that is a saved model it cannot read says so in one sentence", () => {
  const r = analyze({ file: "ts.py", text: RELOADED, entry: 'keras.models.load_model("x.keras")' });
  assert.equal(r.ir, null);
  const bad = r.diagnostics.find((d) => d.code === "bad-entry");
  assert.equal(bad?.message, `The entry 'keras.models.load_model("x.keras")' could not be evaluated: Saved models are not loaded by static analysis.`);
});
