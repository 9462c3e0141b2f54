import { test } from "node:test";
import assert from "node:assert/strict";
import { fakeContext } from "../../helpers/fake-context";
import {
  type PyInstance,
  type Value,
  FALSE,
  OBJECT_CLASS,
  builtin,
  dict,
  int,
  isInstanceOf,
  nativeClass,
  str,
  tuple,
  unknown,
} from "../../../src/interp/values";
import { tensorProtocol } from "../../../src/interp/tensor-protocol";
import { isTorchModule, runTorchModel, torchParamTotals } from "../../../src/frameworks/torch/index";
import { fn, input, kw, layer, mod, nnClass, nodeOf } from "./torch-test-kit";

const names = (ctx: ReturnType<typeof fakeContext>, it: Value) =>
  ctx.iterate(it).map((v) => (v.kind === "tuple" && v.items[0].kind === "str" ? v.items[0].v : "?"));

/** A residual block whose forward is `out = conv1(x); out += x`, like torchvision's BasicBlock. */
const Block = nativeClass("Block", "test", [nnClass("Module"), OBJECT_CLASS], {
  forward: builtin("Block.forward", (args, _kw, ctx) => {
    const [self, x] = args;
    const out = ctx.call(ctx.getAttr(self, "conv1"), [x]);
    return tensorProtocol("pytorch")!.binary(ctx, "+", out, x, true)!;
  }),
});

function resnetish(ctx: ReturnType<typeof fakeContext>): { root: PyInstance; layer1: PyInstance } {
  const root = ctx.call(nnClass("Module"), []) as PyInstance;
  const block = ctx.call(Block, []) as PyInstance;
  ctx.setAttr(block, "conv1", layer(ctx, "Conv2d", [int(64), int(64), int(3)], { padding: int(1), bias: FALSE }));
  const layer1 = layer(ctx, "Sequential", [block]);
  ctx.setAttr(root, "layer1", layer1);
  return { root, layer1 };
}

test("scope paths and ids follow the module tree; functional ops take the running module's scope", () => {
  const ctx = fakeContext();
  const { layer1 } = resnetish(ctx);
  const y = ctx.call(layer1, [input(ctx, [1, 64, 56, 56])]);
  const conv = ctx.nodes.find((n) => n.op === "Conv2d")!;
  assert.deepEqual([conv.id, conv.name, conv.scope], ["layer1/0/conv1", "conv1", "layer1/0/conv1"]);
  const add = nodeOf(ctx.nodes, y);
  assert.deepEqual([add.id, add.op, add.category, add.scope, add.attrs], ["layer1/0/add", "add", "merge", "layer1/0", { inplace: true }]);
  assert.deepEqual(add.shape, [1, 64, 56, 56]);
  assert.deepEqual(ctx.messages, []);
});

test("a channel mismatch names the module path and both numbers, and the graph stays whole", () => {
  const ctx = fakeContext();
  const { layer1 } = resnetish(ctx);
  const y = ctx.call(layer1, [input(ctx, [1, 128, 56, 56])]);
  assert.deepEqual(ctx.messages, [
    "error: Conv2d 'layer1.0.conv1' expects 64 input channels, got 128.",
    "error: Cannot add tensors of shapes [1, 64, 56, 56] and [1, 128, 56, 56]: they do not broadcast.",
  ]);
  assert.deepEqual(nodeOf(ctx.nodes, y).shape, [1, 64, 56, 56]);
});

test("nested Sequential and OrderedDict children get '/'-joined scopes", () => {
  const ctx = fakeContext();
  const inner = layer(ctx, "Sequential", [
    dict([
      [str("conv"), layer(ctx, "Conv2d", [int(8), int(8), int(1)])],
      [str("bn"), layer(ctx, "BatchNorm2d", [int(8)])],
    ]),
  ]);
  const features = layer(ctx, "Sequential", [layer(ctx, "Conv2d", [int(3), int(8), int(3)]), layer(ctx, "ReLU", []), inner]);
  const root = ctx.call(nnClass("Module"), []) as PyInstance;
  ctx.setAttr(root, "features", features);
  ctx.call(features, [input(ctx, [1, 3, 10, 10])]);
  assert.deepEqual(
    ctx.nodes.filter((n) => n.op !== "Input").map((n) => [n.id, n.name, n.op]),
    [["features/0", "0", "Conv2d"], ["features/1", "1", "ReLU"], ["features/2/conv", "conv", "Conv2d"], ["features/2/bn", "bn", "BatchNorm2d"]],
  );
  assert.deepEqual(ctx.nodes[ctx.nodes.length - 1].shape, [1, 8, 8, 8]);
});

