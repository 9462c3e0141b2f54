// Our own torchvision.models (src/frameworks/zoo/python/torchvision): every builder must give
// torchvision's published parameter count exactly, and MACs that round to its published GFLOPS
// (which torchvision counts as multiply-accumulates of convs and linears, at 224x224 or the size
// a model's weights were trained at). Each module is analysed as a user file whose relative
// imports are served from the zoo folder.

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

function summary(file: string, entry: string, text = readFileSync(file, "utf8"), readFile = zooReader(), size = 224) {
  const r = analyze({ file, text, entry, input: [[1, 3, size, size]], readFile });
  assert.ok(r.ir, r.diagnostics.map((d) => d.message).join("\n"));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info"), []);
  return summarize(r.ir!, r.diagnostics);
}

// [module, builder (or an entry expression), published params, MACs, published GFLOPS (null where
// torchvision's figure differs in the last digit), depth, input size when not 224: torchvision
// publishes each model's GFLOPS at the size its weights were trained at]
const BUILDERS: [string, string, number, number, number | null, number, number?][] = [
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
  ["mobilenetv3", "mobilenet_v3_large", 5483032, 216589760, 0.22, 64],
  ["mobilenetv3", "mobilenet_v3_small", 2542856, 56510400, 0.06, 54],
  ["efficientnet", "efficientnet_b0", 5288548, 385814752, 0.39, 82],
  ["efficientnet", "efficientnet_b1", 7794184, 686802832, 0.69, 116, 240],
  ["efficientnet", "efficientnet_b2", 9109994, 1087529456, 1.09, 116, 288],
  ["efficientnet", "efficientnet_b3", 12233232, 1827141392, 1.83, 131, 300],
  ["efficientnet", "efficientnet_b4", 19341616, 4393771024, 4.39, 161, 380],
  ["efficientnet", "efficientnet_b5", 30389784, 10266384752, 10.27, 195, 456],
  ["efficientnet", "efficientnet_b6", 43040704, 19067593536, 19.07, 225, 528],
  ["efficientnet", "efficientnet_b7", 66347960, 37745884192, 37.75, 274, 600],
  ["efficientnet", "efficientnet_v2_s", 21458488, 8365617152, 8.37, 171, 384],
  ["efficientnet", "efficientnet_v2_m", 54139356, 24582460384, 24.58, 246, 480],
  ["efficientnet", "efficientnet_v2_l", 118515272, 56079699008, 56.08, 340, 480],
  ["shufflenetv2", "shufflenet_v2_x0_5", 1366792, 40476448, 0.04, 51],
  ["shufflenetv2", "shufflenet_v2_x1_0", 2278604, 144907992, 0.14, 51],
  ["shufflenetv2", "shufflenet_v2_x1_5", 3503624, 295759392, 0.3, 51],
  ["shufflenetv2", "shufflenet_v2_x2_0", 7393996, 583253464, 0.58, 51],
  // torchvision's published GoogLeNet, without the auxiliary classifiers googlenet() builds.
  ["googlenet", "googlenet(aux_logits=False)", 6624904, 1498376192, 1.5, 22],
  // Counted in eval mode: the auxiliary classifier (in the parameters) runs only while training.
  ["inception", "inception_v3().eval()", 27161264, 5713216096, 5.71, 48, 299],
  ["convnext", "convnext_tiny", 28589128, 4455531264, 4.46, 59],
  ["convnext", "convnext_small", 50223688, 8683712256, 8.68, 113],
  ["convnext", "convnext_base", 88591464, 15354729472, null, 113], // published 15.36
  ["convnext", "convnext_large", 197767336, 34361433600, 34.36, 113],
  ["mnasnet", "mnasnet0_5", 2218512, 104455968, 0.1, 53],
  ["mnasnet", "mnasnet0_75", 3170208, 215493104, null, 53], // published 0.21
  ["mnasnet", "mnasnet1_0", 4383312, 314415872, 0.31, 53],
  ["mnasnet", "mnasnet1_3", 6282256, 526362432, 0.53, 53],
  ["regnet", "regnet_y_400mf", 4344144, 401842848, 0.4, 82],
  ["regnet", "regnet_y_800mf", 6432512, 833856256, 0.83, 72],
  ["regnet", "regnet_y_1_6gf", 11202430, 1612076160, 1.61, 137],
  ["regnet", "regnet_y_3_2gf", 19436338, 3176482752, 3.18, 107],
  ["regnet", "regnet_y_8gf", 39381472, 8473070592, 8.47, 87],
  ["regnet", "regnet_y_16gf", 83590140, 15911510272, 15.91, 92],
  ["regnet", "regnet_y_32gf", 145046770, 32279552832, 32.28, 102],
  ["regnet", "regnet_y_128gf", 644812894, 127517815680, 127.52, 137],
  ["regnet", "regnet_x_400mf", 5495976, 413812608, 0.41, 68],
  ["regnet", "regnet_x_800mf", 7259656, 799699712, 0.8, 50],
  ["regnet", "regnet_x_1_6gf", 9190136, 1602849792, 1.6, 56],
  ["regnet", "regnet_x_3_2gf", 15296552, 3176621952, 3.18, 77],
  ["regnet", "regnet_x_8gf", 39572648, 7995132416, 8, 71],
  ["regnet", "regnet_x_16gf", 54278536, 15940755456, 15.94, 68],
  ["regnet", "regnet_x_32gf", 107811560, 31735929792, 31.74, 71],
  // Both attention matmuls (Q.K^T and A.V) count, as in torchvision's figures.
  ["vision_transformer", "vit_b_16", 86567656, 17563828224, 17.56, 50],
  ["vision_transformer", "vit_b_32", 88224232, 4409186304, 4.41, 50],
  ["vision_transformer", "vit_l_16", 304326632, 61554712576, 61.55, 98],
  ["vision_transformer", "vit_l_32", 306535400, 15377539072, 15.38, 98],
  ["vision_transformer", "vit_h_14", 632045800, 167295109120, null, 130], // published 167.29 (its _ops: 167.295)
];

