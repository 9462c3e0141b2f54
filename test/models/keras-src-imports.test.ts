// Keras 3's own application files import from the private `keras.src` package and call its helpers
// (imagenet_utils.obtain_input_shape, keras_export, Functional). A model written that way analyses
// like one written against the public `keras` API.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../src/analyze";
import { summarize } from "../../src/analysis/summary";

const source = `
from keras.src import backend
from keras.src import layers
from keras.src.api_export import keras_export
from keras.src.applications import imagenet_utils
from keras.src.models import Functional
from keras.src.ops import operation_utils
from keras.src.utils import file_utils


@keras_export(["keras.applications.TinyNet", "keras.applications.tinynet.TinyNet"])
def TinyNet(weights=None, input_tensor=None, input_shape=None, classes=10, include_top=True):
    if not (weights in {"imagenet", None} or file_utils.exists(weights)):
        raise ValueError("bad weights")
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=32, min_size=32, data_format=backend.image_data_format(),
        require_flatten=include_top, weights=weights,
    )
    if input_tensor is None:
        img_input = layers.Input(shape=input_shape)
    elif not backend.is_keras_tensor(input_tensor):
        img_input = layers.Input(tensor=input_tensor, shape=input_shape)
    else:
        img_input = input_tensor
    bn_axis = 3 if backend.image_data_format() == "channels_last" else 1
    x = layers.Conv2D(8, 3, name="conv")(img_input)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name="bn")(x)
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    imagenet_utils.validate_activation("softmax", weights)
    x = layers.Dense(classes, activation="softmax", name="predictions")(x)
    inputs = operation_utils.get_source_inputs(input_tensor) if input_tensor is not None else img_input
    return Functional(inputs, x, name="tinynet")
`;

test("a Keras 3 application-style file (keras.src imports) gives Keras's count_params()", () => {
  const r = analyze({ file: "tinynet.py", text: source, entry: "TinyNet()" });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info"), []);
  const s = summarize(r.ir!, r.diagnostics);
  // conv 3*3*3*8 + 8 = 224; BN 4*8 = 32 (16 moving statistics); Dense 8*10 + 10 = 90.
  assert.equal(s.totals.params, 346);
  assert.equal(s.totals.nonTrainableParams, 16);
  assert.deepEqual(s.input, [[null, 32, 32, 3]]);
  assert.deepEqual(s.output, [[null, 10]]);
});
