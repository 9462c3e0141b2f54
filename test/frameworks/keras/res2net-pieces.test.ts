// Keras code that splits a tensor into pieces: `x[..., a:b]` records its index on the get_item node, as
// the torch stub records getitem's, so the residual analysis tells sibling pieces apart. Res2Net's
// hierarchical `conv(piece0) + piece1` is a split-transform-merge, not a shortcut; `x + conv(x)` is one.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../../src/analyze";
import { analyzeGraph } from "../../../src/analysis/summary";

/** A Res2Net Bottle2neck (timm's, narrowed) whose pieces come from `pieces(out)`. */
function res2net(pieces: string): string {
  return `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

def bottle2neck(x, width=2, scale=4):
    shortcut = x
    out = layers.ReLU()(layers.Conv2D(width * scale, 1, use_bias=False)(x))
    spx = ${pieces}
    spo = []
    for i in range(scale - 1):
        sp = spx[i] if i == 0 else sp + spx[i]
        sp = layers.ReLU()(layers.Conv2D(width, 3, padding="same", use_bias=False)(sp))
        spo.append(sp)
    spo.append(spx[-1])
    out = layers.Conv2D(x.shape[-1], 1, use_bias=False)(layers.Concatenate()(spo))
    return layers.ReLU()(out + shortcut)

inputs = keras.Input(shape=(8, 8, 16))
model = keras.Model(inputs, bottle2neck(inputs))
`;
}

function blocksOf(text: string) {
  const r = analyze({ file: "res2net.py", text, entry: "model" });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
  return { params: r.ir.paramTotals.params, blocks: analyzeGraph(r.ir).blocks, ir: r.ir };
}

test("Res2Net in Keras: the adds of sibling pieces are no blocks, by tf.split or by slicing; the outer shortcut is", () => {
  const cases = {
    split: "tf.split(out, scale, axis=-1)",
    slices: "[out[..., i * width:(i + 1) * width] for i in range(scale)]",
  };
  for (const [how, pieces] of Object.entries(cases)) {
    const { params, blocks } = blocksOf(res2net(pieces));
    // conv1 16 * 8 = 128, three 3x3 convs 3 * 2 * 2 * 9 = 108, conv3 8 * 16 = 128.
    assert.equal(params, 364, how);
    assert.deepEqual(
      blocks.map((b) => [b.forkNode, b.mergeNode, b.shortcut, b.shortcutPath, b.weightedLayers, b.params]),
      [["input_layer", "add_2", "identity", [], 5, 364]],
      how,
    );
  }
});

test("a slice records its index in the torch stub's form; x + conv(x) on the whole tensor is a block", () => {
  const { ir, blocks } = blocksOf(`import keras
from keras import layers

inputs = keras.Input(shape=(8, 8, 4))
x = layers.Conv2D(4, 3, padding="same")(inputs[..., :4])
y = x + layers.Conv2D(4, 3, padding="same")(x)
model = keras.Model(inputs, y[:, 1:, ::2, None])
`);
  assert.deepEqual(
    ir.nodes.filter((n) => n.op === "get_item").map((n) => [n.shape, n.attrs.index]),
    [
      [[null, 8, 8, 4], [{ kind: "ellipsis" }, { kind: "slice", start: null, stop: 4, step: null }]],
      [
        [null, 7, 4, 1, 4],
        [
          { kind: "slice", start: null, stop: null, step: null },
          { kind: "slice", start: 1, stop: null, step: null },
          { kind: "slice", start: null, stop: null, step: 2 },
          { kind: "none" },
        ],
      ],
    ],
  );
  assert.deepEqual(
    blocks.map((b) => [b.forkNode, b.mergeNode, b.shortcut, b.mainPath]),
    [["conv2d", "add", "identity", ["conv2d_1"]]],
  );
});
