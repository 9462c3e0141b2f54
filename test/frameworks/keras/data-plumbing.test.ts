// A training script's data plumbing around a model (tf.data datasets, model.history, load_img(...).size,
// ops.convert_to_numpy(model.predict(...))) is correct code: what it holds is data the analyzer does not
// load, so it is an unknown value naming that data, never a Python error blaming the code.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeKeras } from "./helpers";

const IMPORTS = "import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers";

const DATASET = "tf.data.Dataset.from_tensor_slices() makes a dataset, whose elements static analysis does not load";

test("datasets, model.history, load_img(...).size and convert_to_numpy: unknown data, warned only where iterated", () => {
  const r = analyzeKeras(IMPORTS, `
ds = tf.data.Dataset.from_tensor_slices(([1.0, 2.0], [0, 1])).batch(2).prefetch(tf.data.AUTOTUNE)
images, labels = list(ds.take(1))[0]
for batch in ds:
    pass

inputs = keras.Input((4,))
model = keras.Model(inputs, layers.Dense(1)(inputs))
model.fit(ds, epochs=1)
loss = model.history.history["loss"]
width, height = keras.preprocessing.image.load_img("paris.jpg").size
probs = keras.ops.convert_to_numpy(model.predict([]))[:10]
lr = model.optimizer.learning_rate
`);
  assert.deepEqual(r.diagnostics, [
    `7: Cannot iterate over a value the analyzer cannot know (${DATASET}) (line 7). The statement was skipped.`,
    `8: Cannot iterate over a value the analyzer cannot know (${DATASET}) (line 8). The statement was skipped.`,
  ]);
  assert.equal(r.ir.paramTotals.params, 5);
});

test("keras.preprocessing.image and tf.data import as modules; an unmodelled object's items are unknown, not an error", () => {
  const r = analyzeKeras(IMPORTS, `
from keras.preprocessing.image import load_img, img_to_array
from tensorflow.data import Dataset
img = img_to_array(load_img("x.png"))
h, w, c = img.shape
gpus = tf.config.list_physical_devices("GPU")
first = gpus[0]
inputs = keras.Input((4,))
model = keras.Model(inputs, layers.Dense(1)(inputs))
`);
  assert.deepEqual(r.diagnostics, []);
});
