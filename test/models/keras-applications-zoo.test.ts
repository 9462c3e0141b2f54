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

// [module, entry, params, non-trainable params, input side]: Keras's published count_params() for
// include_top=True (EfficientNet's and EfficientNetV2's include their preprocessing layers: an adaptable
// Normalization's mean, variance and count in v1, fixed statistics without weights in v2).
const PUBLISHED: [string, string, number, number, number][] = [
  ["resnet.py", "ResNet50()", 25636712, 53120, 224],
  ["resnet.py", "ResNet101()", 44707176, 105344, 224],
  ["resnet.py", "ResNet152()", 60419944, 151424, 224],
  ["resnet_v2.py", "ResNet50V2()", 25613800, 45440, 224],
  ["resnet_v2.py", "ResNet101V2()", 44675560, 97664, 224],
  ["resnet_v2.py", "ResNet152V2()", 60380648, 143744, 224],
  ["vgg16.py", "VGG16()", 138357544, 0, 224],
  ["vgg19.py", "VGG19()", 143667240, 0, 224],
  ["mobilenet_v2.py", "MobileNetV2()", 3538984, 34112, 224],
  ["mobilenet.py", "MobileNet()", 4253864, 21888, 224],
  ["densenet.py", "DenseNet121()", 8062504, 83648, 224],
  ["densenet.py", "DenseNet169()", 14307880, 158400, 224],
  ["densenet.py", "DenseNet201()", 20242984, 229056, 224],
  ["efficientnet.py", "EfficientNetB0()", 5330571, 42023, 224],
  ["efficientnet.py", "EfficientNetB1()", 7856239, 62055, 240],
  ["efficientnet.py", "EfficientNetB2()", 9177569, 67575, 260],
  ["efficientnet.py", "EfficientNetB3()", 12320535, 87303, 300],
  ["efficientnet.py", "EfficientNetB4()", 19466823, 125207, 380],
  ["efficientnet.py", "EfficientNetB5()", 30562527, 172743, 456],
  ["efficientnet.py", "EfficientNetB6()", 43265143, 224439, 528],
  ["efficientnet.py", "EfficientNetB7()", 66658687, 310727, 600],
  ["efficientnet_v2.py", "EfficientNetV2B0()", 7200312, 60608, 224],
  ["efficientnet_v2.py", "EfficientNetV2B1()", 8212124, 71072, 240],
  ["efficientnet_v2.py", "EfficientNetV2B2()", 10178374, 82288, 260],
  ["efficientnet_v2.py", "EfficientNetV2B3()", 14467622, 109216, 300],
  ["efficientnet_v2.py", "EfficientNetV2S()", 21612360, 153872, 384],
  ["efficientnet_v2.py", "EfficientNetV2M()", 54431388, 292032, 480],
  ["efficientnet_v2.py", "EfficientNetV2L()", 119027848, 512576, 480],
  ["xception.py", "Xception()", 22910480, 54528, 299],
  ["inception_v3.py", "InceptionV3()", 23851784, 34432, 299],
  // MobileNetV3 pools before its classifier, so Keras leaves the input size open unless given.
  ["mobilenet_v3.py", "MobileNetV3Large(input_shape=(224, 224, 3))", 5507432, 24400, 224],
  ["mobilenet_v3.py", "MobileNetV3Small(input_shape=(224, 224, 3))", 2554968, 12112, 224],
  ["convnext.py", "ConvNeXtTiny()", 28589128, 0, 224],
  ["nasnet.py", "NASNetMobile()", 5326716, 36738, 224],
  ["nasnet.py", "NASNetLarge()", 88949818, 196668, 331],
];

