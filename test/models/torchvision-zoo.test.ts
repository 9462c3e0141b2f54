// Our own torchvision.models (src/frameworks/zoo/python/torchvision): every builder must give
// torchvision's published parameter count exactly, and MACs that round to its published GFLOPS
// (which torchvision counts as multiply-accumulates of convs and linears at 224x224). Each module is
// analysed as a user file whose relative imports are served from the zoo folder.

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { analyze } from "../../src/analyze";
import { summarize } from "../../src/analysis/summary";

const ZOO = "src/frameworks/zoo/python";
const MODELS = `${ZOO}/torchvision/models`;

/** Serves the zoo's files, and the virtual files given, to the analyzer's imports. */
function zooReader(virtual: Record<string, string> = {}) {
  return (path: string): string | undefined => {
    if (path in virtual) return virtual[path];
    return path.startsWith(`${ZOO}/`) && existsSync(path) ? readFileSync(path, "utf8") : undefined;
  };
}

function summary(file: string, entry: string, text = readFileSync(file, "utf8"), readFile = zooReader()) {
  const r = analyze({ file, text, entry, input: [[1, 3, 224, 224]], readFile });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info"), []);
  return summarize(r.ir!, r.diagnostics);
}

// [module, builder, published params, MACs, published GFLOPS, depth]
const BUILDERS: [string, string, number, number, number, number][] = [
  ["resnet", "resnet18", 11689512, 1814073344, 1.81, 18],
  ["resnet", "resnet34", 21797672, 3663761408, 3.66, 34],
  ["resnet", "resnet50", 25557032, 4089184256, 4.09, 50],
  ["resnet", "resnet101", 44549160, 7801405440, 7.8, 101],
  ["resnet", "resnet152", 60192808, 11513626624, 11.51, 152],
  ["resnet", "resnext50_32x4d", 25028904, 4230479872, 4.23, 50],
  ["resnet", "resnext101_32x8d", 88791336, 16414015488, 16.41, 101],
  ["resnet", "resnext101_64x4d", 83455272, 15460270080, 15.46, 101],
  ["resnet", "wide_resnet50_2", 68883240, 11398021120, 11.4, 50],
  ["resnet", "wide_resnet101_2", 126886696, 22753050624, 22.75, 101],
  ["vgg", "vgg11", 132863336, 7609090048, 7.61, 11],
  ["vgg", "vgg11_bn", 132868840, 7609090048, 7.61, 11],
  ["vgg", "vgg13", 133047848, 11308466176, 11.31, 13],
  ["vgg", "vgg13_bn", 133053736, 11308466176, 11.31, 13],
  ["vgg", "vgg16", 138357544, 15470264320, 15.47, 16],
  ["vgg", "vgg16_bn", 138365992, 15470264320, 15.47, 16],
  ["vgg", "vgg19", 143667240, 19632062464, 19.63, 19],
  ["vgg", "vgg19_bn", 143678248, 19632062464, 19.63, 19],
  ["mobilenetv2", "mobilenet_v2", 3504872, 300774272, 0.3, 53],
  ["densenet", "densenet121", 7978856, 2834161664, 2.83, 121],
  ["densenet", "densenet161", 28681000, 7727907072, 7.73, 161],
  ["densenet", "densenet169", 14149480, 3359843328, 3.36, 169],
  ["densenet", "densenet201", 20013928, 4291365888, 4.29, 201],
  ["alexnet", "alexnet", 61100840, 714188480, 0.71, 8],
  ["squeezenet", "squeezenet1_0", 1248424, 818924576, 0.82, 18],
  ["squeezenet", "squeezenet1_1", 1235496, 349151936, 0.35, 18],
];

for (const [module, builder, params, macs, gflops, depth] of BUILDERS) {
  test(`torchvision ${builder}(): ${params.toLocaleString("en-US")} params, ${gflops} GMACs, depth ${depth}`, () => {
    const s = summary(`${MODELS}/${module}.py`, `${builder}()`);
    assert.equal(s.totals.params, params);
    assert.equal(s.totals.macs, macs);
    assert.equal(Math.round(s.totals.macs / 1e7) / 100, gflops);
    assert.equal(s.totals.depth, depth);
    assert.deepEqual(s.output, [[1, 1000]]);
  });
}

test("the ResNet figures the paper and torchvision publish: ResNet-18 1.814 GMACs, ResNet-50 4.089 GMACs", () => {
  assert.equal(summary(`${MODELS}/resnet.py`, "resnet18()").totals.macs, 1814073344);
  assert.equal(summary(`${MODELS}/resnet.py`, "resnet50()").totals.macs, 4089184256);
});

