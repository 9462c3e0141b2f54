// `model.layers` of a functional model in Keras's order (map_graph in keras/src/ops/function.py): by
// depth from the outputs, deepest first, ties in the order a depth-first walk from the outputs meets
// them. Code indexes it: keras.io's lstm_seq2seq rebuilds its inference models from model.layers[2..4].

import { test } from "node:test";
import assert from "node:assert/strict";
import { type PyInstance, type Value, list } from "../../../src/interp/values";
import { analyze } from "../../../src/analyze";
import { type Ctx, fakeContext, input, int, kw, make, model } from "./helpers";

function names(ctx: Ctx, m: Value): string[] {
  return (ctx.getAttr(m, "layers") as { items: PyInstance[] }).items.map((l) => (ctx.getAttr(l, "name") as { v: string }).v);
}

test("a second Input joining late comes after the deeper layers: by depth, not creation, not inputs first", () => {
  const ctx = fakeContext();
  const in1 = input(ctx, 16);
  const in2 = input(ctx, 8);
  const a = ctx.call(make(ctx, "Dense", [int(4)], { name: "a" }), [in1]);
  const b = ctx.call(make(ctx, "Dense", [int(4)], { name: "b" }), [a]);
  const c = ctx.call(make(ctx, "Dense", [int(4)], { name: "c" }), [in2]);
  const y = ctx.call(make(ctx, "Add", [], { name: "y" }), [list([b, c])]);
  const m = ctx.call(model("Model"), [list([in1, in2]), y]);
  // Depths from the output: y 0; b, c 1; a, input_layer_1 2; input_layer 3. Ties: a is met before input_layer_1.
  assert.deepEqual(names(ctx, m), ["input_layer", "a", "input_layer_1", "b", "c", "y"]);
  assert.equal((ctx.call(ctx.getAttr(m, "get_layer"), [], kw({ index: 2 })) as PyInstance).native.name, "input_layer_1");
});

test("a shared layer is listed once, at its deepest application; a Sequential used as a layer is one layer", () => {
  const ctx = fakeContext();
  const x = input(ctx, 4);
  const shared = make(ctx, "Dense", [int(4)], { name: "shared" });
  const seq = ctx.call(model("Sequential"), [list([make(ctx, "Dense", [int(4)], { name: "s1" }), make(ctx, "Dense", [int(4)], { name: "s2" })])]);
  const y = ctx.call(shared, [ctx.call(seq, [ctx.call(shared, [x])])]);
  const m = ctx.call(model("Model"), [x, y]);
  assert.deepEqual(names(ctx, m), ["input_layer", "shared", "sequential"]);
  // Three Dense(4) on 4 features, 20 each; the shared one once.
  assert.deepEqual(ctx.call(ctx.getAttr(m, "count_params"), []), int(60));
});

test("an Input the outputs do not need is still listed", () => {
  const ctx = fakeContext();
  const in1 = input(ctx, 4);
  const in2 = input(ctx, 4);
  const y = ctx.call(make(ctx, "Dense", [int(2)]), [in1]);
  assert.deepEqual(names(ctx, ctx.call(model("Model"), [list([in1, in2]), y])), ["input_layer", "input_layer_1", "dense"]);
});

// keras.io lstm_seq2seq, narrowed: the training model, then the inference models from its layers by index.
const SEQ2SEQ = `import keras

encoder_inputs = keras.Input(shape=(None, 71))
encoder = keras.layers.LSTM(256, return_state=True)
encoder_outputs, state_h, state_c = encoder(encoder_inputs)
decoder_inputs = keras.Input(shape=(None, 93))
decoder_lstm = keras.layers.LSTM(256, return_sequences=True, return_state=True)
decoder_outputs, _, _ = decoder_lstm(decoder_inputs, initial_state=[state_h, state_c])
decoder_outputs = keras.layers.Dense(93, activation="softmax")(decoder_outputs)
model = keras.Model([encoder_inputs, decoder_inputs], decoder_outputs)
assert [layer.name for layer in model.layers] == ["input_layer", "input_layer_1", "lstm", "lstm_1", "dense"]

encoder_inputs = model.input[0]
encoder_outputs, state_h_enc, state_c_enc = model.layers[2].output
encoder_model = keras.Model(encoder_inputs, [state_h_enc, state_c_enc])

decoder_inputs = model.input[1]
decoder_state_input_h = keras.Input(shape=(256,))
decoder_state_input_c = keras.Input(shape=(256,))
decoder_states_inputs = [decoder_state_input_h, decoder_state_input_c]
decoder_lstm = model.layers[3]
decoder_outputs, state_h_dec, state_c_dec = decoder_lstm(decoder_inputs, initial_state=decoder_states_inputs)
decoder_outputs = model.layers[4](decoder_outputs)
decoder_model = keras.Model([decoder_inputs] + decoder_states_inputs, [decoder_outputs, state_h_dec, state_c_dec])
`;

test("lstm_seq2seq: the inference encoder and decoder built from model.layers[2], [3], [4] have the training model's layers", () => {
  const inputs: Record<string, number[][]> = {
    model: [[1, 16, 71], [1, 59, 93]],
    encoder_model: [[1, 16, 71]],
    decoder_model: [[1, 1, 93], [1, 256], [1, 256]],
  };
  const figures = Object.entries(inputs).map(([entry, input]) => {
    const r = analyze({ file: "seq2seq.py", text: SEQ2SEQ, entry, input });
    assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
    assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
    return [entry, r.ir.paramTotals.params, r.ir.nodes.filter((n) => n.params > 0).map((n) => `${n.id} ${n.params}`)];
  });
  // LSTM(256) on 71 features: 4 * (256 * (71 + 256) + 256) = 335,872; on 93: 358,400; Dense 256 * 93 + 93 = 23,901.
  assert.deepEqual(figures, [
    ["model", 718_173, ["lstm 335872", "lstm_1 358400", "dense 23901"]],
    ["encoder_model", 335_872, ["lstm 335872"]],
    ["decoder_model", 382_301, ["lstm_1_1 358400", "dense_1 23901"]],
  ]);
});

test("keras.applications.ResNet50: a projection block lists its shortcut conv after the main path's, as Keras's summary does", () => {
  const text = `from tensorflow import keras
base = keras.applications.ResNet50(weights=None, include_top=False, input_shape=(224, 224, 3))
names = [layer.name for layer in base.layers]
assert names[:7] == ["input_layer", "conv1_pad", "conv1_conv", "conv1_bn", "conv1_relu", "pool1_pad", "pool1_pool"], names[:7]
assert names[7:19] == [
    "conv2_block1_1_conv", "conv2_block1_1_bn", "conv2_block1_1_relu",
    "conv2_block1_2_conv", "conv2_block1_2_bn", "conv2_block1_2_relu",
    "conv2_block1_0_conv", "conv2_block1_3_conv", "conv2_block1_0_bn", "conv2_block1_3_bn",
    "conv2_block1_add", "conv2_block1_out",
], names[7:19]
assert len(names) == 175 and names[-1] == "conv5_block3_out", (len(names), names[-1])
`;
  const r = analyze({ file: "resnet.py", text, entry: "base" });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
});