test("torchParamTotals counts a shared module once, adds nn.Parameters, splits frozen ones", () => {
  const ctx = fakeContext();
  const root = ctx.call(nnClass("Module"), []) as PyInstance;
  const a = layer(ctx, "Linear", [int(10), int(10)]);
  ctx.setAttr(root, "a", a);
  const b = layer(ctx, "Sequential", [a, layer(ctx, "Linear", [int(10), int(5)])]);
  ctx.setAttr(root, "b", b);
  assert.deepEqual(torchParamTotals(root), { params: 165, trainableParams: 165, nonTrainableParams: 0, buffers: 0 });
  const scale = ctx.call(nnClass("Parameter"), [ctx.call(fn("torch", "zeros"), [int(3)])]);
  ctx.setAttr(root, "scale", scale);
  ctx.setAttr(scale, "requires_grad", FALSE);
  assert.deepEqual(torchParamTotals(root), { params: 168, trainableParams: 165, nonTrainableParams: 3, buffers: 0 });
  // First parent wins: `a` keeps the scope it was first registered under.
  ctx.call(b, [input(ctx, [1, 10])]);
  assert.deepEqual(ctx.nodes.filter((n) => n.op === "Linear").map((n) => n.id), ["a", "b/1"]);
  assert.deepEqual(names(ctx, ctx.call(ctx.getAttr(root, "named_modules"), [])), ["", "a", "b", "b.1"]);
  assert.deepEqual(names(ctx, ctx.call(ctx.getAttr(root, "named_parameters"), [])), ["scale", "a.weight", "a.bias", "b.1.weight", "b.1.bias"]);
  assert.equal(ctx.iterate(ctx.call(ctx.getAttr(root, "parameters"), [])).length, 5);
});

test("re-assigning a child replaces it in place; None unregisters a parameter", () => {
  const ctx = fakeContext();
  const root = ctx.call(nnClass("Module"), []) as PyInstance;
  ctx.setAttr(root, "fc", layer(ctx, "Linear", [int(4), int(4)]));
  ctx.setAttr(root, "act", layer(ctx, "ReLU", []));
  ctx.setAttr(root, "fc", layer(ctx, "Linear", [int(4), int(2)]));
  assert.deepEqual(names(ctx, ctx.call(ctx.getAttr(root, "named_children"), [])), ["fc", "act"]);
  assert.equal(torchParamTotals(root).params, 10);
  const fc = ctx.getAttr(root, "fc") as PyInstance;
  ctx.setAttr(fc, "bias", { kind: "none" });
  assert.equal(torchParamTotals(root).params, 8);
});

test("modules(), apply() order and a torchvision-style init loop", () => {
  const ctx = fakeContext();
  const seq = layer(ctx, "Sequential", [layer(ctx, "Conv2d", [int(3), int(4), int(3)], { bias: FALSE }), layer(ctx, "BatchNorm2d", [int(4)])]);
  const mods = ctx.iterate(ctx.call(ctx.getAttr(seq, "modules"), [])) as PyInstance[];
  assert.deepEqual(mods.map((m) => m.cls.name), ["Sequential", "Conv2d", "BatchNorm2d"]);
  const kaiming = fn("torch.nn.init", "kaiming_normal_");
  for (const m of mods) {
    if (isInstanceOf(m, nnClass("Conv2d"))) {
      const w = ctx.getAttr(m, "weight");
      assert.equal(ctx.call(kaiming, [w], kw({ mode: str("fan_out"), nonlinearity: str("relu") })), w);
    }
  }
  const seen: string[] = [];
  const visit = builtin("visit", (args) => {
    seen.push((args[0] as PyInstance).cls.name);
    return { kind: "none" };
  });
  assert.equal(ctx.call(ctx.getAttr(seq, "apply"), [visit]), seq);
  assert.deepEqual(seen, ["Conv2d", "BatchNorm2d", "Sequential"]);
  assert.equal(ctx.call(ctx.getAttr(seq, "eval"), []), seq);
  assert.deepEqual(ctx.getAttr(mods[1], "training"), FALSE);
});

