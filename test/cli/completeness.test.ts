// Totals that are lower bounds say so beside the number, in the table and in --json; an empty graph
// is printed but exits 1; a candidate that just failed is never suggested.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../src/analyze";
import { runCli } from "../../src/cli/run";
import type { AnalyzerResult } from "../../src/cli/analyzer";
import { fakeIO } from "./cli-fixtures";

const UNKNOWN_WIDTH = `import pandas as pd
from tensorflow import keras
from tensorflow.keras import layers

df = pd.read_csv("heart.csv")
n_features = df.shape[1] - 1          # unknown statically

inp = layers.Input(shape=(n_features,))
x = layers.Dense(32, activation="relu")(inp)
out = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inp, out)
`;

function real(files: Record<string, string>) {
  const run = fakeIO(files, (o) => analyze(o));
  return run;
}

test("a layer counted as 0 marks Total params and MACs as incomplete, in the table and the JSON", () => {
  const table = real({ "heart.py": UNKNOWN_WIDTH });
  assert.equal(runCli(["summary", "heart.py"], table.io), 0);
  const lines = table.out().split("\n");
  assert.ok(lines.includes("Total params: 33 (incomplete: 1 layer's parameters unknown)"), table.out());
  assert.ok(lines.includes("MACs: 32 (32) (incomplete: 1 layer's MACs unknown)"), table.out());
  assert.ok(lines.includes("Trainable params: 33"));

  const json = real({ "heart.py": UNKNOWN_WIDTH });
  assert.equal(runCli(["summary", "heart.py", "--json"], json.io), 0);
  const summary = JSON.parse(json.out());
  assert.equal(summary.totals.params, 33);
  assert.deepEqual(summary.completeness, {
    complete: false,
    params: ["1 layer's parameters unknown"],
    macs: ["1 layer's MACs unknown"],
    emptyGraph: false,
  });
});

test("a layer sized only at the --input size: exact totals and no warning; without --input, the warning and the note", () => {
  const text = `import keras
from keras import layers
inputs = keras.Input(shape=(None,))
x = layers.Dense(10)(inputs)
outputs = layers.Dense(2)(x)
model = keras.Model(inputs, outputs)
`;
  const sized = real({ "f.py": text });
  assert.equal(runCli(["summary", "f.py", "--input", "1,20"], sized.io), 0);
  assert.equal(sized.err(), "");
  const lines = sized.out().split("\n");
  assert.ok(lines.includes("Total params: 232"), sized.out());
  assert.ok(lines.includes("MACs: 220 (220)"), sized.out());

  const open = real({ "f.py": text });
  assert.equal(runCli(["summary", "f.py"], open.io), 0);
  assert.equal(
    open.err(),
    "f.py:4:5: warning: Dense 'dense' needs a known last input dimension, got shape (None, None); its weights are counted as 0. [unsized-weights]\n",
  );
  assert.ok(open.out().split("\n").includes("Total params: 22 (incomplete: 1 layer's parameters unknown)"), open.out());
  assert.ok(open.out().split("\n").includes("MACs: 20 (20) (incomplete: 1 layer's MACs unknown)"), open.out());
});

test("an empty graph prints its table, marked, and exits 1 with a sentence", () => {
  const text = `import keras
import numpy as np

data = np.load("x.npy")
inp = keras.Input(shape=data.shape[1:])
model = keras.Model(inp, keras.layers.Dense(3)(inp))
`;
  const run = real({ "empty.py": text });
  assert.equal(runCli(["summary", "empty.py"], run.io), 1);
  assert.ok(run.out().includes("\nTotal params: 0 (incomplete: empty graph)\n"), run.out());
  assert.ok(run.out().includes("\nMACs: 0 (0) (incomplete: empty graph)\n"), run.out());
  assert.ok(
    run.err().endsWith(`The graph of functional (entry "model") has no layers: nothing between its inputs and outputs could be analysed; see the messages above.\n`),
    run.err(),
  );
});

test("the suggestion skips candidates that built no graph, and says so when none is left", () => {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  const result = (failed: string[]): AnalyzerResult => ({
    ir: null,
    diagnostics: [],
    entries: [
      { expr: "wgan", label: "wgan", kind: "assignment", framework: "keras", range },
      { expr: "g_model", label: "g_model", kind: "assignment", framework: "keras", range },
    ],
    failedEntries: failed,
  });
  const one = fakeIO({ "gan.py": "" }, result(["wgan"]));
  assert.equal(runCli(["summary", "gan.py"], one.io), 1);
  assert.equal(
    one.err(),
    [
      "No model could be analysed in gan.py.",
      "Candidate entries:",
      "  wgan     wgan (assignment, builds no graph)",
      "  g_model  g_model (assignment)",
      'Pick one with --entry, e.g. resgraph summary gan.py --entry "g_model".',
      "",
    ].join("\n"),
  );
  const all = fakeIO({ "gan.py": "" }, result(["wgan", "g_model"]));
  assert.equal(runCli(["summary", "gan.py"], all.io), 1);
  assert.ok(all.err().endsWith("\nNone of them builds a graph; the messages above say why. Name another expression that builds the model with --entry.\n"), all.err());
  // An explicit entry that failed is not suggested back either.
  const explicit = fakeIO({ "gan.py": "" }, result([]));
  assert.equal(runCli(["summary", "gan.py", "--entry", "wgan"], explicit.io), 1);
  assert.ok(explicit.err().endsWith('\nPick one with --entry, e.g. resgraph summary gan.py --entry "g_model".\n'), explicit.err());
});

test("a dense layer after a reshape to a size read at run time: MACs are marked as a lower bound, not silently complete", () => {
  const text = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

class Heads(layers.Layer):
    def __init__(self):
        super().__init__()
        self.proj = layers.Dense(64)

    def call(self, x):
        batch_size = tf.shape(x)[0]
        x = tf.reshape(x, (batch_size, -1, 64))
        return self.proj(x)

inputs = layers.Input(shape=(100, 64))
model = keras.Model(inputs, Heads()(inputs))
`;
  const run = real({ "heads.py": text });
  assert.equal(runCli(["summary", "heads.py", "--json"], run.io), 0);
  const summary = JSON.parse(run.out());
  assert.equal(summary.totals.params, 4160);
  assert.deepEqual(summary.completeness, { complete: false, params: [], macs: ["1 layer's MACs unknown (size open)"], emptyGraph: false });
});
