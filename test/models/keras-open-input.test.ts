// Keras models whose Input leaves height and width open (None): their convs' MACs are unknown, and
// the analysis says so once; a given input size (--input) runs the model again at that size, the
// way Keras runs a functional model called on new tensors.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../src/analyze";
import { summarize } from "../../src/analysis/summary";

function run(text: string, input: number[][] | undefined, expected: string[]) {
  const r = analyze({ file: "model.py", text, entry: "build()", input });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.code), expected);
  return { s: summarize(r.ir!, r.diagnostics), ir: r.ir!, diagnostics: r.diagnostics };
}

const OPEN = `
import keras
from keras import layers


def build():
    inp = keras.Input((None, None, 3))
    x = layers.Conv2D(8, 3)(inp)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inp, layers.Dense(2)(x))
`;

test("open spatial dims: one warning that the conv's MACs count as 0, and how to give a size", () => {
  const { s, diagnostics } = run(OPEN, undefined, ["open-input-size"]);
  assert.equal(s.totals.macs, 16);
  const warning = diagnostics.find((d) => d.code === "open-input-size")!;
  assert.match(warning.message, /In model 'functional', 1 conv\/dense layer or nested model \('conv2d'\) has an unknown output size because the input size is open \(\(None, None, None, 3\)\); its MACs are counted as 0/);
  assert.match(warning.message, /keras\.Input\(shape=\(224, 224, 3\)\).*--input 1,224,224,3/);
});

test("--input 1,32,32,3 on an open Input: the model runs again at 32x32; parameters stay", () => {
  const { s, ir } = run(OPEN, [[1, 32, 32, 3]], []);
  assert.deepEqual(s.input, [[null, 32, 32, 3]]);
  assert.deepEqual(ir.nodes.map((n) => n.shape), [[null, 32, 32, 3], [null, 30, 30, 8], [null, 8], [null, 2]]);
  assert.deepEqual(ir.nodes[1].inputShapes, [[null, 32, 32, 3]]);
  // 30 * 30 * 8 outputs of 3 * 3 * 3 MACs, and the Dense's 8 * 2.
  assert.equal(s.totals.macs, 194400 + 16);
  assert.equal(s.totals.params, 242);
  assert.equal(ir.nodes[1].params, 224);
});

test("an input shape that does not fit the declared one is ignored, with a warning", () => {
  const { s } = run(OPEN, [[1, 3, 32, 32]], ["input-mismatch", "open-input-size"]);
  assert.deepEqual(s.input, [[null, null, null, 3]]);
  const fixed = OPEN.replace("(None, None, 3)", "(64, 64, 3)");
  assert.deepEqual(run(fixed, [[1, 32, 32, 3]], ["input-mismatch"]).s.input, [[null, 64, 64, 3]]);
});

test("the re-run goes through user layers, keras.ops and tensor operators (MobileNetV3-style)", () => {
  const text = `
import keras
from keras import layers, ops


class Squeeze(layers.Layer):
    def __init__(self, channels):
        super().__init__()
        self.fc = layers.Dense(channels)

    def call(self, x):
        s = ops.mean(x, axis=(1, 2), keepdims=True)
        return x * self.fc(s)


def hard_swish(x):
    return x * layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def build():
    inp = keras.Input((None, None, 3))
    x = layers.Conv2D(8, 3, padding="same")(inp)
    x = hard_swish(Squeeze(8)(x))
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inp, layers.Dense(2)(x))
`;
  const { s, ir } = run(text, [[1, 16, 16, 3]], []);
  // Conv 16 * 16 * 8 * 27, the squeeze's Dense 8 * 8 on the pooled map, the head 8 * 2.
  assert.equal(s.totals.macs, 55296 + 64 + 16);
  assert.ok(ir.nodes.filter((n) => n.op !== "InputLayer" && n.shape?.length === 4).every((n) => n.shape![1] === 16 || n.shape![1] === 1));
});

test("a model whose layers do something else at the new size keeps its open dims and says why", () => {
  const text = `
import keras
from keras import layers


class Adaptive(layers.Layer):
    def __init__(self):
        super().__init__()
        self.conv = layers.Conv2D(4, 3)

    def call(self, x):
        if x.shape[1] is None:
            return self.conv(x)
        return self.conv(layers.ZeroPadding2D(1)(x))


def build():
    inp = keras.Input((None, None, 3))
    return keras.Model(inp, layers.GlobalAveragePooling2D()(Adaptive()(inp)))
`;
  const { diagnostics } = run(text, [[1, 8, 8, 3]], ["input-rerun", "open-input-size"]);
  assert.match(diagnostics.find((d) => d.code === "input-rerun")!.message, /could not be run again at the given input shape \(1, 8, 8, 3\): a layer or function made different nodes/);
});

test("a headless keras.applications base without input_shape, applied to 224x224 images, runs at 224", () => {
  const text = `
import keras
from keras import layers


def build():
    base = keras.applications.MobileNetV2(include_top=False, weights="imagenet")
    base.trainable = False
    inputs = keras.Input((224, 224, 3))
    x = layers.Flatten()(base(inputs, training=False))
    return keras.Model(inputs, layers.Dense(10)(x))
`;
  const { s, ir } = run(text, undefined, []);
  // The base runs again on the 224x224 tensors, inlined under its own name, as Keras runs it.
  assert.equal(ir.nodes.some((n) => n.op === "Functional"), false);
  const inlined = ir.nodes.filter((n) => n.id.startsWith("mobilenetv2_1.00_"));
  assert.deepEqual(inlined[inlined.length - 1].shape, [null, 7, 7, 1280]);
  // MobileNetV2's 300,774,272 MACs at 224 less its 1280 x 1000 classifier, then the new head.
  assert.equal(inlined.reduce((sum, n) => sum + n.macs, 0), 300774272 - 1280 * 1000);
  assert.equal(inlined.reduce((sum, n) => sum + n.params, 0), 2257984, "each inlined layer shows its own weights");
  assert.equal(s.totals.params, 2257984 + 7 * 7 * 1280 * 10 + 10);
  assert.equal(s.totals.trainableParams, 7 * 7 * 1280 * 10 + 10);
  assert.equal(s.totals.macs, 300774272 - 1280 * 1000 + 7 * 7 * 1280 * 10);
  assert.equal(s.residualBlocks.length, 10);
});
