// ConvLSTM1D / 2D / 3D: Keras's weights (kernel (*k, in, 4f), recurrent_kernel (*k, f, 4f), bias 4f),
// output shapes for return_sequences, return_state, strides, padding and channels_first, and MACs of
// the input and recurrent convolutions over every time step.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeKeras } from "./helpers";

const IMPORTS = "from tensorflow import keras\nfrom tensorflow.keras import layers";

test("two ConvLSTM2D on (None, None, 64, 64, 1): 416,256 + 33,024 params, (None, 64, 64, 64) out", () => {
  const r = analyzeKeras(IMPORTS, `
inp = keras.Input(shape=(None, 64, 64, 1))
x = layers.ConvLSTM2D(64, (5, 5), padding="same", return_sequences=True)(inp)
x = layers.ConvLSTM2D(64, (1, 1), padding="same", return_sequences=False)(x)
model = keras.Model(inp, x)
`);
  assert.deepEqual(r.shapes("ConvLSTM2D"), [[null, null, 64, 64, 64], [null, 64, 64, 64]]);
  assert.equal(r.paramsOf("conv_lstm2d"), 416_256);
  assert.equal(r.paramsOf("conv_lstm2d_1"), 33_024);
  assert.equal(r.ir.paramTotals.params, 449_280);
  assert.equal(r.node("conv_lstm2d")!.category, "conv");
  // The sequence length is open: MACs are not counted (as for LSTM), and the open size is said once.
  assert.equal(r.node("conv_lstm2d")!.macs, 0);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0], /^In model 'functional', 1 conv\/dense layer or nested model \('conv_lstm2d'\) has an unknown output size/);
});

test("strides and valid padding shrink each step's output; return_state gives state_h and state_c; MACs per step", () => {
  const r = analyzeKeras(IMPORTS, `
inp = keras.Input(shape=(10, 16, 16, 3))
out, h, c = layers.ConvLSTM2D(8, 3, strides=2, return_state=True)(inp)
model = keras.Model(inp, [out, h, c])
`);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.output, [[null, 7, 7, 8], [null, 7, 7, 8], [null, 7, 7, 8]]);
  // 4 * 8 * (9 * (3 + 8) + 1)
  assert.equal(r.paramsOf("conv_lstm2d"), 3_200);
  // 10 steps x 7 * 7 positions x 9 taps x 32 gate channels x (3 input + 8 state channels)
  assert.equal(r.node("conv_lstm2d")!.macs, 10 * 49 * 9 * 32 * 11);
});

test("ConvLSTM1D, ConvLSTM3D and channels_first", () => {
  const r = analyzeKeras(IMPORTS, `
a = keras.Input(shape=(5, 20, 2))
b = keras.Input(shape=(4, 8, 8, 8, 1))
c = keras.Input(shape=(3, 2, 10, 10))
model = keras.Model([a, b, c], [
    layers.ConvLSTM1D(4, 3, padding="same", return_sequences=True)(a),
    layers.ConvLSTM3D(2, (3, 3, 3), padding="same")(b),
    layers.ConvLSTM2D(6, 3, padding="same", data_format="channels_first", return_sequences=True)(c),
])
`);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.output, [[null, 5, 20, 4], [null, 8, 8, 8, 2], [null, 3, 6, 10, 10]]);
  assert.equal(r.paramsOf("conv_lstm1d"), 304);
  assert.equal(r.paramsOf("conv_lstm3d"), 656);
  assert.equal(r.paramsOf("conv_lstm2d"), 1_752);
  assert.equal(r.node("conv_lstm1d")!.macs, 5 * 20 * 3 * 16 * (2 + 4));
});

test("a ConvLSTM2D on a 3D input is a shape mismatch; strides with dilation is refused as Keras refuses it", () => {
  const r = analyzeKeras(IMPORTS, `
inp = keras.Input(shape=(10, 16))
x = layers.ConvLSTM2D(4, 3)(inp)
y = layers.ConvLSTM2D(4, 3, strides=2, dilation_rate=2)
model = keras.Model(inp, x)
`);
  assert.deepEqual(r.diagnostics, [
    "6: ConvLSTM2D 'conv_lstm2d' expects a 5D input (batch, time, 2 spatial dims, channels), got shape (None, 10, 16) (line 6).",
    "7: ConvLSTM2D: strides > 1 is not compatible with dilation_rate > 1, got strides=(2, 2) and dilation_rate=(2, 2) (line 7). The statement was skipped.",
  ]);
});

test("conv layers and ConvLSTM check their shared arguments in one order, each with its own paddings and messages", () => {
  const r = analyzeKeras(`${IMPORTS}\nimport wandb`, `
inp = keras.Input(shape=(10, 16, 16, 3))
a = layers.Conv2D(8, 3, padding="full", strides=(1, 2, 3))
b = layers.ConvLSTM2D(8, 3, padding="causal", strides=(1, 2, 3))
c = layers.Conv2D(8, (3, 3, 3), strides=(1, 2, 3))
d = layers.ConvLSTM2D(8, (3, 3, 3), strides=(1, 2, 3))
e = layers.Conv2D(8, 3, dilation_rate="2", groups="two", data_format=4)
f = layers.Conv2D(8, 3, groups="two", use_bias=wandb.config.bias, data_format=4)
g = layers.ConvLSTM2D(8, 3, use_bias=wandb.config.bias, data_format=4)
h = layers.ConvLSTM2D(8, 3, data_format=4, return_sequences=wandb.config.seq)
i = layers.ConvLSTM2D(8, 3, strides=2, dilation_rate=2)
causal = layers.Conv1D(4, 3, padding="causal")
x = layers.ConvLSTM2D(8, 3, data_format="channels_last")(inp)
model = keras.Model(inp, x)
`);
  const unknownBias = "A condition depends on a value the analyzer cannot know (wandb.config.bias)";
  assert.deepEqual(r.diagnostics, [
    "7: Padding must be \"valid\" or \"same\", got 'full' (line 7). The statement was skipped.",
    "8: ConvLSTM2D: padding must be \"valid\" or \"same\", got 'causal' (line 8). The statement was skipped.",
    "9: 'kernel_size' must have 2 values, got 3 (line 9). The statement was skipped.",
    "10: 'kernel_size' must have 2 values, got 3 (line 10). The statement was skipped.",
    "11: 'dilation_rate' must be an integer, got '2' (line 11). The statement was skipped.",
    "12: 'groups' must be an integer, got 'two' (line 12). The statement was skipped.",
    `13: ${unknownBias} (line 13). The statement was skipped.`,
    "14: 'data_format' must be a string, got 4 (line 14). The statement was skipped.",
    "15: ConvLSTM2D: strides > 1 is not compatible with dilation_rate > 1, got strides=(2, 2) and dilation_rate=(2, 2) (line 15). The statement was skipped.",
  ]);
  assert.equal(r.ir.paramTotals.params, 4 * 8 * (9 * (3 + 8) + 1));
});
