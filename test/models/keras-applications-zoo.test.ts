// The bundled keras.applications (src/frameworks/zoo/python/keras/applications): each family module,
// analysed as a file of its own, gives Keras's count_params() (BatchNorm moving statistics counted as
// non-trainable) and the published MACs, with no warning or error.

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { analyze } from "../../src/analyze";
import { summarize } from "../../src/analysis/summary";

const ZOO = "src/frameworks/zoo/python/";
const APPS = `${ZOO}keras/applications/`;

/** Serves the zoo's files (for the modules' relative imports) and, optionally, in-memory ones. */
function zooReader(extra: Record<string, string> = {}) {
  return (path: string): string | undefined =>
    extra[path] ?? (path.startsWith(ZOO) && existsSync(path) ? readFileSync(path, "utf8") : undefined);
}

/** The model's summary; no warning or error other than those with the `expected` codes. */
function summary(module: string, entry: string, expected: string[] = [], input?: number[][]) {
  const file = APPS + module;
  const r = analyze({ file, text: readFileSync(file, "utf8"), entry, readFile: zooReader(), input });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.code), expected);
  return summarize(r.ir!, r.diagnostics);
}

// [module, entry, params, non-trainable params]: Keras's published count_params() for include_top=True.
const PUBLISHED: [string, string, number, number][] = [
  ["resnet.py", "ResNet50()", 25636712, 53120],
  ["resnet.py", "ResNet101()", 44707176, 105344],
  ["resnet.py", "ResNet152()", 60419944, 151424],
  ["resnet_v2.py", "ResNet50V2()", 25613800, 45440],
  ["resnet_v2.py", "ResNet101V2()", 44675560, 97664],
  ["resnet_v2.py", "ResNet152V2()", 60380648, 143744],
  ["vgg16.py", "VGG16()", 138357544, 0],
  ["vgg19.py", "VGG19()", 143667240, 0],
  ["mobilenet_v2.py", "MobileNetV2()", 3538984, 34112],
  ["mobilenet.py", "MobileNet()", 4253864, 21888],
  ["densenet.py", "DenseNet121()", 8062504, 83648],
  ["densenet.py", "DenseNet169()", 14307880, 158400],
  ["densenet.py", "DenseNet201()", 20242984, 229056],
];

for (const [module, entry, params, nonTrainable] of PUBLISHED) {
  test(`${entry} (${module}): ${params.toLocaleString("en-US")} params, ${nonTrainable.toLocaleString("en-US")} non-trainable`, () => {
    const s = summary(module, entry);
    assert.equal(s.totals.params, params);
    assert.equal(s.totals.nonTrainableParams, nonTrainable);
    assert.deepEqual(s.input, [[null, 224, 224, 3]]);
    assert.deepEqual(s.output, [[null, 1000]]);
  });
}

test("MACs at 224x224 equal the published figures (ResNet paper, VGG, MobileNet v1/v2 papers, torchvision's DenseNet-121)", () => {
  assert.equal(summary("resnet.py", "ResNet50()").totals.macs, 3857973248);
  assert.equal(summary("resnet_v2.py", "ResNet50V2()").totals.macs, 3482255360);
  assert.equal(summary("vgg16.py", "VGG16()").totals.macs, 15470264320);
  assert.equal(summary("mobilenet_v2.py", "MobileNetV2()").totals.macs, 300774272); // "300M"
  assert.equal(summary("mobilenet.py", "MobileNet()").totals.macs, 568740352); // "569M"
  assert.equal(summary("densenet.py", "DenseNet121()").totals.macs, 2834161664);
});

test("the residual families keep their blocks: ResNet50 16 (4 projections), ResNet50V2 16, MobileNetV2 10 identity adds", () => {
  const r50 = summary("resnet.py", "ResNet50()");
  assert.equal(r50.residualBlocks.length, 16);
  assert.equal(r50.residualBlocks.filter((b) => b.shortcut === "projection").length, 4);
  assert.equal(summary("resnet_v2.py", "ResNet50V2()").residualBlocks.length, 16);
  const mb2 = summary("mobilenet_v2.py", "MobileNetV2()");
  assert.equal(mb2.residualBlocks.length, 10);
  assert.ok(mb2.residualBlocks.every((b) => b.shortcut === "identity"));
});

test("include_top=False: Keras's headless counts, and the spatial size stays open without input_shape", () => {
  const cases: [string, string, number, number][] = [
    ["resnet.py", "ResNet50(include_top=False)", 23587712, 53120],
    ["vgg16.py", "VGG16(include_top=False)", 14714688, 0],
    ["mobilenet_v2.py", "MobileNetV2(include_top=False)", 2257984, 34112],
  ];
  for (const [module, entry, params, nonTrainable] of cases) {
    // Without a size the convs' MACs are unknown: one warning says so.
    const s = summary(module, entry, ["open-input-size"]);
    assert.equal(s.totals.params, params, entry);
    assert.equal(s.totals.nonTrainableParams, nonTrainable, entry);
    assert.deepEqual(s.input, [[null, null, null, 3]], entry);
  }
  assert.deepEqual(summary("resnet.py", "ResNet50(include_top=False)", ["open-input-size"]).output, [[null, null, null, 2048]]);
});

