// User files that build on torchvision.models or keras.applications: the bundled zoo
// (src/frameworks/zoo/python) answers those imports, under every usual spelling, and the usual
// transfer-learning edits (frozen backbone, new head) give the framework's own counts.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyze } from "../../src/analyze";
import { summarize } from "../../src/analysis/summary";

function summary(text: string, entry: string, input?: number[]) {
  const r = analyze({ file: "train.py", text, entry, input: input ? [input] : undefined });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
  return summarize(r.ir!, r.diagnostics);
}

test("torchvision: a frozen ResNet-50 with a new 10-class head (weights enum, parameters(), fc.in_features)", () => {
  const s = summary(`
import torch.nn as nn
from torchvision import models
from torchvision.models import ResNet50_Weights

def build(num_classes=10):
    model = models.resnet50(weights=ResNet50_Weights.IMAGENET1K_V2)
    for p in model.parameters():
        p.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model
`, "build()", [1, 3, 224, 224]);
  // 25,557,032 - the 1000-class fc (2,049,000) + a 10-class one (20,490).
  assert.equal(s.totals.params, 23528522);
  assert.equal(s.totals.trainableParams, 20490);
  assert.equal(s.residualBlocks.length, 16);
  assert.equal(s.totals.depth, 50);
});

test("torchvision: `import torchvision` + legacy pretrained=, and building ResNet from its block class", () => {
  const mobilenet = summary("import torchvision\nmodel = torchvision.models.mobilenet_v2(pretrained=True)\n", "model", [1, 3, 224, 224]);
  assert.equal(mobilenet.totals.params, 3504872);
  const custom = summary(`
from torchvision.models.resnet import BasicBlock, ResNet
def cifar_resnet18():
    return ResNet(BasicBlock, [2, 2, 2, 2], num_classes=10)
`, "cifar_resnet18()", [1, 3, 224, 224]);
  // resnet18's 11,689,512 with fc 512x10 + 10 instead of 512x1000 + 1000.
  assert.equal(custom.totals.params, 11181642);
});

test("keras.applications: a frozen ResNet50 backbone called as a layer, via tf.keras", () => {
  const s = summary(`
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

def build():
    base = tf.keras.applications.ResNet50(include_top=False, weights="imagenet", input_shape=(224, 224, 3))
    base.trainable = False
    inputs = keras.Input(shape=(224, 224, 3))
    x = base(inputs, training=False)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(10)(x)
    return keras.Model(inputs, outputs)
`, "build()");
  // ResNet50 without top: 23,587,712 (all frozen) + Dense(2048 -> 10) = 20,490.
  assert.equal(s.totals.params, 23608202);
  assert.equal(s.totals.trainableParams, 20490);
  assert.equal(s.totals.nonTrainableParams, 23587712);
  // The base runs inlined on the new Input, under its name: its layers and 16 residual blocks show.
  assert.equal(s.residualBlocks.length, 16);
  assert.ok(s.nodes.some((n) => n.id === "resnet50/conv1_conv" && n.params === 9472));
});

test("keras.applications: `from keras.applications import MobileNetV2` and the base's output as a tensor", () => {
  const s = summary(`
import keras
from keras import layers
from keras.applications import MobileNetV2

def build():
    base = MobileNetV2(input_shape=(224, 224, 3), include_top=False, weights=None)
    x = layers.GlobalAveragePooling2D()(base.output)
    return keras.Model(base.input, layers.Dense(5, activation="softmax")(x))
`, "build()");
  // MobileNetV2 without top: 2,257,984 + Dense(1280 -> 5) = 6,405.
  assert.equal(s.totals.params, 2264389);
});

test("keras.applications: freezing the base freezes its layers when they are reused through base.output", () => {
  const s = summary(`
import keras
from keras import layers

def build():
    base = keras.applications.ResNet50(include_top=False, weights="imagenet", input_shape=(224, 224, 3))
    base.trainable = False
    x = layers.GlobalAveragePooling2D()(base.output)
    return keras.Model(base.input, layers.Dense(10)(x))
`, "build()");
  assert.equal(s.totals.params, 23608202);
  assert.equal(s.totals.trainableParams, 20490);
  // The backbone is inlined here (its layers are this model's layers): its 16 residual blocks show.
  assert.equal(s.residualBlocks.length, 16);
});

test("entry candidates: a public function made by a call at module level is a factory, like a def", () => {
  const r = analyze({
    file: "builders.py",
    text: `
import torch.nn as nn
def _make(width):
    def build(num_classes=10):
        return nn.Sequential(nn.Linear(width, num_classes))
    return build
small = _make(8)
_private = _make(4)
`,
    input: [[1, 8]],
  });
  assert.deepEqual(r.entries.map((e) => e.expr), ["small()"]);
  assert.equal(r.entry, "small()");
  assert.equal(r.ir?.paramTotals.params, 90);
});
