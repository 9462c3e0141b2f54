// Keras recurrent layers (SimpleRNN, LSTM, GRU) and the wrappers Bidirectional and TimeDistributed:
// Keras's exact weights (as model.summary() counts them), output shapes, return_state, and one node
// per application.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import { summarize } from "../../../src/analysis/summary";

/** Analyses `body` after the keras imports; no warning or error but the `expected` codes. */
function run(body: string, expected: string[] = [], imports = "import keras\nfrom keras import layers") {
  const text = `${imports}\n\n${body}`;
  const r = analyze({ file: "model.py", text, entry: "build()" });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.code), expected);
  return { s: summarize(r.ir!, r.diagnostics), ir: r.ir!, diagnostics: r.diagnostics };
}

test("Input(10, 8) -> LSTM(4, return_sequences=True) -> Bidirectional(GRU(2)): 208 + 96 params", () => {
  const { s, ir } = run(`
def build():
    inputs = keras.Input(shape=(10, 8))
    x = layers.LSTM(4, return_sequences=True)(inputs)
    x = layers.Bidirectional(layers.GRU(2))(x)
    return keras.Model(inputs, x)
`);
  assert.deepEqual(s.output, [[null, 4]]);
  assert.equal(s.totals.params, 304);
  const lstm = ir.nodes.find((n) => n.op === "LSTM")!;
  // 4 * (4 * (8 + 4) + 4) = 208; per step 4*4*(8+4) = 192 MACs, times 10 steps.
  assert.deepEqual(lstm.shape, [null, 10, 4]);
  assert.equal(lstm.params, 208);
  assert.equal(lstm.macs, 1920);
  assert.equal(lstm.category, "dense");
  assert.equal(lstm.attrs.units, 4);
  assert.equal(lstm.attrs.return_sequences, true);
  assert.equal(lstm.attrs.input_size, 8);
  const bi = ir.nodes.find((n) => n.op === "Bidirectional")!;
  // GRU reset_after: 3 * (2 * (4 + 2) + 2 * 2) = 48, one forward and one backward copy.
  assert.equal(bi.params, 96);
  assert.equal(bi.macs, 2 * 10 * 3 * 2 * (4 + 2));
  assert.equal(bi.attrs.layer, "GRU");
  assert.equal(bi.attrs.merge_mode, "concat");
  assert.equal(bi.attrs.bidirectional, true);
  assert.equal(ir.nodes.some((n) => n.op === "GRU"), false, "the wrapped GRU is not a node of its own");
});

test("SimpleRNN(16) on (None, 20, 3): 16*19 + 16 = 320 params, 2D output", () => {
  const { s, ir } = run(`
def build():
    inputs = keras.Input((20, 3))
    return keras.Model(inputs, layers.SimpleRNN(16)(inputs))
`);
  assert.equal(s.totals.params, 320);
  assert.deepEqual(s.output, [[null, 16]]);
  const rnn = ir.nodes.find((n) => n.op === "SimpleRNN")!;
  assert.equal(rnn.macs, 20 * 16 * 19);
  assert.equal(rnn.attrs.activation, "tanh");
});

test("GRU reset_after=False, use_bias=False, and unknown timesteps", () => {
  const { ir } = run(`
def build():
    a = keras.Input((None, 10))
    b = keras.Input((7, 10))
    x = layers.GRU(8, reset_after=False)(a)
    y = layers.GRU(8, use_bias=False)(b)
    z = layers.LSTM(8, use_bias=False, return_sequences=True)(b)
    return keras.Model([a, b], [x, y, z])
`);
  const [x, y] = ir.nodes.filter((n) => n.op === "GRU");
  const z = ir.nodes.find((n) => n.op === "LSTM")!;
  assert.equal(x.params, 3 * (8 * (10 + 8) + 8)); // 456
  assert.equal(x.macs, 0, "unknown timesteps: no MAC count");
  assert.equal(y.params, 3 * 8 * (10 + 8)); // 432
  assert.equal(y.macs, 7 * 3 * 8 * 18);
  assert.equal(z.params, 4 * 8 * 18);
  assert.deepEqual(z.shape, [null, 7, 8]);
});