test("include_top=False with a given input size (--input) is run at that size, as Keras runs model(Input(...))", () => {
  const s = summary("resnet.py", "ResNet50(include_top=False)", [], [[1, 224, 224, 3]]);
  assert.deepEqual(s.input, [[null, 224, 224, 3]]);
  assert.deepEqual(s.output, [[null, 7, 7, 2048]]);
  assert.equal(s.totals.params, 23587712);
  // ResNet-50's 3,857,973,248 MACs less the 2048 x 1000 classifier.
  assert.equal(s.totals.macs, 3857973248 - 2048 * 1000);
  // MobileNetV2's stride-2 pads come from correct_pad on the open size ((0, 1) on each side), the
  // same as at 224: the re-run matches the model built at 224 less its 1280 x 1000 classifier.
  const mb2 = summary("mobilenet_v2.py", "MobileNetV2(include_top=False)", [], [[1, 224, 224, 3]]);
  assert.equal(mb2.totals.macs, 300774272 - 1280 * 1000);
});

test("pooling, input_shape, classes and alpha shape the model as in Keras", () => {
  const avg = summary("resnet.py", "ResNet50(include_top=False, input_shape=(160, 160, 3), pooling='avg')");
  assert.deepEqual(avg.input, [[null, 160, 160, 3]]);
  assert.deepEqual(avg.output, [[null, 2048]]);
  assert.equal(avg.nodes.at(-1)?.name, "avg_pool");
  const max = summary("densenet.py", "DenseNet121(include_top=False, input_shape=(224, 224, 3), pooling='max')");
  assert.deepEqual(max.output, [[null, 1024]]);
  assert.equal(max.nodes.at(-1)?.name, "max_pool");
  assert.deepEqual(summary("vgg16.py", "VGG16(include_top=False, input_shape=(224, 224, 3))").output, [[null, 7, 7, 512]]);
  // A new 10-class head: the 1000-class Dense (2048 * 1000 + 1000) becomes 2048 * 10 + 10.
  assert.equal(summary("resnet.py", "ResNet50(weights=None, classes=10)").totals.params, 23587712 + 20490);
  // Width multipliers, Keras's published mobilenet_v2_1.4_224 and mobilenet_0.25_224 (counts from count_params()).
  assert.equal(summary("mobilenet_v2.py", "MobileNetV2(alpha=1.4)").totals.params, 6156712);
  assert.equal(summary("mobilenet.py", "MobileNet(alpha=0.25)").totals.params, 475544);
});

test("the package re-exports every builder and family module; names, preprocess_input and decode_predictions as Keras's", () => {
  const driver = `${APPS}_zoo_check.py`;
  const text = `
from . import ResNet50, ResNet101, ResNet152, ResNet50V2, ResNet101V2, ResNet152V2
from . import VGG16, VGG19, MobileNet, MobileNetV2, DenseNet121, DenseNet169, DenseNet201
from . import densenet, imagenet_utils, mobilenet, mobilenet_v2, resnet, resnet50, resnet_v2, vgg16, vgg19


def check():
    names = [
        ResNet101(include_top=False).name, ResNet152V2(include_top=False).name, VGG19(include_top=False).name,
        DenseNet169(include_top=False).name, MobileNetV2(include_top=False).name,
        MobileNetV2(input_shape=(160, 160, 3), alpha=0.5, include_top=False).name,
        MobileNetV2(include_top=False, weights=None).name, MobileNet(alpha=0.75, include_top=False).name,
        ResNet50(include_top=False, name="backbone").name,
    ]
    assert names == [
        "resnet101", "resnet152v2", "vgg19", "densenet169", "mobilenetv2_1.00_224", "mobilenetv2_0.50_160",
        "mobilenetv2_1.00_None", "mobilenet_0.75_224", "backbone",
    ], str(names)
    for family in (densenet, imagenet_utils, mobilenet, mobilenet_v2, resnet, resnet50, resnet_v2, vgg16, vgg19):
        assert family.preprocess_input(7) == 7
        assert family.decode_predictions([0.5]) is None
    assert resnet50.ResNet50 is ResNet50
    return ResNet50()
`;
  const r = analyze({ file: driver, text, entry: "check()", readFile: zooReader({ [driver]: text }) });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info"), []);
  assert.equal(r.ir?.paramTotals.params, 25636712);
  const names = r.ir!.nodes.map((n) => n.name);
  for (const name of ["conv1_conv", "conv2_block1_0_conv", "conv2_block1_1_conv", "conv5_block3_out", "avg_pool", "predictions"]) {
    assert.ok(names.includes(name), name);
  }
});
