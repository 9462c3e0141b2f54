// tf.nn.depth_to_space / space_to_depth in a Keras model run in the profiler with TensorFlow's channel
// order: one seeded pass compared with the definition, element by element, on the plan's own input.

import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBackend } from "../../backends/registry";
import { buildPlan, consumerCounts, disposeOutputs, disposePlan, runPass, type TfTensor } from "../../src/profile";
import { irOf } from "./helpers";

const MODEL = `
import tensorflow as tf
from tensorflow import keras

inputs = keras.Input(shape=(2, 3, 8))
up = tf.nn.depth_to_space(inputs, 2)
model = keras.Model(inputs, [up, tf.nn.space_to_depth(up, 2)])
`;

const nested = (t: TfTensor) => (t as unknown as { arraySync(): number[][][][] }).arraySync();

test("depth_to_space puts channel (i*b + j)*C' + c at (h*b + i, w*b + j); space_to_depth undoes it", async () => {
  const { tf } = await loadBackend("cpu");
  const ir = irOf("d2s.py", "model", undefined, MODEL);
  const plan = buildPlan(tf, ir, { batch: 1, seed: 3 });
  try {
    assert.deepEqual(plan.skipped, []);
    const outs = runPass(plan, consumerCounts(plan));
    try {
      const x = nested(plan.constants.get(ir.inputs[0])!)[0];
      const [up, back] = outs.map((t) => nested(t)[0]);
      assert.deepEqual([up.length, up[0].length, up[0][0].length], [4, 6, 2]);
      for (let h = 0; h < 2; h++)
        for (let w = 0; w < 3; w++)
          for (let i = 0; i < 2; i++)
            for (let j = 0; j < 2; j++)
              for (let c = 0; c < 2; c++) assert.equal(up[h * 2 + i][w * 2 + j][c], x[h][w][(i * 2 + j) * 2 + c]);
      assert.deepEqual(back, x);
    } finally {
      disposeOutputs(plan, outs);
    }
  } finally {
    disposePlan(plan);
  }
});