test("return_state: LSTM gives [output, h, c], GRU [output, h]; initial_state links encoder and decoder", () => {
  const { s, ir } = run(`
def build():
    enc_in = keras.Input((12, 5))
    dec_in = keras.Input((9, 6))
    seq, h, c = layers.LSTM(16, return_sequences=True, return_state=True)(enc_in)
    dec = layers.LSTM(16, return_sequences=True)(dec_in, initial_state=[h, c], training=True)
    g_out, g_h = layers.GRU(4, return_state=True)(dec)
    return keras.Model([enc_in, dec_in], [seq, h, c, dec, g_out, g_h])
`);
  assert.deepEqual(s.output, [[null, 12, 16], [null, 16], [null, 16], [null, 9, 16], [null, 4], [null, 4]]);
  // encoder 4*(16*21+16) = 1,408; decoder 4*(16*22+16) = 1,472; GRU 3*(4*20+8) = 264.
  assert.equal(s.totals.params, 1408 + 1472 + 264);
  const states = ir.nodes.filter((n) => n.op === "state_h" || n.op === "state_c").map((n) => n.name);
  assert.deepEqual(states, ["lstm_state_h", "lstm_state_c", "gru_state_h"]);
  const dec = ir.nodes.find((n) => n.name === "lstm_1")!;
  assert.equal(dec.inputs.length, 3, "the decoder reads its input and both encoder states");
});

test("an initial state of the wrong size is a located shape-mismatch", () => {
  const { diagnostics } = run(`
def build():
    x = keras.Input((4, 3))
    h = keras.Input((5,))
    return keras.Model([x, h], layers.GRU(8)(x, initial_state=h))
`, ["shape-mismatch"]);
  const d = diagnostics.find((e) => e.code === "shape-mismatch")!;
  assert.match(d.message, /^GRU 'gru' expects initial state 0 of shape \(None, 8\), got shape \(None, 5\)/);
  assert.equal(d.range.start.line, 7, "at the call, line 8");
});

test("a recurrent layer on a 2D input is a located shape-mismatch naming both shapes", () => {
  const { diagnostics } = run(`
def build():
    x = keras.Input((8,))
    return keras.Model(x, layers.LSTM(4)(x))
`, ["shape-mismatch"]);
  const d = diagnostics.find((e) => e.code === "shape-mismatch")!;
  assert.match(d.message, /^LSTM 'lstm' expects a 3D input of shape \(batch, timesteps, features\), got shape \(None, 8\)/);
  assert.equal(d.range.start.line, 6, "at the call, line 7");
});

test("Bidirectional merge_mode 'sum' keeps units; None returns forward and backward outputs", () => {
  const { s, ir } = run(`
def build():
    x = keras.Input((6, 3))
    a = layers.Bidirectional(layers.SimpleRNN(5, return_sequences=True), merge_mode="sum")(x)
    f, b = layers.Bidirectional(layers.LSTM(2), merge_mode=None)(x)
    return keras.Model(x, [a, f, b])
`);
  assert.deepEqual(s.output, [[null, 6, 5], [null, 2], [null, 2]]);
  // 2 x (5*8 + 5) + 2 x 4*(2*5 + 2)
  assert.equal(s.totals.params, 90 + 96);
  assert.equal(ir.nodes.filter((n) => n.op === "Bidirectional").length, 2);
});

test("Bidirectional with return_state returns output, forward states, backward states; backward_layer may differ", () => {
  const { s } = run(`
def build():
    x = keras.Input((6, 3))
    out, fh, fc, bh, bc = layers.Bidirectional(layers.LSTM(4, return_state=True))(x)
    y = layers.Bidirectional(layers.GRU(2, return_sequences=True), backward_layer=layers.GRU(3, return_sequences=True, go_backwards=True))(x)
    return keras.Model(x, [out, fh, fc, bh, bc, y])
`);
  assert.deepEqual(s.output, [[null, 8], [null, 4], [null, 4], [null, 4], [null, 4], [null, 6, 5]]);
  // LSTM 2 x 4*(4*7+4) = 256; GRU(2) 3*(2*5+4) = 42 + GRU(3) 3*(3*6+6) = 72.
  assert.equal(s.totals.params, 256 + 42 + 72);
});