for (const [module, entry, params, nonTrainable, side] of PUBLISHED) {
  test(`${entry} (${module}): ${params.toLocaleString("en-US")} params, ${nonTrainable.toLocaleString("en-US")} non-trainable`, () => {
    const s = summary(module, entry);
    assert.equal(s.totals.params, params);
    assert.equal(s.totals.nonTrainableParams, nonTrainable);
    assert.deepEqual(s.input, [[null, side, side, 3]]);
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

test("MACs of the newer families equal the published figures at their default sizes", () => {
  // torchvision's table, in GFLOPs-as-MACs: EfficientNet-B0 0.39, B7 37.75 (600); EfficientNetV2-S 8.37 (384).
  assert.equal(summary("efficientnet.py", "EfficientNetB0()").totals.macs, 385814752);
  assert.equal(summary("efficientnet.py", "EfficientNetB7()").totals.macs, 37745884192);
  assert.equal(summary("efficientnet_v2.py", "EfficientNetV2S()").totals.macs, 8365617152);
  // Keras's table: MobileNetV3Large 217M; torchvision's: Large 0.22, Small 0.06 GFLOPs.
  assert.equal(summary("mobilenet_v3.py", "MobileNetV3Large(input_shape=(224, 224, 3))").totals.macs, 216589760);
  assert.equal(summary("mobilenet_v3.py", "MobileNetV3Small(input_shape=(224, 224, 3))").totals.macs, 56510400);
  // Xception ~8.4 G and Inception v3 5.7 G at 299; ConvNeXt-T 4.46 G (torchvision).
  assert.equal(summary("xception.py", "Xception()").totals.macs, 8357403496);
  assert.equal(summary("inception_v3.py", "InceptionV3()").totals.macs, 5713216096);
  assert.equal(summary("convnext.py", "ConvNeXtTiny()").totals.macs, 4455531264);
  // The NASNet paper: NASNet-A (4 @ 1056) 564M mult-adds at 224, (6 @ 4032) 23.8B at 331.
  assert.equal(summary("nasnet.py", "NASNetMobile()").totals.macs, 563638816);
  assert.equal(summary("nasnet.py", "NASNetLarge()").totals.macs, 23783414658);
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

test("the newer residual families keep theirs: EfficientNetB0 9, MobileNetV3Large 10, Xception 12 (4 projections), ConvNeXtTiny 18", () => {
  const shortcuts = (module: string, entry: string) => summary(module, entry).residualBlocks.map((b) => b.shortcut[0]).join("");
  assert.equal(shortcuts("efficientnet.py", "EfficientNetB0()"), "i".repeat(9));
  assert.equal(shortcuts("mobilenet_v3.py", "MobileNetV3Large(input_shape=(224, 224, 3))"), "i".repeat(10));
  assert.equal(shortcuts("xception.py", "Xception()"), "ppp" + "i".repeat(8) + "p");
  assert.equal(shortcuts("convnext.py", "ConvNeXtTiny()"), "i".repeat(18));
  assert.equal(shortcuts("inception_v3.py", "InceptionV3()"), "");
});

test("include_top=False: Keras's headless counts, and the spatial size stays open without input_shape", () => {
  const cases: [string, string, number, number][] = [
    ["resnet.py", "ResNet50(include_top=False)", 23587712, 53120],
    ["vgg16.py", "VGG16(include_top=False)", 14714688, 0],
    ["mobilenet_v2.py", "MobileNetV2(include_top=False)", 2257984, 34112],
    ["efficientnet.py", "EfficientNetB0(include_top=False)", 4049571, 42023],
    ["efficientnet_v2.py", "EfficientNetV2B0(include_top=False)", 5919312, 60608],
    ["xception.py", "Xception(include_top=False)", 20861480, 54528],
    ["inception_v3.py", "InceptionV3(include_top=False)", 21802784, 34432],
    ["mobilenet_v3.py", "MobileNetV3Large(include_top=False)", 2996352, 24400],
    ["mobilenet_v3.py", "MobileNetV3Small(include_top=False)", 939120, 12112],
    // The headless ConvNeXt ends in a LayerNormalization of its own, as large as the head's.
    ["convnext.py", "ConvNeXtTiny(include_top=False)", 27820128, 0],
  ];
  for (const [module, entry, params, nonTrainable] of cases) {
    // Without a size the convs' MACs are unknown: one warning says so.
    const s = summary(module, entry, ["open-input-size"]);
    assert.equal(s.totals.params, params, entry);
    assert.equal(s.totals.nonTrainableParams, nonTrainable, entry);
    assert.deepEqual(s.input, [[null, null, null, 3]], entry);
  }
  assert.deepEqual(summary("resnet.py", "ResNet50(include_top=False)", ["open-input-size"]).output, [[null, null, null, 2048]]);
  // NASNetMobile's cells compare sizes, so Keras builds even the headless model at 224.
  const nasnet = summary("nasnet.py", "NASNetMobile(include_top=False)");
  assert.equal(nasnet.totals.params, 4269716);
  assert.deepEqual(nasnet.output, [[null, 7, 7, 1056]]);
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
  // Each family names its pooling layer as Keras does; ConvNeXt normalises the pooled features too.
  const pooled: [string, string, string, (number | null)[]][] = [
    ["efficientnet.py", "EfficientNetB0(include_top=False, input_shape=(224, 224, 3), pooling='avg')", "avg_pool", [null, 1280]],
    ["xception.py", "Xception(include_top=False, input_shape=(299, 299, 3), pooling='max')", "global_max_pooling2d", [null, 2048]],
    ["mobilenet_v3.py", "MobileNetV3Small(include_top=False, input_shape=(224, 224, 3), pooling='max')", "max_pool", [null, 576]],
    ["convnext.py", "ConvNeXtTiny(include_top=False, input_shape=(224, 224, 3), pooling='avg')", "layer_normalization", [null, 768]],
  ];
  for (const [module, entry, last, output] of pooled) {
    const s = summary(module, entry);
    assert.equal(s.nodes.at(-1)?.name, last, entry);
    assert.deepEqual(s.output, [output], entry);
  }
  // A 10-class EfficientNetB0: the 1280 x 1000 Dense becomes 1280 x 10.
  assert.equal(summary("efficientnet.py", "EfficientNetB0(weights=None, classes=10)").totals.params, 4049571 + 12810);
  // MobileNetV3's minimalistic variant (no squeeze-excite, hard-swish or 5x5) and a narrower Small.
  assert.equal(summary("mobilenet_v3.py", "MobileNetV3Large(input_shape=(224, 224, 3), minimalistic=True)").totals.params, 3948688);
  assert.equal(summary("mobilenet_v3.py", "MobileNetV3Small(input_shape=(224, 224, 3), alpha=0.75)").totals.params, 2051552);
});

test("the package re-exports every builder and family module; names, preprocess_input and decode_predictions as Keras's", () => {
  const driver = `${APPS}_zoo_check.py`;
  const text = `
from . import ResNet50, ResNet101, ResNet152, ResNet50V2, ResNet101V2, ResNet152V2
from . import VGG16, VGG19, MobileNet, MobileNetV2, DenseNet121, DenseNet169, DenseNet201
from . import EfficientNetB0, EfficientNetB7, EfficientNetV2B0, EfficientNetV2S, Xception, InceptionV3
from . import MobileNetV3Large, MobileNetV3Small, ConvNeXtTiny, ConvNeXtXLarge, NASNetMobile
from . import densenet, imagenet_utils, mobilenet, mobilenet_v2, resnet, resnet50, resnet_v2, vgg16, vgg19
from . import convnext, efficientnet, efficientnet_v2, inception_v3, mobilenet_v3, nasnet, xception


def check():
    names = [
        ResNet101(include_top=False).name, ResNet152V2(include_top=False).name, VGG19(include_top=False).name,
        DenseNet169(include_top=False).name, MobileNetV2(include_top=False).name,
        MobileNetV2(input_shape=(160, 160, 3), alpha=0.5, include_top=False).name,
        MobileNetV2(include_top=False, weights=None).name, MobileNet(alpha=0.75, include_top=False).name,
        ResNet50(include_top=False, name="backbone").name,
        EfficientNetB7(include_top=False).name, EfficientNetV2S(include_top=False).name,
        EfficientNetV2B0(include_top=False, name="b0").name, Xception(include_top=False).name,
        InceptionV3(include_top=False).name, MobileNetV3Small(include_top=False).name,
        ConvNeXtXLarge(include_top=False).name, NASNetMobile(include_top=False).name,
    ]
    assert names == [
        "resnet101", "resnet152v2", "vgg19", "densenet169", "mobilenetv2_1.00_224", "mobilenetv2_0.50_160",
        "mobilenetv2_1.00_None", "mobilenet_0.75_224", "backbone", "efficientnetb7", "efficientnetv2-s", "b0",
        "xception", "inception_v3", "MobileNetV3Small", "convnext_xlarge", "NASNet",
    ], str(names)
    families = (densenet, imagenet_utils, mobilenet, mobilenet_v2, resnet, resnet50, resnet_v2, vgg16, vgg19)
    for family in families + (convnext, efficientnet, efficientnet_v2, inception_v3, mobilenet_v3, nasnet, xception):
        assert family.preprocess_input(7) == 7
        assert family.decode_predictions([0.5]) is None
    assert resnet50.ResNet50 is ResNet50 and efficientnet.EfficientNetB0 is EfficientNetB0
    assert [f.__name__ for f in (ResNet50, DenseNet121, EfficientNetB0, EfficientNetV2B0, MobileNetV3Large, ConvNeXtTiny)] == [
        "ResNet50", "DenseNet121", "EfficientNetB0", "EfficientNetV2B0", "MobileNetV3Large", "ConvNeXtTiny",
    ]
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
