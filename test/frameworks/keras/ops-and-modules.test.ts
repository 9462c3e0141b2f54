import { test } from "node:test";
import assert from "node:assert/strict";
import { type PyClass, type PyInstance, type PyModule, type PyTensor, type Value, NONE, builtin, computeMro, float, list, tuple } from "../../../src/interp/values";
import type { SourceSite, StackFrame } from "../../../src/ir/types";
import { tensorProtocol } from "../../../src/interp/tensor-protocol";
import { stubModule } from "../../../src/frameworks/registry";
import { registerKeras, runKerasModel } from "../../../src/frameworks/keras/index";
import { fakeContext, input, int, kw, layer, layersFn, make, model, node, shp, str } from "./helpers";

registerKeras();

test("x + y on KerasTensors makes an 'add' merge node; x * 2.0 a math node", () => {
  const ctx = fakeContext();
  const p = tensorProtocol("keras")!;
  const a = input(ctx, 4, 4, 8);
  const b = input(ctx, 4, 4, 8);
  const sum = p.binary(ctx, "+", a, b, false)!;
  const n = node(ctx, sum);
  assert.equal(n.op, "add");
  assert.equal(n.category, "merge");
  assert.equal(n.name, "add");
  assert.deepEqual(n.inputs.map((t) => t.node), [a.node, b.node]);
  const scaled = node(ctx, p.binary(ctx, "*", sum, float(2), false)!);
  assert.equal(scaled.category, "math");
  assert.deepEqual(scaled.shape, [null, 4, 4, 8]);
  p.binary(ctx, "+", a, input(ctx, 4, 4, 3), false);
  assert.deepEqual(ctx.messages, ["error: 'add_1' cannot add KerasTensors of shapes (None, 4, 4, 8) and (None, 4, 4, 3)."]);
  assert.deepEqual(p.attr(ctx, a, "shape"), tuple([NONE, int(4), int(4), int(8)]));
});

test("matmul counts MACs; indexing slices the shape", () => {
  const ctx = fakeContext();
  const p = tensorProtocol("keras")!;
  const q = input(ctx, 10, 64);
  const k = input(ctx, 64, 10);
  const mm = node(ctx, p.binary(ctx, "@", q, k, false)!);
  assert.deepEqual(mm.shape, [null, 10, 10]);
  assert.equal(mm.macs, 10 * 10 * 64);
  const sl = p.getItem(ctx, q, tuple([{ kind: "slice", start: NONE, stop: NONE, step: NONE }, int(0)]));
  assert.deepEqual(node(ctx, sl).shape, [null, 64]);
});

test("an unknown layer class warns at construction and passes its shape through", () => {
  const ctx = fakeContext();
  const layers = stubModule("keras.layers") as PyModule;
  const cls = ctx.call(layers.dict.get("__getattr__")!, [str("FancyLayer")]);
  const inst = ctx.call(cls, [int(3)], kw({ name: "fancy" }));
  assert.deepEqual(ctx.messages, ["warning: Unknown layer 'FancyLayer': shown as an opaque node that passes its input shape through."]);
  const n = node(ctx, ctx.call(inst, [input(ctx, 7, 7, 16)]));
  assert.equal(n.category, "opaque");
  assert.equal(n.name, "fancy");
  assert.deepEqual(n.shape, [null, 7, 7, 16]);
  assert.ok(n.opaque);
  assert.throws(() => ctx.call(layers.dict.get("__getattr__")!, [str("not_a_layer")]), /has no attribute 'not_a_layer'/);
});

test("a Lambda whose function gives no tensor is opaque and honours output_shape", () => {
  const ctx = fakeContext();
  let called = false;
  const fn = builtin("f", () => {
    called = true;
    return NONE;
  });
  const x = input(ctx, 8, 8, 4);
  const same = node(ctx, ctx.call(make(ctx, "Lambda", [fn]), [x]));
  assert.deepEqual(same.shape, [null, 8, 8, 4]);
  assert.equal(same.category, "opaque");
  const given = node(ctx, ctx.call(make(ctx, "Lambda", [fn], { output_shape: shp(16) }), [x]));
  assert.deepEqual(given.shape, [null, 16]);
  assert.equal(called, true);
  assert.deepEqual([same.name, given.name], ["lambda", "lambda_1"]);
});

