import { test } from "node:test";
import assert from "node:assert/strict";
import { type PyClass, type PyInstance, type PyTensor, type Value, NONE, builtin, computeMro, list } from "../../../src/interp/values";
import { isKerasModel, runKerasModel } from "../../../src/frameworks/keras/index";
import { fakeContext, input, int, kw, layersFn, make, model, node, shp } from "./helpers";

test("functional residual block: Input -> Conv2D -> BN -> ReLU -> Add(shortcut)", () => {
  const ctx = fakeContext();
  const x = input(ctx, 56, 56, 64);
  let y = ctx.call(make(ctx, "Conv2D", [int(64), int(3)], { padding: "same" }), [x]);
  y = ctx.call(make(ctx, "BatchNormalization"), [y]);
  y = ctx.call(make(ctx, "ReLU"), [y]);
  const out = ctx.call(make(ctx, "Add"), [list([x, y])]);
  const add = node(ctx, out);
  assert.equal(add.category, "merge");
  assert.deepEqual(add.attrs?.mergeKind, "add");
  assert.deepEqual(add.inputs.map((t) => t.node), [x.node, (y as PyTensor).node]);
  const m = ctx.call(model("Model"), [], kw({ inputs: x, outputs: out }));
  assert.ok(isKerasModel(m));
  const run = runKerasModel(ctx, m as PyInstance, undefined);
  assert.deepEqual(run.inputs, [x.node]);
  assert.deepEqual(run.outputs, [(out as PyTensor).node]);
  // conv 3*3*64*64 + 64 = 36,928; BN 4*64 = 256 of which 128 non-trainable
  assert.deepEqual(run.paramTotals, { params: 37_184, trainableParams: 37_056, nonTrainableParams: 128, buffers: 0 });
  const count = ctx.call(ctx.getAttr(m, "count_params"), []);
  assert.deepEqual(count, int(37_184));
  const names = (ctx.getAttr(m, "layers") as { items: PyInstance[] }).items.map((l) => (ctx.getAttr(l, "name") as { v: string }).v);
  assert.deepEqual(names, ["input_layer", "conv2d", "batch_normalization", "re_lu", "add"]);
});

test("functional model counts only layers between its inputs and outputs", () => {
  const ctx = fakeContext();
  const x = input(ctx, 16);
  const h = ctx.call(make(ctx, "Dense", [int(8)]), [x]);
  ctx.call(make(ctx, "Dense", [int(1000)]), [h]); // a dead branch, not in the model
  const out = ctx.call(make(ctx, "Dense", [int(2)]), [h]);
  const m = ctx.call(model("Model"), [x, out]) as PyInstance;
  assert.equal(runKerasModel(ctx, m, undefined).paramTotals.params, 16 * 8 + 8 + 8 * 2 + 2);
  assert.equal(m.native.name, "functional");
});

test("Add of mismatched shapes reports a shape-mismatch and keeps the first shape", () => {
  const ctx = fakeContext();
  for (let i = 0; i < 3; i++) make(ctx, "Add"); // add, add_1, add_2
  const a = input(ctx, 56, 56, 64);
  const b = input(ctx, 56, 56, 256);
  const out = ctx.call(make(ctx, "Add"), [list([a, b])]);
  assert.deepEqual(ctx.messages, ["error: Add 'add_3' cannot add shapes (None, 56, 56, 64) and (None, 56, 56, 256)."]);
  assert.deepEqual(node(ctx, out).shape, [null, 56, 56, 64]);
});

test("Add broadcasts size-1 dims; Concatenate sums the axis and reports mismatches", () => {
  const ctx = fakeContext();
  const a = input(ctx, 7, 7, 32);
  const s = input(ctx, 1, 1, 32);
  assert.deepEqual(node(ctx, ctx.call(make(ctx, "Multiply"), [list([a, s])])).shape, [null, 7, 7, 32]);
  const c = ctx.call(layersFn("concatenate"), [list([a, input(ctx, 7, 7, 16)])]);
  assert.deepEqual(node(ctx, c).shape, [null, 7, 7, 48]);
  assert.equal(node(ctx, c).name, "concatenate");
  ctx.call(layersFn("concatenate"), [list([a, input(ctx, 14, 14, 16)])]);
  assert.deepEqual(ctx.messages, [
    "error: Concatenate 'concatenate_1' cannot join shapes (None, 7, 7, 32) and (None, 14, 14, 16) along axis -1: all other dimensions must match.",
  ]);
});

test("one Dense applied twice: its weights count once; a different input width is reported", () => {
  const ctx = fakeContext();
  const dense = make(ctx, "Dense", [int(4)]);
  const a = input(ctx, 8);
  const b = input(ctx, 8);
  const ya = ctx.call(dense, [a]);
  const yb = ctx.call(dense, [b]);
  assert.equal(node(ctx, ya).layer, node(ctx, yb).layer);
  assert.equal(node(ctx, yb).params, 36, "every application carries the layer's params; the builder de-duplicates");
  const out = ctx.call(make(ctx, "Add"), [list([ya, yb])]);
  const m = ctx.call(model("Model"), [list([a, b]), out]) as PyInstance;
  assert.equal(runKerasModel(ctx, m, undefined).paramTotals.params, 36);
  ctx.call(dense, [input(ctx, 5)]);
  assert.deepEqual(ctx.messages, ["error: Dense 'dense' was built for input shape (None, 8) but is called again on (None, 5)."]);
});

