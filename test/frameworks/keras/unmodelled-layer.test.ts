// A layer class from a package the analyzer does not model (tensorflow_addons), called on a KerasTensor:
// an opaque layer that passes its input's shape through, with one warning naming the class, its
// weights marked unknown, so the model after it is still built and the totals say they are a lower bound.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import { summarize } from "../../../src/analysis/summary";
import { completenessOf } from "../../../src/cli/completeness";

const MODEL = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
import tensorflow_addons as tfa

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(16, 3, padding="same")(inputs)
y = tfa.layers.InstanceNormalization()(x)
y = layers.Activation("relu")(y)
y = layers.Conv2D(16, 3, padding="same")(y)
y = tfa.layers.InstanceNormalization(epsilon=1e-5)(y)
outputs = layers.add([x, y])
model = keras.Model(inputs, outputs)
`;

test("an unmodelled package's layer on a KerasTensor is an opaque layer marked paramsUnknown: the graph and its residual block stay", () => {
  const r = analyze({ file: "m.py", text: MODEL, entry: "model" });
  const ir = r.ir!;
  assert.deepEqual(
    ir.nodes.map((n) => [n.id, n.op, n.shape, n.params, n.paramsUnknown ?? false]),
    [
      ["input_layer", "InputLayer", [null, 32, 32, 3], 0, false],
      ["conv2d", "Conv2D", [null, 32, 32, 16], 448, false],
      ["instance_normalization", "InstanceNormalization", [null, 32, 32, 16], 0, true],
      ["activation", "Activation", [null, 32, 32, 16], 0, false],
      ["conv2d_1", "Conv2D", [null, 32, 32, 16], 2320, false],
      ["instance_normalization_1", "InstanceNormalization", [null, 32, 32, 16], 0, true],
      ["add", "Add", [null, 32, 32, 16], 0, false],
    ],
  );
  assert.equal(ir.paramTotals.params, 2768);
  assert.equal(summarize(ir, r.diagnostics).residualBlocks.length, 1);
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity !== "info").map((d) => [d.range.start.line + 1, d.code, d.message]),
    [
      [8, "unsupported", "Unknown layer class 'tensorflow_addons.layers.InstanceNormalization': shown as an opaque layer whose output is assumed to have its input's shape; its weights, if any, are not counted, and a shape error after it may come from that assumption."],
    ],
  );
  const c = completenessOf(ir, r.diagnostics);
  assert.deepEqual([c.params, c.macs], [["2 layers' parameters unknown"], ["2 opaque nodes"]]);
});