test("tensorflow.keras.* and tf.keras are the keras modules; backend helpers work", () => {
  const ctx = fakeContext();
  const tf = stubModule("tensorflow")!;
  assert.equal(tf.dict.get("keras"), stubModule("keras"));
  assert.equal(stubModule("tensorflow.keras.layers"), stubModule("keras.layers"));
  const backend = stubModule("keras.backend")!;
  assert.deepEqual(ctx.call(backend.dict.get("image_data_format")!, []), str("channels_last"));
  assert.deepEqual(ctx.call(backend.dict.get("int_shape")!, [input(ctx, 3, 5)]), tuple([NONE, int(3), int(5)]));
  // Regularizers and optimizers are harmless objects that layers accept.
  const l2 = ctx.call(stubModule("keras.regularizers")!.dict.get("__getattr__")!, [str("l2")]);
  const reg = ctx.call(l2, [float(1e-4)]);
  const n = node(ctx, ctx.call(make(ctx, "Dense", [int(2)], { kernel_regularizer: reg }), [input(ctx, 3)]));
  assert.equal(n.params, 8);
  const relu = node(ctx, ctx.call(tf.dict.get("nn")!.kind === "module" ? (tf.dict.get("nn") as PyModule).dict.get("relu")! : NONE, [input(ctx, 2)]));
  assert.equal(relu.op, "relu");
  assert.equal(relu.category, "activation");
});

test("scopes: helper-call labels after the Input's function; user layers use their attribute path", () => {
  const ctx = fakeContext();
  const frame = (label: string, line: number): StackFrame => ({
    kind: "call",
    label,
    file: "m.py",
    range: { start: { line, character: 0 }, end: { line, character: 1 } },
  });
  let stack: StackFrame[] = [frame("build_model", 1)];
  ctx.site = (): SourceSite => ({ file: "m.py", range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, stack });
  const x = input(ctx, 8, 8, 3);
  stack = [frame("build_model", 1), frame("res_block", 5)];
  const y = ctx.call(make(ctx, "Conv2D", [int(3), int(3)], { padding: "same" }), [x]);
  assert.equal(node(ctx, y).scope, "res_block");

  // A user layer `class Block(layers.Layer)` with `self.conv = Conv2D(...)`, called from build_model.
  const Layer = layer("Layer");
  const Block: PyClass = {
    kind: "class",
    name: "Block",
    qualname: "Block",
    moduleName: "m",
    bases: [Layer],
    mro: [],
    dict: new Map<string, Value>([
      [
        "__init__",
        builtin("__init__", (args, _kw, c) => {
          c.call(Layer.dict.get("__init__")!, [args[0]]);
          c.setAttr(args[0], "convs", list([make(c as never, "Conv2D", [int(3), int(1)])]));
          return NONE;
        }),
      ],
      [
        "build",
        builtin("build", (args, _kw, c) => {
          c.call(c.getAttr(args[0], "add_weight"), [], kw({ shape: shp(3), name: "alpha" }));
          return NONE;
        }),
      ],
      [
        "call",
        builtin("call", (args, _kw, c) => {
          const saved = stack;
          stack = [...stack, frame("call", 20)];
          const conv = (c.getAttr(args[0], "convs") as { items: Value[] }).items[0];
          const out = c.call(conv, [args[1]]);
          stack = saved;
          return out;
        }),
      ],
    ]),
  };
  Block.mro = computeMro(Block);
  stack = [frame("build_model", 1)];
  const block = ctx.call(Block, []) as PyInstance;
  const out = ctx.call(block, [y]) as PyTensor;
  const inner = ctx.nodes.find((n) => n.attrs?.attribute === "convs/0")!;
  assert.equal(inner.scope, "block");
  assert.equal(inner.name, "conv2d_1");
  // The block's own weight (add_weight in build) sits on a node of its own, after its body.
  const own = node(ctx, out);
  assert.equal(own.op, "Block");
  assert.equal(own.params, 3);
  assert.deepEqual(own.inputs.map((t) => t.node), [inner.id]);
  const m = ctx.call(model("Model"), [x, out]) as PyInstance;
  assert.equal(runKerasModel(ctx, m, undefined).paramTotals.params, 84 + 12 + 3);
  assert.equal(layersFn("add").kind, "builtin");
});

test("a keras.io script's data plumbing adds no warnings; get_config() gives a layer's arguments", async () => {
  const { analyze } = await import("../../../src/analyze");
  const text = `
import keras
from keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
train_ds, val_ds = keras.utils.image_dataset_from_directory("d", subset="both")
n = len(x_train)
train_ds = train_ds.prefetch(2)

inputs = keras.Input((8, 8, 3))
model = keras.Model(inputs, layers.Dense(2)(layers.Flatten()(layers.Conv2D(4, 5)(inputs))))
kernels = [layer.get_config()["kernel_size"] for layer in model.layers if isinstance(layer, layers.Conv2D)]
units = [layer.get_config()["units"] for layer in model.layers if isinstance(layer, layers.Dense)]
names = [layer.get_config()["name"] for layer in model.layers]
`;
  const r = analyze({ file: "script.py", text, entry: "model" });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
  const check = analyze({ file: "script.py", text: text + "\nassert kernels == [(5, 5)] and units == [2] and names[-1] == 'dense'\n", entry: "model" });
  assert.deepEqual(check.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message), []);
});
