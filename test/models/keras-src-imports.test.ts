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

/** Analyses `text` as model code; no warning or error other than those with the `expected` codes. */
function run(text: string, entry: string, expected: string[] = [], input?: number[][]) {
  const r = analyze({ file: "app.py", text, entry, input });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.code), expected);
  return summarize(r.ir!, r.diagnostics);
}

test("keras.src.applications.imagenet_utils.correct_pad pads a stride-2 'valid' conv like TensorFlow's 'same'", () => {
  const padded = (size: number) => `
from keras.src import layers
from keras.src.applications import imagenet_utils
from keras.src.models import Functional


def build():
    inp = layers.Input((${size}, ${size}, 3))
    x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(inp, 3))(inp)
    x = layers.Conv2D(8, 3, strides=2, padding="valid")(x)
    return Functional(inp, x)
`;
  // Even 224: ((0, 1), (0, 1)) -> 225 -> 112, as Keras gives; 112 * 112 * 8 outputs of 3 * 3 * 3 MACs.
  const even = run(padded(224), "build()");
  assert.deepEqual(even.nodes.map((n) => n.shape), [[null, 224, 224, 3], [null, 225, 225, 3], [null, 112, 112, 8]]);
  assert.equal(even.totals.macs, 112 * 112 * 8 * 27);
  // Odd 225: ((1, 1), (1, 1)) -> 227 -> 113 = ceil(225 / 2).
  assert.deepEqual(run(padded(225), "build()").output, [[null, 113, 113, 8]]);
});

test("Keras 3's resnet_v2.py builds on keras.src.applications.resnet: ResNet(stack_fn, ...) gives 25,613,800", () => {
  const text = `
from keras.src.applications import imagenet_utils, resnet


def ResNet50V2(weights=None, classes=1000):
    def stack_fn(x):
        x = resnet.stack_residual_blocks_v2(x, 64, 3, name="conv2")
        x = resnet.stack_residual_blocks_v2(x, 128, 4, name="conv3")
        x = resnet.stack_residual_blocks_v2(x, 256, 6, name="conv4")
        return resnet.stack_residual_blocks_v2(x, 512, 3, stride1=1, name="conv5")

    return resnet.ResNet(stack_fn, True, True, name="resnet50v2", weights_name="resnet50v2", weights=weights, classes=classes)


def ResNet50(weights=None):
    def stack_fn(x):
        x = resnet.stack_residual_blocks_v1(x, 64, 3, stride1=1, name="conv2")
        x = resnet.stack_residual_blocks_v1(x, 128, 4, name="conv3")
        x = resnet.stack_residual_blocks_v1(x, 256, 6, name="conv4")
        return resnet.stack_residual_blocks_v1(x, 512, 3, name="conv5")

    return resnet.ResNet(stack_fn, False, True, name="resnet50", weights=weights)


preprocess_input = imagenet_utils.preprocess_input
preprocess_input.__doc__ = imagenet_utils.PREPROCESS_INPUT_DOC.format(
    mode="", ret=imagenet_utils.PREPROCESS_INPUT_RET_DOC_TF, error=imagenet_utils.PREPROCESS_INPUT_ERROR_DOC
)
`;
  const v2 = run(text, "ResNet50V2()");
  assert.equal(v2.totals.params, 25613800);
  assert.equal(v2.totals.nonTrainableParams, 45440);
  assert.equal(v2.totals.macs, 3482255360);
  assert.equal(run(text, "ResNet50()").totals.params, 25636712);
});

test("obtain_input_shape follows Keras: ImageNet weights with a head fix the size; headless leaves it open", () => {
  const text = `
from keras.src import backend, layers
from keras.src.applications import imagenet_utils
from keras.src.models import Functional


def Tiny(weights=None, input_shape=None, include_top=True):
    shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=32, min_size=16, data_format=backend.image_data_format(),
        require_flatten=include_top, weights=weights,
    )
    inp = layers.Input(shape=shape)
    x = layers.Conv2D(4, 3)(inp)
    x = layers.GlobalAveragePooling2D()(x)
    if include_top:
        imagenet_utils.validate_activation("softmax", weights)
        x = layers.Dense(10)(x)
    return Functional(inp, x)
`;
  assert.deepEqual(run(text, "Tiny(input_shape=(64, 48, 3))").input, [[null, 64, 48, 3]]);
  assert.deepEqual(run(text, "Tiny(weights='imagenet')").input, [[null, 32, 32, 3]]);
  assert.deepEqual(run(text, "Tiny(include_top=False)", ["open-input-size"]).input, [[null, null, null, 3]]);
  const r = analyze({ file: "app.py", text, entry: "Tiny(weights='imagenet', input_shape=(64, 64, 3))" });
  assert.equal(r.ir, null);
  assert.match(r.diagnostics.map((d) => d.message).join("\n"), /`input_shape` should be \(32, 32, 3\)/);
  const small = analyze({ file: "app.py", text, entry: "Tiny(input_shape=(8, 8, 3))" });
  assert.match(small.diagnostics.map((d) => d.message).join("\n"), /Input size must be at least 16x16/);
});

test("a user layer on keras.src.layers.layer.Layer (Keras 3's ConvNeXt LayerScale) keeps its own weights", () => {
  const text = `
from keras.src import layers
from keras.src.layers.layer import Layer
from keras.src.models import Functional


class Scale(Layer):
    def build(self, _):
        self.g = self.add_weight(shape=(8,), trainable=True)

    def call(self, x):
        return x * self.g


class Shift(layers.Layer):
    def build(self, _):
        self.b = self.add_weight(shape=(8,), trainable=False)

    def call(self, x):
        return x + self.b


def build():
    inp = layers.Input((8,))
    return Functional(inp, Shift()(Scale()(inp)))
`;
  const s = run(text, "build()");
  assert.equal(s.totals.params, 16);
  assert.equal(s.totals.nonTrainableParams, 8);
});
