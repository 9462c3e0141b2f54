import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { analyze } from "../../src/analyze";
import { buildViewModel } from "../../src/view/view-model";
import { summarize } from "../../src/analysis/summary";
import type { ViewModel } from "../../src/view/types";
import { tinyResNet } from "../analysis/ir-fixtures";

function resnet50(): { model: ViewModel; ir: NonNullable<ReturnType<typeof analyze>["ir"]> } {
  const text = readFileSync("examples/torch_resnet.py", "utf8");
  const r = analyze({ file: "examples/torch_resnet.py", text, entry: "resnet50()", input: [[1, 3, 224, 224]] });
  assert.ok(r.ir, "resnet50() analyses");
  return { model: buildViewModel(r.ir), ir: r.ir };
}

const { model: r50, ir: r50ir } = resnet50();

test("ResNet-50: 4 stage groups holding 16 residual blocks", () => {
  const stages = r50.groups.filter((g) => g.kind === "stage");
  const blocks = r50.groups.filter((g) => g.kind === "block");
  assert.deepEqual(stages.map((s) => s.label), ["conv2_x", "conv3_x", "conv4_x", "conv5_x"]);
  assert.deepEqual(stages.map((s) => s.groups.length), [3, 4, 6, 3]);
  assert.equal(blocks.length, 16);
  assert.equal(r50.groups.length, 20, "no scope groups: ResNet's module containers are all blocks or stages");
  assert.ok(blocks.every((b) => b.parent?.startsWith("stage:")));
  assert.deepEqual(r50.roots, ["input", "conv1", "bn1", "relu", "maxpool", "stage:conv2_x", "stage:conv3_x", "stage:conv4_x", "stage:conv5_x", "avgpool", "flatten", "fc"]);
});

test("ResNet-50: 4 projection and 12 identity shortcut edges, one per block", () => {
  const shortcuts = r50.edges.filter((e) => e.shortcut);
  assert.equal(shortcuts.filter((e) => e.shortcut === "projection").length, 4);
  assert.equal(shortcuts.filter((e) => e.shortcut === "identity").length, 12);
  assert.equal(new Set(shortcuts.map((e) => e.block)).size, 16);
  const first = shortcuts.find((e) => e.block === "block:layer1/0")!;
  assert.deepEqual([first.source, first.target, first.shortcut], ["layer1/0/downsample/1", "layer1/0/add", "projection"]);
  const second = shortcuts.find((e) => e.block === "block:layer1/1")!;
  assert.deepEqual([second.source, second.target, second.shortcut], ["layer1/0/relu_2", "layer1/1/add", "identity"]);
  // The projection path's other edges know their block but carry no shortcut tag.
  const path = r50.edges.filter((e) => e.shortcutOf === "block:layer1/0").map((e) => e.id);
  assert.deepEqual(path, ["maxpool->layer1/0/downsample/0", "layer1/0/downsample/0->layer1/0/downsample/1", "layer1/0/downsample/1->layer1/0/add"]);
  // One edge per IR input.
  assert.equal(r50.edges.length, r50ir.nodes.reduce((s, n) => s + n.inputs.length, 0));
});

test("ResNet-50: repeats count identical consecutive sibling blocks", () => {
  const blocks = r50.groups.filter((g) => g.kind === "block");
  const repeats = Object.fromEntries(blocks.map((b) => [b.id, b.repeat]));
  assert.equal(repeats["block:layer1/0"], 1);
  assert.equal(repeats["block:layer1/1"], 2);
  assert.equal(repeats["block:layer2/1"], 3);
  assert.equal(repeats["block:layer3/1"], 5);
  assert.equal(repeats["block:layer4/1"], 2);
  assert.equal(repeats["block:layer3/4"], 1);
  assert.equal(blocks.find((b) => b.id === "block:layer3/4")!.repeatOf, "block:layer3/1");
});

test("ResNet-50: block members include the ReLU after the add; numbers and detail line", () => {
  const b = r50.groups.find((g) => g.id === "block:layer1/0")!;
  assert.deepEqual(b.nodes, [
    "layer1/0/conv1", "layer1/0/bn1", "layer1/0/relu", "layer1/0/conv2", "layer1/0/bn2", "layer1/0/relu_1",
    "layer1/0/conv3", "layer1/0/bn3", "layer1/0/downsample/0", "layer1/0/downsample/1", "layer1/0/add", "layer1/0/relu_2",
  ]);
  assert.equal(b.shortcut, "projection");
  assert.equal(b.params, 75008);
  assert.equal(b.macs, 231211008);
  assert.equal(b.inChannels, 64);
  assert.equal(b.outChannels, 256);
  assert.equal(b.outShapeText, "1×256×56×56");
  assert.equal(b.label, "Bottleneck"); // from the IR's moduleClasses
  assert.equal(b.detail, "64→256 ch · 75,008 params · 0.23 GMACs");
  const run = r50.groups.find((g) => g.id === "block:layer1/1")!;
  assert.equal(run.detail, "Bottleneck × 2 · 256 ch · 70,400 params · 0.22 GMACs");
  const stage = r50.groups.find((g) => g.id === "stage:conv2_x")!;
  assert.equal(stage.detail, "3 blocks · 64→256 ch · 215,808 params · 0.67 GMACs");
  const node = r50.nodes.find((n) => n.id === "layer1/0/downsample/0")!;
  assert.deepEqual([node.label, node.shapeText, node.group, node.line], ["downsample/0", "1×256×56×56", "block:layer1/0", 130]);
});

test("module classes from the host label the blocks", () => {
  const ir = tinyResNet();
  const m = buildViewModel(ir, undefined, { moduleClasses: { "layer1/0": "BasicBlock", "layer2/0": "BasicBlock" } });
  assert.deepEqual(m.groups.filter((g) => g.kind === "block").map((g) => g.label), ["BasicBlock", "BasicBlock"]);
});

test("a ModelSummary works as the analysis argument too", () => {
  const ir = tinyResNet();
  assert.deepEqual(buildViewModel(ir, summarize(ir, [])), buildViewModel(ir));
});

test("MobileNetV2: module scopes that are not blocks become scope groups", () => {
  const text = readFileSync("examples/torch_mobilenet_v2.py", "utf8");
  const r = analyze({ file: "examples/torch_mobilenet_v2.py", text, entry: "mobilenet_v2()", input: [[1, 3, 224, 224]] });
  const m = buildViewModel(r.ir!);
  const byId = new Map(m.groups.map((g) => [g.id, g]));
  assert.equal(m.groups.filter((g) => g.kind === "block").length, 10);
  const stem = byId.get("scope:features/0")!;
  assert.equal(stem.parent, null);
  assert.equal(stem.nodes.length, 3);
  // Every group's members are its nodes plus its child groups' members: a proper tree.
  const seen = new Set<string>();
  for (const n of m.nodes) {
    if (n.group) assert.ok(byId.get(n.group)!.nodes.includes(n.id));
    seen.add(n.id);
  }
  assert.equal(seen.size, m.nodes.length);
});