for (const [module, builder, params, macs, gflops, depth, size = 224] of BUILDERS) {
  const entry = builder.includes("(") ? builder : `${builder}()`;
  const at = size === 224 ? "" : ` at ${size}x${size}`;
  test(`torchvision ${entry}: ${params.toLocaleString("en-US")} params, ${gflops ?? (macs / 1e9).toFixed(3)} GMACs${at}, depth ${depth}`, () => {
    const s = summary(`${MODELS}/${module}.py`, entry, undefined, undefined, size);
    assert.equal(s.totals.params, params);
    assert.equal(s.totals.macs, macs);
    if (gflops !== null) assert.equal(Math.round(s.totals.macs / 1e7) / 100, gflops);
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
    assert len(models.list_models()) == 73
    # Table-made builders and weight enums keep their names, and the registry hands out the builder.
    assert models.resnet18.__name__ == "resnet18" and models.ResNet50_Weights.__name__ == "ResNet50_Weights"
    assert models.get_model_builder("regnet_y_400mf") is models.regnet_y_400mf
    assert get_weight("RegNet_Y_16GF_Weights.IMAGENET1K_SWAG_E2E_V1").meta["num_params"] == 83590140
    assert models.VGG16_Weights.IMAGENET1K_FEATURES.meta["categories"] is None
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

test("GoogLeNet and Inception v3 build their auxiliary classifiers unless aux_logits=False, and run them only while training", () => {
  const g = `${MODELS}/googlenet.py`;
  // What PyTorch prints for sum(p.numel()) of googlenet(): aux1 and aux2 included.
  const withAux = summary(g, "googlenet()");
  assert.equal(withAux.totals.params, 13004888);
  assert.deepEqual(withAux.output, [[1, 1000], [1, 1000], [1, 1000]]);
  const evalMode = summary(g, "googlenet().eval()");
  assert.equal(evalMode.totals.params, 13004888);
  assert.deepEqual(evalMode.output, [[1, 1000]]);
  assert.equal(evalMode.totals.macs, 1498376192);
  // Pretrained weights drop the auxiliary classifiers: the published 6,624,904.
  for (const entry of ["googlenet(pretrained=True)", "googlenet(weights=GoogLeNet_Weights.DEFAULT)", "googlenet(True)"]) {
    const s = summary(g, entry);
    assert.equal(s.totals.params, 6624904, entry);
    assert.deepEqual(s.output, [[1, 1000]], entry);
  }
  assert.equal(summary(g, "googlenet(weights='IMAGENET1K_V1', aux_logits=True)").totals.params, 13004888);
  const r = analyze({ file: g, text: readFileSync(g, "utf8"), entry: "googlenet(weights='DEFAULT', num_classes=10)", input: [[1, 3, 224, 224]], readFile: zooReader() });
  assert.match(r.diagnostics.map((d) => d.message).join("\n"), /The parameter 'num_classes' expected value 1000 but got 10 instead/);

  const i = `${MODELS}/inception.py`;
  // The published 27,161,264 includes AuxLogits, which the pretrained model keeps too.
  const train = summary(i, "inception_v3()", undefined, undefined, 299);
  assert.equal(train.totals.params, 27161264);
  assert.deepEqual(train.output, [[1, 1000], [1, 1000]]);
  assert.equal(summary(i, "inception_v3(pretrained=True)", undefined, undefined, 299).totals.params, 27161264);
  const noAux = summary(i, "inception_v3(aux_logits=False)", undefined, undefined, 299);
  assert.equal(noAux.totals.params, 23834568);
  assert.equal(noAux.totals.macs, 5713216096);
  assert.deepEqual(noAux.output, [[1, 1000]]);
  assert.equal(summary(i, "inception_v3(weights='DEFAULT', aux_logits=False)", undefined, undefined, 299).totals.params, 23834568);
});

test("residual blocks of the newer families: inverted residuals, RegNet's projections, none in ShuffleNet", () => {
  const blocks = (module: string, builder: string) => summary(`${MODELS}/${module}.py`, `${builder}()`).residualBlocks;
  const identities = (module: string, builder: string) => {
    const b = blocks(module, builder);
    assert.ok(b.every((x) => x.shortcut === "identity"), builder);
    return b.length;
  };
  assert.equal(identities("mobilenetv3", "mobilenet_v3_large"), 10);
  assert.equal(identities("mobilenetv3", "mobilenet_v3_small"), 6);
  assert.equal(identities("efficientnet", "efficientnet_b0"), 9); // 16 blocks in 7 stages
  assert.equal(identities("efficientnet", "efficientnet_v2_s"), 35); // 40 blocks in 6 stages, the first kept
  assert.equal(identities("mnasnet", "mnasnet1_0"), 10);
  const regnet = blocks("regnet", "regnet_x_400mf");
  assert.equal(regnet.length, 22);
  assert.equal(regnet.filter((b) => b.shortcut === "projection").length, 4);
  // Channel split and concatenation, no addition.
  assert.equal(blocks("shufflenetv2", "shufflenet_v2_x1_0").length, 0);
  // x + layer_scale * block(x): the learned scale (a Parameter, a constant node) does not hide the block.
  assert.equal(identities("convnext", "convnext_tiny"), 18);
});

test("layer names of the newer families are torchvision's", () => {
  const ids = (module: string, builder: string, size = 224) => summary(`${MODELS}/${module}.py`, `${builder}()`, undefined, undefined, size).nodes.map((n) => n.id);
  assert.ok(ids("mobilenetv3", "mobilenet_v3_large").includes("features/4/block/2/fc1"));
  assert.ok(ids("efficientnet", "efficientnet_b0").includes("features/1/0/block/1/fc2"));
  assert.ok(ids("efficientnet", "efficientnet_v2_s").includes("features/2/0/block/1/0"));
  const convnext = ids("convnext", "convnext_tiny");
  assert.ok(convnext.includes("features/1/0/block/3"));
  assert.ok(convnext.includes("features/1/0/layer_scale"));
  assert.ok(ids("shufflenetv2", "shufflenet_v2_x1_0").includes("stage2/0/branch1/2"));
  assert.ok(ids("googlenet", "googlenet").includes("aux1/fc2"));
  assert.ok(ids("inception", "inception_v3", 299).includes("Mixed_7c/branch3x3_2a/conv"));
  assert.ok(ids("mnasnet", "mnasnet1_0").includes("layers/8/0/layers/3"));
  assert.ok(ids("regnet", "regnet_y_400mf").includes("trunk_output/block1/block1-0/f/se/fc1"));
});

test("the newer builders as model code calls them: kwargs, weight enums, torchvision.ops", () => {
  const user = `${ZOO}/user_newer.py`;
  const text = `import torch.nn as nn
from torchvision import models
from torchvision.models import EfficientNet_B0_Weights, MobileNet_V3_Large_Weights
from torchvision.ops import MLP, SqueezeExcitation, StochasticDepth
from torchvision.ops.misc import Conv2dNormActivation

def mobilenet_head():
    m = models.mobilenet_v3_large(weights=MobileNet_V3_Large_Weights.DEFAULT)
    m.classifier[3] = nn.Linear(m.classifier[3].in_features, 3)
    return m

def efficientnet_kwargs():
    assert EfficientNet_B0_Weights.DEFAULT.meta["num_params"] == 5288548
    return models.efficientnet_b0(pretrained=True, num_classes=10, dropout=0.5, stochastic_depth_prob=0.0)

def reduced_tail():
    return models.mobilenet_v3_large(reduced_tail=True, dilated=True)

def regnet_by_name():
    return models.get_model("regnet_y_400mf", num_classes=7)

def ops():
    return nn.Sequential(
        Conv2dNormActivation(3, 16, stride=2),
        SqueezeExcitation(16, 4),
        StochasticDepth(0.2, "row"),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        MLP(16, [32, 10], dropout=0.1),
    )
`;
  const read = zooReader({ [user]: text });
  assert.equal(summary(user, "mobilenet_head()", text, read).totals.params, 5483032 - 1281000 + 3843);
  const eff = summary(user, "efficientnet_kwargs()", text, read);
  assert.equal(eff.totals.params, 5288548 - 1281000 + 12810);
  assert.deepEqual(eff.output, [[1, 10]]);
  // The detection backbones' variant: the last stage at half width, dilated instead of strided.
  assert.deepEqual(summary(user, "reduced_tail()", text, read).output, [[1, 1000]]);
  assert.deepEqual(summary(user, "regnet_by_name()", text, read).output, [[1, 7]]);
  const ops = summary(user, "ops()", text, read);
  // conv 3*16*9 + BN 32; SE 16*4+4 + 4*16+16; MLP 16*32+32 + 32*10+10.
  assert.equal(ops.totals.params, 432 + 32 + 68 + 80 + 544 + 330);
  assert.deepEqual(ops.output, [[1, 10]]);
});

test("Vision Transformers: attention counted with both matmuls, torchvision's layer names, weights that fix the input size", () => {
  const file = `${MODELS}/vision_transformer.py`;
  const b16 = summary(file, "vit_b_16()");
  const attention = b16.nodes.find((n) => n.id === "encoder/layers/encoder_layer_0/self_attention")!;
  // 197 tokens of width 768: the Q, K, V projections (197*768*2304) and Q.K^T and A.V (197*197*768 each).
  assert.equal(attention.macs, 197 * 768 * 2304 + 2 * 197 * 197 * 768);
  const ids = b16.nodes.map((n) => n.id);
  for (const id of ["conv_proj", "class_token", "encoder/pos_embedding", "encoder/layers/encoder_layer_11/mlp/3", "encoder/ln", "heads/head"]) {
    assert.ok(ids.includes(id), id);
  }
  assert.equal(b16.residualBlocks.length, 24);
  // SWAG end-to-end weights were fine-tuned at 384x384: position embeddings for 577 tokens.
  const swag = summary(file, "vit_b_16(weights=ViT_B_16_Weights.IMAGENET1K_SWAG_E2E_V1)", undefined, undefined, 384);
  assert.equal(swag.totals.params, 86859496);
  for (const entry of ["vit_b_16(pretrained=True)", "vit_b_16(True)"]) assert.equal(summary(file, entry).totals.params, 86567656, entry);
  const r = analyze({ file, text: readFileSync(file, "utf8"), entry: "vit_b_16(weights='IMAGENET1K_SWAG_E2E_V1', image_size=224)", input: [[1, 3, 224, 224]], readFile: zooReader() });
  assert.match(r.diagnostics.map((d) => d.message).join("\n"), /The parameter 'image_size' expected value 384 but got 224 instead/);
});
