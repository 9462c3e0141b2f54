// Builds real TF.js layers models in-process (tfjs-layers on the CPU backend, random init, no
// downloads) and saves them through a custom save handler into the exact model.json text that
// `model.save("file://...")` writes. Used by the format tests and bench/formats.bench.ts.

import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";

let ready: Promise<void> | undefined;
async function cpu(): Promise<void> {
  ready ??= tf.setBackend("cpu").then(() => tf.ready());
  await ready;
}

/** The residual block of test/fixtures/formats/keras_resnet_small.py, layer for layer and name for name. */
function block(x: tfl.SymbolicTensor, filters: number, stride: number, name: string): tfl.SymbolicTensor {
  let y = tfl.layers.conv2d({ filters, kernelSize: 3, strides: stride, padding: "same", useBias: false, name: `${name}_conv1` }).apply(x) as tfl.SymbolicTensor;
  y = tfl.layers.batchNormalization({ name: `${name}_bn1` }).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.activation({ activation: "relu", name: `${name}_relu1` }).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.conv2d({ filters, kernelSize: 3, padding: "same", useBias: false, name: `${name}_conv2` }).apply(y) as tfl.SymbolicTensor;
  y = tfl.layers.batchNormalization({ name: `${name}_bn2` }).apply(y) as tfl.SymbolicTensor;
  let s = x;
  if (stride !== 1 || x.shape[3] !== filters) {
    s = tfl.layers.conv2d({ filters, kernelSize: 1, strides: stride, useBias: false, name: `${name}_proj` }).apply(x) as tfl.SymbolicTensor;
    s = tfl.layers.batchNormalization({ name: `${name}_proj_bn` }).apply(s) as tfl.SymbolicTensor;
  }
  y = tfl.layers.add({ name: `${name}_add` }).apply([s, y]) as tfl.SymbolicTensor;
  return tfl.layers.activation({ activation: "relu", name: `${name}_out` }).apply(y) as tfl.SymbolicTensor;
}

/** A bottleneck block (1x1, 3x3, 1x1 x4), for the ResNet-50-sized bench model. */
function bottleneck(x: tfl.SymbolicTensor, filters: number, stride: number, name: string): tfl.SymbolicTensor {
  const conv = (t: tfl.SymbolicTensor, f: number, k: number, s: number, n: string) =>
    tfl.layers.batchNormalization({ name: `${name}_${n}_bn` }).apply(
      tfl.layers.conv2d({ filters: f, kernelSize: k, strides: s, padding: "same", useBias: false, name: `${name}_${n}` }).apply(t),
    ) as tfl.SymbolicTensor;
  const relu = (t: tfl.SymbolicTensor, n: string) => tfl.layers.activation({ activation: "relu", name: `${name}_${n}` }).apply(t) as tfl.SymbolicTensor;
  let y = relu(conv(x, filters, 1, 1, "conv1"), "relu1");
  y = relu(conv(y, filters, 3, stride, "conv2"), "relu2");
  y = conv(y, filters * 4, 1, 1, "conv3");
  const s = stride !== 1 || x.shape[3] !== filters * 4 ? conv(x, filters * 4, 1, stride, "proj") : x;
  return relu(tfl.layers.add({ name: `${name}_add` }).apply([s, y]) as tfl.SymbolicTensor, "out");
}

/** build_resnet(stages, size, classes) of keras_resnet_small.py (`useBottleneck`: ResNet-50-style blocks, bench only). */
export async function buildTfjsResnet(stages: number[], size: number, classes: number, useBottleneck = false): Promise<tfl.LayersModel> {
  await cpu();
  const input = tfl.input({ shape: [size, size, 3], name: "image" });
  let x = tfl.layers.conv2d({ filters: 64, kernelSize: 7, strides: 2, padding: "same", useBias: false, name: "stem_conv" }).apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.batchNormalization({ name: "stem_bn" }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.activation({ activation: "relu", name: "stem_relu" }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: "same", name: "stem_pool" }).apply(x) as tfl.SymbolicTensor;
  stages.forEach((n, stage) => {
    for (let b = 0; b < n; b++) x = (useBottleneck ? bottleneck : block)(x, 64 * 2 ** stage, b === 0 && stage > 0 ? 2 : 1, `s${stage + 1}b${b + 1}`);
  });
  x = tfl.layers.globalAveragePooling2d({ name: "gap" }).apply(x) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: classes, activation: "softmax", name: "fc" }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out, name: "resnet_small" });
}

/** A small Sequential CNN (keras_sequential_small.py). */
export async function buildTfjsSequential(): Promise<tfl.Sequential> {
  await cpu();
  const m = tfl.sequential({ name: "seq_cnn" });
  m.add(tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu", name: "c1" }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2, name: "p1" }));
  m.add(tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: "relu", name: "c2" }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2, name: "p2" }));
  m.add(tfl.layers.flatten({ name: "flat" }));
  m.add(tfl.layers.dropout({ rate: 0.5, name: "drop" }));
  m.add(tfl.layers.dense({ units: 10, activation: "softmax", name: "out" }));
  return m;
}

/** The model.json text `model.save()` would write (weights go to a shard we never write). */
export async function modelJson(model: tfl.LayersModel): Promise<string> {
  let json = "";
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const out = {
        modelTopology: a.modelTopology,
        format: a.format,
        generatedBy: a.generatedBy,
        convertedBy: a.convertedBy,
        weightsManifest: [{ paths: ["./model.weights.bin"], weights: a.weightSpecs }],
      };
      json = JSON.stringify(out);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  return json;
}