test("Sequential with input_shape on its first layer", () => {
  const ctx = fakeContext();
  const layers = list([
    make(ctx, "Conv2D", [int(32), int(3)], { activation: "relu", input_shape: shp(28, 28, 1) }),
    make(ctx, "MaxPooling2D"),
    make(ctx, "Flatten"),
    make(ctx, "Dense", [int(10)], { activation: "softmax" }),
  ]);
  const seq = ctx.call(model("Sequential"), [layers]) as PyInstance;
  assert.ok(isKerasModel(seq));
  const run = runKerasModel(ctx, seq, undefined);
  const shapes = ctx.nodes.map((n) => [n.op, n.shape]);
  assert.deepEqual(shapes, [
    ["InputLayer", [null, 28, 28, 1]],
    ["Conv2D", [null, 26, 26, 32]],
    ["MaxPooling2D", [null, 13, 13, 32]],
    ["Flatten", [null, 5408]],
    ["Dense", [null, 10]],
  ]);
  assert.deepEqual(run.inputs, [ctx.nodes[0].id]);
  assert.deepEqual(run.outputs, [ctx.nodes[4].id]);
  assert.equal(run.paramTotals.params, 320 + 54_090);
  // Running it again re-uses the graph already built.
  runKerasModel(ctx, seq, undefined);
  assert.equal(ctx.nodes.length, 5);
});

test("Sequential with an Input first, .add(), and without any input shape", () => {
  const ctx = fakeContext();
  const seq = ctx.call(model("Sequential"), [list([input(ctx, 4)])]) as PyInstance;
  ctx.call(ctx.getAttr(seq, "add"), [make(ctx, "Dense", [int(3)])]);
  assert.equal(runKerasModel(ctx, seq, undefined).paramTotals.params, 15);
  const bare = ctx.call(model("Sequential"), [list([make(ctx, "Dense", [int(3)])])]) as PyInstance;
  assert.throws(() => runKerasModel(ctx, bare, undefined), /Sequential model 'sequential_1' has no input shape/);
  const run = runKerasModel(ctx, bare, [[null, 6]]);
  assert.equal(run.paramTotals.params, 21);
});

/** A user subclass `class Net(keras.Model)` whose methods are natives standing in for Python code. */
function userModelClass(): PyClass {
  const Model = model("Model");
  const Net: PyClass = {
    kind: "class",
    name: "Net",
    qualname: "Net",
    moduleName: "test",
    bases: [Model],
    mro: [],
    dict: new Map<string, Value>([
      [
        "__init__",
        builtin("__init__", (args, _kw, ctx) => {
          const self = args[0];
          ctx.call(Model.dict.get("__init__")!, [self]);
          ctx.setAttr(self, "body", make(ctx as never, "Conv2D", [int(8), int(3)], { padding: "same" }));
          ctx.setAttr(self, "bn", make(ctx as never, "BatchNormalization"));
          ctx.setAttr(self, "head", make(ctx as never, "Dense", [int(2)]));
          return NONE;
        }),
      ],
      [
        "call",
        builtin("call", (args, _kw, ctx) => {
          const self = args[0];
          let x = ctx.call(ctx.getAttr(self, "body"), [args[1]]);
          x = ctx.call(ctx.getAttr(self, "bn"), [x]);
          x = ctx.call(make(ctx as never, "GlobalAveragePooling2D"), [x]);
          return ctx.call(ctx.getAttr(self, "head"), [x]);
        }),
      ],
    ]),
  };
  Net.mro = computeMro(Net);
  return Net;
}

test("subclassed model: run on given input shapes, sublayers tracked by attribute", () => {
  const ctx = fakeContext();
  const net = ctx.call(userModelClass(), []) as PyInstance;
  assert.equal(net.native.name, "net");
  assert.throws(() => runKerasModel(ctx, net, undefined), /subclassed model: its input shape is needed/);
  const run = runKerasModel(ctx, net, [[null, 16, 16, 3]]);
  const conv = 3 * 3 * 3 * 8 + 8;
  assert.deepEqual(run.paramTotals, { params: conv + 32 + 18, trainableParams: conv + 16 + 18, nonTrainableParams: 16, buffers: 0 });
  const head = ctx.nodes.find((n) => n.op === "Dense")!;
  assert.deepEqual(head.shape, [null, 2]);
  assert.equal(head.attrs?.attribute, "head");
  assert.deepEqual(run.outputs, [head.id]);
  // A second run with the same shapes re-uses the first call.
  const before = ctx.nodes.length;
  runKerasModel(ctx, net, [[null, 16, 16, 3]]);
  assert.equal(ctx.nodes.length, before);
});

test("trainable=False makes a layer's weights non-trainable", () => {
  const ctx = fakeContext();
  const x = input(ctx, 8);
  const frozen = make(ctx, "Dense", [int(4)], { trainable: { kind: "bool", v: false } as Value as never });
  const out = ctx.call(frozen, [x]);
  const m = ctx.call(model("Model"), [x, out]) as PyInstance;
  assert.deepEqual(runKerasModel(ctx, m, undefined).paramTotals, { params: 36, trainableParams: 0, nonTrainableParams: 36, buffers: 0 });
  ctx.setAttr(frozen, "trainable", { kind: "bool", v: true });
  assert.equal(runKerasModel(ctx, m, undefined).paramTotals.trainableParams, 36);
});