test("Sequential indexing, slicing (names kept), len and append; ModuleList insert; ModuleDict", () => {
  const ctx = fakeContext();
  const relu = layer(ctx, "ReLU", []);
  const bn = layer(ctx, "BatchNorm2d", [int(4)]);
  const seq = layer(ctx, "Sequential", [layer(ctx, "Conv2d", [int(3), int(4), int(1)]), relu, bn]);
  const call = (obj: Value, m: string, args: Value[] = []) => ctx.call(ctx.getAttr(obj, m), args);
  assert.equal(call(seq, "__getitem__", [int(-1)]), bn);
  const tail = call(seq, "__getitem__", [{ kind: "slice", start: int(1), stop: { kind: "none" }, step: { kind: "none" } }]);
  assert.deepEqual(call(tail, "__len__"), int(2));
  assert.deepEqual(names(ctx, call(tail, "named_children")), ["1", "2"]);
  call(seq, "append", [layer(ctx, "Dropout", [])]);
  assert.deepEqual(call(seq, "__len__"), int(4));
  assert.throws(() => call(seq, "__getitem__", [int(4)]), /index 4 is out of range/);

  const ml = layer(ctx, "ModuleList", [tuple([relu, bn])]);
  call(ml, "insert", [int(0), layer(ctx, "Tanh", [])]);
  assert.deepEqual(ctx.iterate(call(ml, "named_children")).map((t) => ctx.repr((t as { items: Value[] }).items[0])), ["'0'", "'1'", "'2'"]);
  assert.equal(call(ml, "__getitem__", [int(2)]), bn);

  const md = layer(ctx, "ModuleDict", [dict([[str("act"), relu]])]);
  call(md, "__setitem__", [str("norm"), bn]);
  assert.deepEqual(ctx.iterate(call(md, "keys")), [str("act"), str("norm")]);
  assert.equal(call(md, "__getitem__", [str("norm")]), bn);
});

test("an unknown nn layer warns and becomes an opaque pass-through node", () => {
  const ctx = fakeContext();
  const cls = ctx.call(fn("torch.nn", "__getattr__"), [str("FancyNewLayer")]);
  const m = ctx.call(cls, [int(3)], kw({ mode: str("x") }));
  assert.deepEqual(ctx.messages, ["warning: Unknown layer 'FancyNewLayer': shown as an opaque node that passes its input shape through."]);
  const n = nodeOf(ctx.nodes, ctx.call(m, [input(ctx, [1, 7])]));
  assert.deepEqual([n.op, n.category, n.shape], ["FancyNewLayer", "opaque", [1, 7]]);
  assert.ok(isTorchModule(m));
  assert.throws(() => ctx.call(fn("torch.nn", "__getattr__"), [str("utils_thing")]), /has no attribute 'utils_thing'/);
});

test("runTorchModel makes Input nodes and collects outputs from tuples", () => {
  const ctx = fakeContext();
  const model = layer(ctx, "Sequential", [layer(ctx, "Conv2d", [int(3), int(8), int(3)], { padding: int(1) }), layer(ctx, "ReLU", [])]);
  const r = runTorchModel(ctx, model, [[1, 3, 32, 32]]);
  assert.deepEqual(r, { inputs: ["input"], outputs: ["1"] });
  assert.deepEqual(ctx.nodes.find((n) => n.id === "1")!.shape, [1, 8, 32, 32]);
  assert.equal(isTorchModule(model), true);
  assert.equal(isTorchModule(unknown("x")), false);
  assert.ok(mod("torch").dict.get("nn") === mod("torch.nn"));
  assert.ok(mod("torch.nn").dict.get("functional") === mod("torch.nn.functional"));
});