test("TimeDistributed(Dense(3)) on (5, 16): one node, 51 params, MACs times the steps", () => {
  const { s, ir } = run(`
def build():
    x = keras.Input((5, 16))
    return keras.Model(x, layers.TimeDistributed(layers.Dense(3))(x))
`);
  assert.deepEqual(s.output, [[null, 5, 3]]);
  assert.equal(s.totals.params, 51);
  const td = ir.nodes.find((n) => n.op === "TimeDistributed")!;
  assert.equal(td.macs, 5 * 16 * 3);
  assert.equal(td.attrs.layer, "Dense");
  assert.equal(td.category, "dense");
  assert.equal(ir.nodes.some((n) => n.op === "Dense"), false, "the wrapped Dense is not a node of its own");
});

test("TimeDistributed(Conv2D(8, 3)) on (4, 32, 32, 3): (None, 4, 30, 30, 8), 224 params, a conv node", () => {
  const { s, ir } = run(`
def build():
    x = keras.Input((4, 32, 32, 3))
    return keras.Sequential([x, layers.TimeDistributed(layers.Conv2D(8, 3))])
`);
  assert.deepEqual(s.output, [[null, 4, 30, 30, 8]]);
  assert.equal(s.totals.params, 224);
  const td = ir.nodes.find((n) => n.op === "TimeDistributed")!;
  assert.equal(td.category, "conv");
  assert.equal(td.macs, 4 * 30 * 30 * 9 * 3 * 8);
});

test("tf.keras import path and a Sequential LSTM stack with input_shape", () => {
  const { s } = run(`
def build():
    return tf.keras.Sequential([
        layers.Embedding(1000, 32, input_shape=(20,)),
        layers.Bidirectional(layers.LSTM(64, return_sequences=True)),
        layers.LSTM(32, dropout=0.2, recurrent_dropout=0.2, unroll=False),
        layers.Dense(1, activation="sigmoid"),
    ])
`, [], "import tensorflow as tf\nfrom tensorflow.keras import layers");
  assert.deepEqual(s.output, [[null, 1]]);
  // Embedding 32,000; BiLSTM 2 x 4*(64*96+64) = 49,664; LSTM 4*(32*160+32) = 20,608; Dense 33.
  assert.equal(s.totals.params, 32000 + 49664 + 20608 + 33);
});

test("RNN(LSTMCell(8)) equals LSTM(8); a cell is not a node of its own", () => {
  const { s, ir } = run(`
def build():
    x = keras.Input((5, 4))
    a = layers.RNN(layers.LSTMCell(8), return_sequences=True)(x)
    b = layers.Bidirectional(layers.RNN(layers.GRUCell(3)))(a)
    return keras.Model(x, b)
`);
  assert.deepEqual(s.output, [[null, 6]]);
  // 4*(8*12 + 8) = 416; 2 x 3*(3*11 + 6) = 234.
  assert.equal(s.totals.params, 416 + 234);
  const rnn = ir.nodes.find((n) => n.op === "RNN")!;
  assert.equal(rnn.attrs.cell, "LSTMCell");
  assert.deepEqual(rnn.shape, [null, 5, 8]);
  assert.equal(ir.nodes.some((n) => n.op.endsWith("Cell")), false);
});

test("TimeDistributed around a model is an opaque pass-through node whose model weights still count", () => {
  const { s, ir } = run(`
def build():
    frame = keras.Input((8, 8, 3))
    cnn = keras.Model(frame, layers.GlobalAveragePooling2D()(layers.Conv2D(4, 3)(frame)))
    x = keras.Input((6, 8, 8, 3))
    return keras.Model(x, layers.TimeDistributed(cnn)(x))
`, ["unsupported"]);
  const td = ir.nodes.find((n) => n.op === "TimeDistributed")!;
  assert.equal(td.category, "opaque");
  assert.match(td.opaque ?? "", /^TimeDistributed 'time_distributed' wraps Model 'functional', which is not a builtin Keras layer/);
  assert.deepEqual(s.output, [[null, 6, 8, 8, 3]]);
  assert.equal(s.totals.params, 3 * 3 * 3 * 4 + 4);
});

test("LSTM with input_shape starts a Sequential model", () => {
  const { s } = run(`
def build():
    return keras.Sequential([layers.LSTM(4, input_shape=(10, 8)), layers.Dense(1)])
`);
  assert.deepEqual(s.output, [[null, 1]]);
  assert.equal(s.totals.params, 208 + 5);
});