test("residual blocks: ResNet-50 has 16 (4 projections), MobileNetV2 10 identity adds, VGG and DenseNet none", () => {
  const r50 = summary(`${MODELS}/resnet.py`, "resnet50()");
  assert.equal(r50.residualBlocks.length, 16);
  assert.equal(r50.residualBlocks.filter((b) => b.shortcut === "projection").length, 4);
  const mb = summary(`${MODELS}/mobilenetv2.py`, "mobilenet_v2()");
  assert.equal(mb.residualBlocks.length, 10);
  assert.ok(mb.residualBlocks.every((b) => b.shortcut === "identity"));
  assert.equal(summary(`${MODELS}/vgg.py`, "vgg16()").residualBlocks.length, 0);
  assert.equal(summary(`${MODELS}/densenet.py`, "densenet121()").residualBlocks.length, 0);
});

test("builders take the legacy pretrained= and positional weights, and num_classes through kwargs", () => {
  const file = `${MODELS}/resnet.py`;
  const fc10 = 25557032 - (2048 * 1000 + 1000) + (2048 * 10 + 10);
  assert.equal(summary(file, "resnet50(pretrained=True, num_classes=10)").totals.params, fc10);
  assert.equal(summary(file, "resnet50(weights=ResNet50_Weights.DEFAULT, progress=False)").totals.params, 25557032);
  assert.equal(summary(file, "resnet18(True)").totals.params, 11689512);
  const r = analyze({ file, text: readFileSync(file, "utf8"), entry: "resnext50_32x4d(groups=8)", input: [[1, 3, 224, 224]], readFile: zooReader() });
  assert.match(r.diagnostics.map((d) => d.message).join("\n"), /The parameter 'groups' expected value 32 but got 8 instead/);
});

test("layer names are torchvision's: layer4.0.conv2, features.denseblock1.denselayer1, features.1.conv.0.0", () => {
  const ids = (module: string, builder: string) => summary(`${MODELS}/${module}.py`, `${builder}()`).nodes.map((n) => n.id);
  assert.ok(ids("resnet", "resnet18").includes("layer4/0/conv2"));
  assert.ok(ids("resnet", "resnet50").includes("layer1/0/downsample/0"));
  assert.ok(ids("densenet", "densenet121").includes("features/denseblock1/denselayer1/conv1"));
  assert.ok(ids("mobilenetv2", "mobilenet_v2").includes("features/1/conv/0/0"));
  assert.ok(ids("vgg", "vgg16").includes("classifier/6"));
  assert.ok(ids("squeezenet", "squeezenet1_1").includes("features/3/expand3x3"));
});

test("the package as model code uses it: fine-tuned heads, weight enums, get_model and get_weight", () => {
  // A user file next to the torchvision folder: absolute imports find it as a workspace package.
  const user = `${ZOO}/user_model.py`;
  const text = `import torch.nn as nn
import torchvision
from torchvision import models
from torchvision.models import ResNet50_Weights, get_model, get_weight
from torchvision.models.resnet import BasicBlock, ResNet

assert torchvision.__version__ == "0.19.0"

def finetune():
    model = torchvision.models.resnet50(weights=ResNet50_Weights.DEFAULT)
    for p in model.parameters():
        p.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, 10)
    return model

def mobilenet():
    m = models.mobilenet_v2(pretrained=True)
    m.classifier[1] = nn.Linear(m.last_channel, 5)
    return m

def custom():
    return ResNet(BasicBlock, [1, 1, 1, 1], num_classes=7)

def by_name():
    meta = get_weight("ResNet18_Weights.IMAGENET1K_V1").meta
    assert meta["num_params"] == 11689512 and len(meta["categories"]) == 1000
    assert models.get_model_weights("resnet18") is models.ResNet18_Weights
    assert ResNet50_Weights.verify("IMAGENET1K_V2") is ResNet50_Weights.DEFAULT
    assert len(models.list_models()) == 26
    return get_model("squeezenet1_1", weights=None, num_classes=4)
`;
  const read = zooReader({ [user]: text });
  const ft = summary(user, "finetune()", text, read);
  assert.equal(ft.totals.params, 25557032 - 2049000 + 20490);
  assert.equal(ft.totals.trainableParams, 20490);
  assert.deepEqual(ft.output, [[1, 10]]);
  assert.equal(summary(user, "mobilenet()", text, read).totals.params, 3504872 - 1281000 + 6405);
  assert.deepEqual(summary(user, "custom()", text, read).output, [[1, 7]]);
  assert.equal(summary(user, "by_name()", text, read).totals.params, 1235496 - 513000 + 2052);
});

test(
  "one torchvision.models per analysis when the workspace holds a torchvision package too",
  () => {
    const user = `${ZOO}/user_identity.py`;
    const text = `import torch.nn as nn
import torchvision
from torchvision.models import ResNet50_Weights
assert torchvision.models.ResNet50_Weights is ResNet50_Weights, "two copies of torchvision.models"

def net():
    return nn.Linear(2, 2)
`;
    const r = analyze({ file: user, text, entry: "net()", input: [[1, 2]], readFile: zooReader({ [user]: text }) });
    assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
  },
);
